package io.bulwark.ha;

import io.bulwark.config.DynamicConfig;
import io.bulwark.config.Tags;
import io.bulwark.dcs.Cluster;
import io.bulwark.dcs.Dcs;
import io.bulwark.dcs.DcsException;
import io.bulwark.postgres.PostgresState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * The HA loop: observe, decide, execute one action, publish, sleep until the next tick or a DCS wake-up. One
 * thread; every cycle ends in exactly one logged sentence (reference §2.1).
 */
public final class HaLoop {
    private static final Logger log = LoggerFactory.getLogger(HaLoop.class);
    private static final Duration RETRY_SOON = Duration.ofMillis(100);
    private static final Duration STARTING_POLL = Duration.ofMillis(500);
    private static final int MAX_STEPS_PER_CYCLE = 4;

    private final String name;
    private final String scope;
    private volatile Tags tags;
    private final Dcs dcs;
    private final PostgresControl pg;
    private final Clock clock;
    private final Observer observer;
    private final Executor executor;
    private final MemberPublisher members;
    private final Function<Cluster, DynamicConfig> configFromCluster;
    private final AdminQueue admin;
    private final AdminExecutor adminExecutor;
    private final Failsafe failsafe;

    private volatile Consumer<NodeStatus> statusListener = s -> { };
    private volatile LongConsumer leaderKeyListener = until -> { };
    private final LongOperations longOperations;
    private volatile HaSettings settings;
    private volatile NodeStatus status;
    private volatile boolean stopRequested;
    private volatile long lastCycleNanos;
    private volatile long lastCycleDurationNanos;
    private volatile long cycleStartedNanos;
    private volatile HaMetrics roleChange = HaMetrics.NONE;
    private LocalState local = LocalState.INITIAL;
    private Thread thread;

    public HaLoop(String name, String scope, Tags tags, DynamicConfig initial, Dcs dcs, PostgresControl pg,
                  PeerProbe peers, Clock clock, String connUrl, String apiUrl, String bulwarkVersion,
                  Supplier<String> bootstrapConfigJson, Function<Cluster, DynamicConfig> configFromCluster) {
        this(name, scope, tags, initial, dcs, pg, peers, (urls, call, timeout) -> java.util.Set.of(), clock, connUrl,
                apiUrl, bulwarkVersion, bootstrapConfigJson, configFromCluster);
    }

    /** {@code failsafeCalls}: how a primary without the DCS sends {@code POST /failsafe} to the other members. */
    public HaLoop(String name, String scope, Tags tags, DynamicConfig initial, Dcs dcs, PostgresControl pg,
                  PeerProbe peers, FailsafeProbe failsafeCalls, Clock clock, String connUrl, String apiUrl,
                  String bulwarkVersion, Supplier<String> bootstrapConfigJson,
                  Function<Cluster, DynamicConfig> configFromCluster) {
        this.name = name;
        this.failsafe = new Failsafe(new FailsafeCall(name, connUrl, apiUrl), failsafeCalls, clock);
        this.scope = scope;
        this.tags = tags;
        this.dcs = dcs;
        this.pg = pg;
        this.clock = clock;
        this.settings = new HaSettings(name, tags, initial);
        this.longOperations = new LongOperations(dcs::wakeUp);
        this.observer = new Observer(dcs, pg, peers, clock, () -> settings, longOperations::running, failsafe);
        this.executor = new Executor(dcs, pg, clock, bootstrapConfigJson, this::announce,
                until -> leaderKeyListener.accept(until), longOperations, failsafe);
        this.members = new MemberPublisher(connUrl, apiUrl, bulwarkVersion);
        this.configFromCluster = configFromCluster;
        this.admin = new AdminQueue(dcs::wakeUp);
        this.adminExecutor = new AdminExecutor(dcs, pg, clock, longOperations);
        this.lastCycleNanos = clock.nanoTime();
        this.status = new NodeStatus(name, scope, "uninitialized", pg.probe(), Cluster.EMPTY, Long.MIN_VALUE, 0,
                List.of(), tags.published(), false, "starting", Map.of());
    }

