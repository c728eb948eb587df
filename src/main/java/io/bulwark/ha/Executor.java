package io.bulwark.ha;

import io.bulwark.dcs.ClusterStatus;
import io.bulwark.dcs.Dcs;
import io.bulwark.dcs.DcsException;
import io.bulwark.dcs.Member;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * Applies one {@link Action} to the DCS and the local PostgreSQL. The only code that writes the leader key or
 * starts, stops, promotes or demotes PostgreSQL; it runs on the HA loop thread only.
 */
final class Executor {
    private static final Logger log = LoggerFactory.getLogger(Executor.class);
    static final String POST_PROMOTION_CHECKPOINT = "post-promotion checkpoint";
    static final String CLONE = "clone";
    static final String REWIND = "pg_rewind";
    static final String RECLONE = "re-clone";
    /** How long the agent's shutdown waits for a cancelled clone or rewind (its child process is killed). */
    static final Duration CANCEL_WAIT = Duration.ofSeconds(15);

    private final Dcs dcs;
    private final PostgresControl pg;
    private final Clock clock;
    private final Supplier<String> bootstrapConfigJson;
    private final HistoryPublisher history;
    private final SlotKeeper slots;
    private final TimelineWatch timelines = new TimelineWatch();
    private final SetupBackoff setupBackoff = new SetupBackoff();
    private final SyncReplication syncReplication;
    private final StandbyLeaderExecutor standby;
    /** Publishes the status at once (right after a promotion, before its checkpoint) so HAProxy can switch. */
    private final Consumer<LocalState> announce;
    /** Told each new leadership deadline right after the leader key was written (the fence follows it). */
    private final LongConsumer leaderKeyWritten;
    private final LongOperations longOperations;
    /** Failsafe mode's topology and calls; {@code null}: not wired (tests), failsafe mode then never keeps us. */
    private final Failsafe failsafe;
    private final FailsafeSteps failsafeSteps;
    private final BackgroundSetup setup;
    private final LogicalSlotCopier logicalSlots;

    Executor(Dcs dcs, PostgresControl pg, Clock clock, Supplier<String> bootstrapConfigJson,
             Consumer<LocalState> announce, LongConsumer leaderKeyWritten, LongOperations longOperations) {
        this(dcs, pg, clock, bootstrapConfigJson, announce, leaderKeyWritten, longOperations, null);
    }

    Executor(Dcs dcs, PostgresControl pg, Clock clock, Supplier<String> bootstrapConfigJson,
             Consumer<LocalState> announce, LongConsumer leaderKeyWritten, LongOperations longOperations,
             Failsafe failsafe) {
        this.failsafe = failsafe;
        this.announce = announce;
        this.leaderKeyWritten = leaderKeyWritten;
        this.longOperations = longOperations;
        this.dcs = dcs;
        this.pg = pg;
        this.clock = clock;
        this.bootstrapConfigJson = bootstrapConfigJson;
        this.history = new HistoryPublisher(dcs, pg);
        this.syncReplication = new SyncReplication(dcs, pg);
        this.slots = new SlotKeeper(pg);
        this.standby = new StandbyLeaderExecutor(dcs, pg, clock, bootstrapConfigJson, setupBackoff, slots,
                this::leading);
        this.failsafeSteps = new FailsafeSteps(dcs, clock, failsafe, this::leading, this::execute);
        this.setup = new BackgroundSetup(pg, clock, setupBackoff, longOperations, timelines);
        this.logicalSlots = new LogicalSlotCopier(pg, clock, longOperations);
    }

