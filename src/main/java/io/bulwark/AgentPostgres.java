package io.bulwark;

import io.bulwark.config.BootstrapConfig;
import io.bulwark.config.DynamicConfig;
import io.bulwark.config.StandbyClusterConfig;
import io.bulwark.dcs.DcsCodec;
import io.bulwark.dcs.HistoryEntry;
import io.bulwark.ha.PostgresControl;
import io.bulwark.postgres.Postgres;
import io.bulwark.postgres.PostgresState;
import io.bulwark.postgres.RoleCallbacks;
import io.bulwark.postgres.StopMode;
import io.bulwark.postgres.Upstream;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Adapts {@link Postgres} to what the HA executor needs, with the dynamic configuration in force, and tells
 * {@link RoleCallbacks} what happened so the user's callbacks fire where Patroni fires them.
 */
final class AgentPostgres implements PostgresControl {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(AgentPostgres.class);
    /**
     * How long a start may block the HA loop: long enough for the usual start (a clean one, or a short crash
     * recovery) to finish within the cycle, short enough that the loop keeps renewing the leader lock and the
     * member key. A slower start goes on and later cycles observe it as "starting" (issue 12: a 60 s
     * {@code pg_ctl start -w} let the member key expire, so the new leader never created the slot the rewound
     * standby needed to become consistent).
     */
    static final Duration START_WAIT = Duration.ofSeconds(1);

    private final Postgres pg;
    private final Path dataDir;
    private final BootstrapConfig bootstrap;
    private final Supplier<DynamicConfig> dynamic;
    /** {@code postgresql.pg_ctl_timeout}: the bound on a stop and on a promotion. */
    private final Duration pgCtlTimeout;
    private final RoleCallbacks callbacks;
    /** The cluster's name, passed to a custom bootstrap method's command ({@code --scope}). */
    private final String scope;

    AgentPostgres(Postgres pg, Path dataDir, Duration pgCtlTimeout, BootstrapConfig bootstrap,
                  Supplier<DynamicConfig> dynamic, RoleCallbacks callbacks, String scope) {
        this.pg = pg;
        this.scope = scope;
        this.callbacks = callbacks;
        this.pgCtlTimeout = pgCtlTimeout;
        this.dataDir = dataDir;
        this.bootstrap = bootstrap;
        this.dynamic = dynamic;
    }

    @Override
    public PostgresState probe() {
        pg.useTtl(dynamic.get().ttl()); // a ttl changed in the dynamic configuration bounds the next probe
        PostgresState state = pg.probe();
        callbacks.observed(state);
        return state;
    }

    @Override
    public void bootstrap() throws Exception {
        pg.bootstrap(bootstrap, dynamic.get(), scope);
        callbacks.bootstrapped();
    }

    @Override
    public void cloneFrom(String host, int port) throws Exception {
        pg.cloneFrom(host, port, dynamic.get(), scope);
    }

    @Override
    public void createStandbyLeader(io.bulwark.config.StandbyClusterConfig remote) throws Exception {
        pg.createFrom(remote.createReplicaMethods(), remote.host(), remote.port(), scope);
    }

    @Override
    public boolean startReplica(String host, int port) throws Exception {
        boolean ready = pg.start(host == null ? null : new Upstream(host, port), true, dynamic.get(), START_WAIT);
        callbacks.starting(RoleCallbacks.REPLICA);
        return ready;
    }

    @Override
    public boolean startStandbyLeader(StandbyClusterConfig remote) throws Exception {
        boolean ready = pg.startStandbyLeader(remote, dynamic.get(), START_WAIT);
        callbacks.starting(RoleCallbacks.STANDBY_LEADER);
        return ready;
    }

    @Override
    public void followRemote(StandbyClusterConfig remote) throws Exception {
        pg.followRemote(remote, dynamic.get());
        callbacks.became(RoleCallbacks.STANDBY_LEADER);
    }

    @Override
    public boolean startPrimary() throws Exception {
        boolean ready = pg.start(null, false, dynamic.get(), START_WAIT);
        callbacks.starting(RoleCallbacks.PRIMARY);
        return ready;
    }

    @Override
    public void stop(boolean immediate) throws Exception {
        boolean wasRunning = pg.postmasterAlive();
        pg.stop(immediate ? StopMode.IMMEDIATE : StopMode.FAST, pgCtlTimeout);
        callbacks.stopped(wasRunning);
    }

    @Override
    public boolean prePromote(java.util.function.BooleanSupplier keepGoing) {
        return callbacks.prePromote(pgCtlTimeout, keepGoing); // pg_ctl_timeout bounds a promotion
    }