    public void start() {
        thread = Thread.ofPlatform().name("ha-loop").start(this::run);
    }

    /** Called with every newly published status, on the loop thread (the fence follows the deadline). */
    public void onStatus(Consumer<NodeStatus> listener) {
        this.statusListener = listener;
    }

    /**
     * Called with the new leadership deadline (monotonic nanos) right after every successful write of the leader
     * key (acquisition, renewal, the renewal after a promotion), on the loop thread: the fence must not wait for the
     * end of a cycle that may go on doing slow work.
     */
    public void onLeaderKeyWritten(LongConsumer listener) {
        this.leaderKeyListener = listener;
    }

    /** Where the REST API queues restart, reinitialize and reload requests. */
    public AdminActions admin() {
        return admin;
    }

    /** Where the REST API records an accepted {@code POST /failsafe}. */
    public Failsafe failsafe() {
        return failsafe;
    }

    /** Latest published status; never null. */
    public NodeStatus status() {
        return status;
    }

    /**
     * Reloaded {@code tags}: the loop takes them at its next observation (only the loop thread replaces
     * {@link #settings}), publishes them and decides with them.
     */
    public void useTags(Tags reloaded) {
        tags = reloaded;
    }

    public HaSettings settings() {
        return settings;
    }

    public long lastCycleNanos() {
        return lastCycleNanos;
    }

    /** DCS read latency and the last role change, for {@code GET /metrics}. */
    public HaMetrics metrics() {
        HaMetrics r = roleChange;
        return new HaMetrics(observer.dcsReadNanos(), r.lastRoleChangeEpochMillis(), r.lastRoleChangeNanos(),
                r.lastRoleChange());
    }

    /** How long the last HA cycle took, nanoseconds (the bulwark_ha_cycle_seconds metric). */
    public long lastCycleDurationNanos() {
        return lastCycleDurationNanos;
    }

    /** Ask for a cycle now (a REST request queued work). */
    public void wakeUp() {
        dcs.wakeUp();
    }

    /**
     * Graceful stop: the loop runs one last cycle that stops PostgreSQL and, if we lead, releases the lock, then
     * ends. Waits up to {@code timeout} for that.
     */
    public void stop(Duration timeout) throws InterruptedException {
        stopRequested = true;
        dcs.wakeUp();
        if (thread != null) {
            thread.join(timeout);
        }
    }