    Outcome execute(Decision decision, Observation o) {
        LocalState local = trackPgDown(o);
        try {
            return switch (decision.action()) {
                case Action.NoAction n -> replica(o, local);
                case Action.WaitBriefly w -> new Outcome(local, false, null, true);
                case Action.ClearFailover c -> clearFailover(o, local);
                case Action.RenewLock r -> renew(o, local);
                case Action.KeepPrimaryByFailsafe k -> failsafeSteps.keep(o, k.sentNanos(), local, null);
                case Action.Bootstrap b -> bootstrap(o, local);
                case Action.BootstrapStandbyLeader b -> standby.bootstrap(o, local);
                case Action.FollowRemote f -> standby.followRemote(o, local);
                case Action.DemoteToStandbyLeader d -> standby.demote(o, local);
                case Action.CloneFrom c -> setup.cloneFrom(o, c.source(), local);
                case Action.StartReplica s -> startReplica(s.upstream(), local);
                case Action.RestartPrimary r -> restartPrimary(o, local);
                case Action.Rejoin r -> setup.rejoin(o, r.leader(), local);
                case Action.AcquireLock a -> acquire(o, local);
                case Action.Promote p -> promote(o, local);
                case Action.Demote d -> demote(o, d, local);
                case Action.Follow f -> follow(f.leader(), local);
                case Action.ReleaseLock r -> release(o, local);
                case Action.Shutdown s -> shutdown(o, s, local);
            };
        } catch (DcsException e) {
            return new Outcome(local, false, decision.reason() + " (DCS error: " + e.getMessage() + ")", true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.said(local, decision.reason() + " (interrupted)");
        } catch (Exception e) {
            log.warn("{} failed", decision.action().getClass().getSimpleName(), e);
            return Outcome.said(local, decision.reason() + " failed: " + e.getMessage());
        }
    }

    /** Remember when our PostgreSQL went down while we held the lock (for primary_start_timeout). */
    private LocalState trackPgDown(Observation o) {
        LocalState local = o.local().withJustAcquired(false);
        if (o.pg().running() || !o.iHoldLockInDcs()) {
            return local.withPgDownSince(Long.MIN_VALUE);
        }
        return local.pgDownSinceNanos() == Long.MIN_VALUE ? local.withPgDownSince(o.now()) : local;
    }

    private Outcome renew(Observation o, LocalState local) throws Exception {
        long sent = clock.nanoTime();
        boolean ours;
        try {
            long position = o.pg().running() ? o.pg().walPosition() : o.cluster().status().optime();
            ours = dcs.updateLeader(slots.status(position));
        } catch (DcsException e) {
            String failed = "failed to update leader lock in DCS (" + e.getMessage() + ")";
            Optional<Outcome> kept = failsafeSteps.afterFailedRenewal(o, local, failed);
            return kept.orElseGet(() -> new Outcome(local, false, failed + "; retrying while the lock is still valid",
                    true));
        }
        if (!ours) {
            return Outcome.again(local.notLeader());
        }
        LocalState renewed = leading(local, deadline(o, sent));
        failsafeSteps.publishTopology(o);
        if (o.settings().dynamic().standbyCluster() && o.pg().running() && o.pg().inRecovery()) {
            try {
                slots.onStandbyLeader(o);
            } catch (Exception e) { // the renewal stands; the next cycle tries again
                log.warn("replication slot step of the standby leader failed: {}", e.getMessage());
            }
        }
        if (o.pg().isPrimary()) {
            slots.onPrimary(o, o.pg().walPosition());
            try {
                syncReplication.apply(o);
            } catch (Exception e) { // the renewal stands; the next cycle tries again
                log.warn("synchronous replication step failed: {}", e.getMessage());
            }
        }
        history.publishIfChanged(o);
        return Outcome.done(renewed);
    }

    private Outcome bootstrap(Observation o, LocalState local) throws Exception {
        Optional<String> wait = setupBackoff.holdOff("bootstrap a new cluster", clock.nanoTime());
        if (wait.isPresent()) {
            return Outcome.said(local, wait.get());
        }
        if (!dcs.initialize("", true)) {
            return Outcome.said(local, "failed to acquire initialize lock");
        }
        try {
            pg.bootstrap();
            String sysid = pg.probe().systemId();
            dcs.initialize(sysid, false);
            dcs.setConfig(bootstrapConfigJson.get(), null);
            long sent = clock.nanoTime();
            dcs.takeLeader();
            setupBackoff.succeeded();
            return new Outcome(leading(local, deadline(o, sent)), false, "initialized a new cluster", false);
        } catch (Exception e) {
            log.error("bootstrap failed", e);
            dcs.cancelInitialization();
            quietly(() -> pg.stop(true));
            quietly(pg::moveDataDirAside);
            Duration next = setupBackoff.failed(clock.nanoTime(), loopWait(o));
            return Outcome.said(local, "failed to bootstrap cluster: " + e.getMessage() + "; next attempt in "
                    + next.toSeconds() + " s");
        }
    }

    static Duration loopWait(Observation o) {
        return Duration.ofSeconds(o.settings().dynamic().loopWait());
    }

    private Outcome startReplica(Member upstream, LocalState local) throws Exception {
        String url = upstream == null ? null : upstream.data().connUrl();
        pg.startReplica(url == null ? null : ConnUrls.host(url), url == null ? 0 : ConnUrls.port(url));
        return Outcome.done(local);
    }

    private Outcome restartPrimary(Observation o, LocalState local) throws Exception {
        long sent = clock.nanoTime();
        if (!dcs.updateLeader(new ClusterStatus(o.cluster().status().optime(), null, null))) {
            return Outcome.again(local.notLeader());
        }
        LocalState renewed = leading(local, deadline(o, sent));
        pg.startPrimary();
        return Outcome.done(renewed);
    }

    private Outcome acquire(Observation o, LocalState local) throws Exception {
        long sent = clock.nanoTime();
        if (dcs.attemptToAcquireLeader()) {
            LocalState leading = leading(local, deadline(o, sent)).withJustAcquired(true);
            if (o.cluster().failover() != null && !o.cluster().failover().isEmpty()) {
                dcs.setFailover("{}", o.cluster().failover().version());
            }
            return Outcome.again(leading);
        }
        return new Outcome(local, true, "following new leader after trying and failing to obtain lock", false);
    }

    private Outcome promote(Observation o, LocalState local) throws Exception {
        LocalState current = local;
        if (!o.local().justAcquired()) {
            long sent = clock.nanoTime();
            if (!dcs.updateLeader(slots.status(o.pg().walPosition()))) {
                return Outcome.again(local.notLeader());
            }
            current = leading(local, deadline(o, sent));
        }
        PrePromoteLease lease = new PrePromoteLease(dcs, clock, o, current.leaderUntilNanos(), leaderKeyWritten);
        boolean fenced = pg.prePromote(lease::keep);
        current = current.withLeaderUntil(lease.until());
        if (!fenced) {
            dcs.deleteLeader(0);
            return Outcome.said(current.notLeader().withRaceBackoffUntil(clock.nanoTime() + o.settings().ttlNanos()),
                    "Promotion cancelled because the pre-promote script failed; released the leader lock");
        }
        if (!current.leaseValid(clock.nanoTime())) {
            return Outcome.said(current, "not promoting because the leader lock expired before promotion");
        }
        syncReplication.beforePromote(o);
        pg.promote();
        announce.accept(current);
        // beside the loop: a long checkpoint on this thread would stop the renewals while the fence keeps the
        // deadline from before the promotion, and the fence would kill the new primary
        longOperations.start(POST_PROMOTION_CHECKPOINT, pg::checkpoint);
        long sent = clock.nanoTime();
        long promotedAt = pg.probe().walPosition();
        if (dcs.updateLeader(slots.status(promotedAt))) {
            current = leading(current, deadline(o, sent));
        }
        history.publishIfChanged(o);
        slots.onPrimary(o, promotedAt); // after the renewal: slot queries must not delay it
        return Outcome.done(current);
    }

    private Outcome demote(Observation o, Action.Demote d, LocalState local) throws Exception {
        boolean graceful = !d.immediate() && d.releaseLock();
        if (graceful) {
            pg.checkpoint();
        }
        long lastPosition = graceful ? pg.probe().walPosition() : o.pg().walPosition();
        pg.stop(d.immediate());
        if (d.releaseLock() && o.dcsOk()) {
            dcs.deleteLeader(lastPosition);
        }
        return Outcome.again(local.notLeader());
    }

    /** After a quiet cycle of a running replica: the timeline check when due, then its slots. */
    private Outcome replica(Observation o, LocalState local) {
        var diverged = timelines.check(o, pg::divergence);
        if (diverged.isPresent()) {
            log.warn("diverged from the timeline of leader {}: {}", diverged.get().leader(), diverged.get().why());
            return Outcome.again(local.withDivergence(diverged.get()));
        }
        if (local.divergence() != null && !o.cluster().hasLeader(local.divergence().leader())) {
            local = local.withDivergence(null); // found against a former leader: no longer relevant
        }
        try {
            logicalSlots.consider(o, slots.onReplica(o));
        } catch (Exception e) { // slots are kept best-effort; the next cycle tries again
            log.warn("replication slot step failed: {}", e.getMessage());
        }
        return Outcome.done(local);
    }

    private Outcome clearFailover(Observation o, LocalState local) throws Exception {
        dcs.setFailover("{}", o.cluster().failover().version());
        return Outcome.again(local);
    }

    private Outcome follow(Member leader, LocalState local) throws Exception {
        String url = leader.data().connUrl();
        if (pg.follow(ConnUrls.host(url), ConnUrls.port(url))) {
            return Outcome.done(local);
        }
        return Outcome.said(local, "following " + leader.name() + " without a replication slot until "
                + leader.name() + " has created ours");
    }

    private Outcome release(Observation o, LocalState local) throws Exception {
        if (o.pg().running()) {
            pg.stop(true);
        }
        dcs.deleteLeader(0);
        return Outcome.done(local.notLeader());
    }

    private Outcome shutdown(Observation o, Action.Shutdown s, LocalState local) throws Exception {
        if (Pause.paused(o)) {
            return Outcome.said(local, "shutting down in maintenance mode: PostgreSQL left running, lock kept");
        }
        String busy = longOperations.running();
        if (busy != null && !POST_PROMOTION_CHECKPOINT.equals(busy) && !longOperations.cancel(CANCEL_WAIT)) {
            log.warn("{} did not end within {} s of being cancelled", busy, CANCEL_WAIT.toSeconds());
        }
        boolean primary = s.releaseLock() && o.pg().running() && !o.pg().inRecovery();
        // Synchronous on purpose: this is the agent's last cycle, nothing renews the lock after it, and the wait is
        // bounded by the lease we still hold (leaderUntil), so the fence never sees its deadline pass during it
        boolean handOver = primary && Handover.awaitStreaming(Handover.candidates(o), pg::replication, clock,
                local.leaderUntilNanos(), Thread::sleep);
        long lastPosition = o.pg().walPosition();
        pg.stop(false);
        if (!s.releaseLock()) {
            return Outcome.said(local.notLeader(), "shut down PostgreSQL");
        }
        lastPosition = Math.max(lastPosition, pg.shutdownCheckpoint());
        if (handOver || !primary) {
            dcs.deleteLeader(lastPosition);
            return new Outcome(local.notLeader(), false, "shut down PostgreSQL and released the leader lock", false);
        }
        dcs.updateLeader(new ClusterStatus(lastPosition, null, null));
        return Outcome.said(local.notLeader(), String.format("shut down PostgreSQL; no replica that may take over was"
                + " streaming, so the leader lock is left to expire (ttl) with the final position %X/%X published:"
                + " a replica that missed WAL is checked against it before it takes over",
                lastPosition >>> 32, lastPosition & 0xFFFFFFFFL));
    }

    /** The leader key was just written: the new deadline goes to the fence at once, not at the cycle's end. */
    LocalState leading(LocalState local, long until) {
        leaderKeyWritten.accept(until);
        if (failsafe != null) {
            failsafe.inactive();
        }
        return local.withLeaderUntil(until);
    }

    static long deadline(Observation o, long sentNanos) {
        return sentNanos + o.settings().ttlNanos() - o.settings().safetyMarginNanos();
    }

    interface Step {
        void run() throws Exception;
    }

    /** Runs a cleanup step after a failure; its own failure is only logged. */
    static void quietly(Step step) {
        try {
            step.run();
        } catch (Exception e) {
            log.warn("cleanup step failed: {}", e.getMessage());
        }
    }
}