    @Override
    public void beginRestart() {
        callbacks.beginRestart();
    }

    @Override
    public void promote() throws Exception {
        pg.promote(pgCtlTimeout);
        callbacks.promoted();
    }

    @Override
    public void reload() throws Exception {
        boolean running = pg.postmasterAlive();
        pg.reloadConfig(dynamic.get());
        if (running) {
            callbacks.reloaded();
        }
    }

    @Override
    public long shutdownCheckpoint() {
        return pg.shutdownCheckpoint();
    }

    @Override
    public void checkpoint() {
        pg.checkpoint();
    }

    @Override
    public boolean follow(String host, int port) throws Exception {
        return pg.follow(new Upstream(host, port), dynamic.get());
    }

    @Override
    public boolean rewind(String host, int port) throws Exception {
        return pg.rewind(host, port);
    }

    @Override
    public java.util.Optional<String> divergence(String host, int port) {
        return pg.divergence(host, port);
    }

    @Override
    public void moveDataDirAside() throws Exception {
        pg.moveDataDirAside();
    }

    @Override
    public Map<String, Long> syncSlots(io.bulwark.postgres.SlotRequest request) {
        return pg.syncSlots(request);
    }

    @Override
    public List<String> copyLogicalSlots(String host, int port, java.util.Collection<String> names) throws Exception {
        if (!pg.walLevelLogical()) {
            log.warn("not copying logical slots {} from the primary: wal_level is not logical on this replica, and"
                    + " PostgreSQL refuses to start with a logical slot then (set wal_level: logical in the dynamic"
                    + " configuration's parameters)", names);
            return List.of();
        }
        long oldest = pg.oldestWal();
        List<io.bulwark.postgres.LogicalSlotCopy.LeaderSlot> slots = new ArrayList<>();
        for (var slot : pg.readLeaderLogicalSlots(host, port, names)) {
            if (slot.restartLsn() < oldest) {
                log.info("not copying logical slot {} yet: it needs WAL from {} on, older than this replica's oldest"
                        + " WAL segment (it was cloned later); it is copied once its consumer has moved it on",
                        slot.name(), String.format("%X/%X", slot.restartLsn() >>> 32, slot.restartLsn() & 0xFFFFFFFFL));
            } else {
                slots.add(slot);
            }
        }
        if (slots.isEmpty()) {
            return List.of();
        }
        List<String> copied = slots.stream().map(io.bulwark.postgres.LogicalSlotCopy.LeaderSlot::name).toList();
        log.info("Copying logical slots {} from the primary", copied);
        stop(false);
        pg.installLogicalSlots(slots);
        startReplica(host, port);
        return copied;
    }

    @Override
    public Map<String, String> pendingRestart() {
        return pg.pendingRestart();
    }

    @Override
    public List<io.bulwark.postgres.WalSender> walSenders() {
        return pg.walSenders();
    }

    @Override
    public boolean synchronousStandbyNames(String value) throws Exception {
        return pg.synchronousStandbyNames(value, dynamic.get());
    }

    @Override
    public String synchronousStandbyNamesInEffect() throws Exception {
        return pg.synchronousStandbyNamesInEffect();
    }

    @Override
    public List<Map<String, Object>> replication() {
        return pg.replication();
    }

    /**
     * Reads {@code pg_wal/<timeline>.history} ("tli TAB lsn TAB reason" per line); the timestamp is the file's
     * modification time, as Patroni reports it.
     */
    @Override
    public List<HistoryEntry> timelineHistory() {
        int timeline = pg.probe().timeline();
        if (timeline <= 1) {
            return List.of();
        }
        Path file = dataDir.resolve("pg_wal").resolve(String.format("%08X.history", timeline));
        try {
            String stamp = DcsCodec.formatTimestamp(OffsetDateTime.ofInstant(
                    Files.getLastModifiedTime(file).toInstant(), ZoneId.systemDefault()));
            List<HistoryEntry> entries = new ArrayList<>();
            for (String line : Files.readAllLines(file)) {
                String[] f = line.split("\t");
                if (f.length < 2 || !f[0].trim().matches("\\d+")) {
                    continue;
                }
                entries.add(new HistoryEntry(Integer.parseInt(f[0].trim()), parseLsn(f[1].trim()),
                        f.length > 2 ? f[2].trim() : "", stamp, null));
            }
            return entries;
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    static long parseLsn(String lsn) {
        String[] parts = lsn.split("/");
        return (Long.parseLong(parts[0], 16) << 32) + Long.parseLong(parts[1], 16);
    }
}