    private void run() {
        while (true) {
            boolean last = stopRequested;
            boolean retrySoon;
            try {
                retrySoon = cycle(last);
            } catch (RuntimeException e) {
                log.error("HA cycle failed unexpectedly; trying again", e);
                retrySoon = true;
            }
            if (last) {
                longOperations.close();
                return;
            }
            try {
                dcs.awaitChange(nextWait(retrySoon));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** One cycle; returns true when the next should come soon (a timing-critical step failed). */
    boolean cycle(boolean shuttingDown) {
        long started = clock.nanoTime();
        cycleStartedNanos = started;
        try {
            return runCycle(shuttingDown);
        } finally {
            lastCycleDurationNanos = clock.nanoTime() - started;
        }
    }

    private boolean runCycle(boolean shuttingDown) {
        Observation o = observer.observe(local, shuttingDown);
        applyDynamicConfig(o.cluster());
        registerIfAbsent(o);
        adminExecutor.settleStartingRestart(o);
        if (!shuttingDown && o.dcsOk()) {
            var work = admin.next(java.time.Instant.now());
            if (work.isPresent()) {
                Outcome done = adminExecutor.run(work.get(), o);
                local = done.local();
                log.info(done.reason());
                publish(o, pg.probe(), done.reason(), false);
                lastCycleNanos = clock.nanoTime();
                return true;
            }
        }
        Decision decision = HaDecider.decide(o);
        Outcome outcome = execute(decision, o);
        String reason = sentence(decision, outcome, null);
        for (int step = 1; outcome.reobserve() && step < MAX_STEPS_PER_CYCLE; step++) {
            if (!(decision.action() instanceof Action.NoAction)) {
                log.info(outcome.reason() != null ? outcome.reason() : decision.reason());
            }
            local = outcome.local();
            o = observer.observe(local, shuttingDown);
            registerIfAbsent(o);
            decision = HaDecider.decide(o);
            outcome = execute(decision, o);
            reason = sentence(decision, outcome, reason);
        }
        local = outcome.local();
        log.info(reason);
        // the cycle's observation already holds a probe; take a new one only if the last step acted on PostgreSQL
        publish(o, leavesPostgresAlone(decision.action()) ? o.pg() : pg.probe(), reason, shuttingDown);
        lastCycleNanos = clock.nanoTime();
        return outcome.retrySoon();
    }

    /**
     * The cycle's closing sentence: that of its last step that did something, so "demoted self ..." is not
     * hidden by the "DCS is not accessible" of the re-observation that follows it. (Earlier acting steps of a
     * multi-step cycle, such as "switchover: demoting myself", are logged as they happen.)
     */
    private static String sentence(Decision decision, Outcome outcome, String sofar) {
        String said = outcome.reason() != null ? outcome.reason() : decision.reason();
        boolean acted = !(decision.action() instanceof Action.NoAction);
        return sofar == null || acted ? said : sofar;
    }

    /**
     * Publishes our member key when the DCS does not have it, before the cycle's action: the leader creates a
     * member's replication slot only for keys it sees, and a rejoining former primary (its key expired while it
     * was frozen or cut off) must find its slot there when its standby starts streaming. Also before a clone or
     * bootstrap, which take long. Re-checked after each re-observation, since the first view of a cycle that
     * follows a freeze can still be the stale one.
     */
    private void registerIfAbsent(Observation o) {
        if (o.dcsOk() && !o.shuttingDown() && o.cluster().member(name).isEmpty()) {
            touchMember(o.pg(), MemberPublisher.role(o.pg(), false), Pause.paused(o), Map.of());
        }
    }

    private static boolean leavesPostgresAlone(Action action) {
        return action instanceof Action.NoAction || action instanceof Action.WaitBriefly
                || action instanceof Action.RenewLock || action instanceof Action.ClearFailover
                || action instanceof Action.AcquireLock;
    }

    /** Actions that stop a primary first take back our claim on /primary, so HAProxy moves away at once. */
    private Outcome execute(Decision decision, Observation o) {
        if (decision.action() instanceof Action.Demote || decision.action() instanceof Action.Shutdown
                || decision.action() instanceof Action.ReleaseLock) {
            status = status.withoutLock(decision.reason());
        }
        return executor.execute(decision, o);
    }

    /** Mid-cycle publication of a new role (after a promotion): the health endpoints switch at once. */
    private void announce(LocalState now) {
        String before = status.role();
        PostgresState pgState = pg.probe();
        boolean holds = now.leaseValid(clock.nanoTime());
        status = new NodeStatus(name, scope, MemberPublisher.role(pgState, holds,
                settings.dynamic().standbyCluster()), pgState, status.cluster(),
                holds ? now.leaderUntilNanos() : Long.MIN_VALUE, observer.dcsLastSeenEpoch(), List.of(),
                tags.published(), status.paused(), "promoted", Map.of());
        noteRoleChange(before, status.role());
        statusListener.accept(status);
    }

    private void noteRoleChange(String before, String after) {
        if (!after.equals(before) && !"uninitialized".equals(before)) {
            roleChange = new HaMetrics(-1, System.currentTimeMillis(), clock.nanoTime() - cycleStartedNanos,
                    before + " -> " + after);
        }
    }

    private void publish(Observation o, PostgresState pgState, String reason, boolean shuttingDown) {
        String before = status.role();
        boolean holds = local.leaseValid(clock.nanoTime());
        String role = MemberPublisher.role(pgState, holds, settings.dynamic().standbyCluster());
        var replication = pgState.isPrimary() ? pg.replication() : List.<Map<String, Object>>of();
        Cluster cluster = o.cluster() != null ? o.cluster() : status.cluster();
        boolean paused = Pause.paused(o);
        Map<String, String> pending = pgState.running() ? pg.pendingRestart() : Map.of();
        long failsafeUntil = settings.dynamic().failsafeMode() ? failsafe.activeUntil(settings.ttlNanos())
                : Long.MIN_VALUE;
        if (failsafeUntil != Long.MIN_VALUE && clock.nanoTime() - failsafeUntil >= 0) {
            failsafeUntil = Long.MIN_VALUE;
        }
        status = new NodeStatus(name, scope, role, pgState, cluster, holds ? local.leaderUntilNanos() : Long.MIN_VALUE,
                observer.dcsLastSeenEpoch(), replication, tags.published(), paused, reason, pending, failsafeUntil);
        noteRoleChange(before, role);
        statusListener.accept(status);
        if (o.dcsOk() && !shuttingDown) {
            touchMember(pgState, role, paused, pending);
        }
    }

    private void touchMember(PostgresState pgState, String role, boolean paused, Map<String, String> pending) {
        try {
            dcs.touchMember(members.memberData(pgState, role, tags.published(), paused, pending,
                    admin.scheduledRestart().map(r -> r.scheduleAt().toString()).orElse(null)));
        } catch (DcsException e) {
            log.warn("could not update member key: {}", e.getMessage());
        }
    }

    private void applyDynamicConfig(Cluster cluster) {
        Tags reloadedTags = tags;
        if (!reloadedTags.equals(settings.tags())) {
            settings = new HaSettings(name, reloadedTags, settings.dynamic());
            log.info("applied reloaded tags: {}", reloadedTags.published());
        }
        if (cluster == null || cluster.config() == null) {
            return;
        }
        DynamicConfig next = configFromCluster.apply(cluster);
        DynamicConfig current = settings.dynamic();
        if (next == null || next.equals(current)) {
            return;
        }
        if (next.ttl() != current.ttl()) {
            dcs.setTtl(next.ttl());
        }
        if (next.retryTimeout() != current.retryTimeout()) {
            dcs.setRetryTimeout(Duration.ofSeconds(next.retryTimeout()));
        }
        log.info("applied dynamic configuration: ttl={} loop_wait={} retry_timeout={}", next.ttl(), next.loopWait(),
                next.retryTimeout());
        settings = new HaSettings(name, tags, next);
        // a changed standby_cluster (slot, restore_command, delay) reaches the standby leader's files by a reload;
        // its removal does not: the promotion follows, and a reload first would point it at the remote with our slot
        boolean standbyChanged = next.standby() != null && !next.standby().equals(current.standby());
        if (!next.parameters().equals(current.parameters()) || !next.pgHba().equals(current.pgHba()) || standbyChanged) {
            admin.reload();
        }
    }

    /** Sleep loop_wait, but wake in time to renew before our leadership deadline. */
    private Duration nextWait(boolean retrySoon) {
        if (retrySoon) {
            return RETRY_SOON;
        }
        Duration wait = Duration.ofSeconds(settings.dynamic().loopWait());
        if (status.postgres().starting() && wait.compareTo(STARTING_POLL) > 0) {
            wait = STARTING_POLL; // notice soon that the start we did not wait for has finished (HAProxy follows)
        }
        if (local.leaderUntilNanos() != Long.MIN_VALUE) {
            long untilDeadline = local.leaderUntilNanos() - clock.nanoTime() - settings.safetyMarginNanos();
            wait = Duration.ofNanos(Math.max(RETRY_SOON.toNanos(), Math.min(wait.toNanos(), untilDeadline)));
        }
        return wait;
    }
}
