package io.bulwark.postgres;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.bulwark.config.BootstrapConfig;
import io.bulwark.config.DynamicConfig;
import io.bulwark.config.PostgresqlConfig;
import io.bulwark.config.StandbyClusterConfig;
import io.bulwark.postgres.PostgresState.DataDirState;

/**
 * The local PostgreSQL server as the HA executor drives it: observe ({@link #probe}), create ({@link #bootstrap},
 * {@link #cloneFrom}), run ({@link #start}, {@link #stop}, {@link #promote}, {@link #follow}), repair
 * ({@link #rewind}, {@link #moveDataDirAside}) and keep replication slots ({@link #syncSlots}).
 *
 * <p>Contract: the HA loop is the only caller and calls from one thread; every method blocks until done. Each
 * action is safe to repeat after a crash between steps (configuration is rewritten on every start). Data is
 * never deleted: a failed bootstrap or an unusable directory is renamed aside. A role change of a running
 * server goes through stop and start: {@link #follow} only re-points a running replica, and demoting a primary
 * is {@code stop} then {@code start(upstream)} (after {@code rewind} if the timelines diverged).
 *
 * <p>Requires PostgreSQL 13 or newer ({@code wal_keep_size}, {@code pg_promote}, primary_conninfo on reload). The
 * agent connects over TCP as the superuser with its password, so pg_hba must allow that from the local host.
 *
 * <p>Hazards: PostgreSQL refuses to run as root, and so does this class unless the {@link CommandRunner}
 * switches user. Passwords travel only through the pgpass file, initdb's temporary password file and SCRAM
 * hashes computed by the driver, never on a command line or in a log.
 */
public final class Postgres implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Postgres.class);
    static final Duration CLONE_RETRY_DELAY = Duration.ofSeconds(5);
    /** The lease the local connection's timeouts derive from until {@link #useTtl} says otherwise (the default ttl). */
    static final int DEFAULT_TTL_SECONDS = 4;
    private static final Duration BOOTSTRAP_START_TIMEOUT = Duration.ofSeconds(120);

    private final Path dataDir;
    private final Binaries binaries;
    private final SecureFiles files;
    private final RuntimeDir runtimeDir;
    private final PgPass pgpass;
    private final PostgresConf conf;
    private final Postmaster postmaster;
    private final LocalConnection connection;
    private final ServerQueries queries;
    private final Reconfiguration reconfiguration;
    private final Divergence divergence;
    private final ServerProcess process;
    private final ServerObserver observer;
    private final DataDirAside aside;
    private final Bootstrap initializer;
    private final Clone clone;
    private final Rewind rewinder;
    private final ProcessStates states = new ProcessStates();
    private final io.bulwark.config.Credentials superuser;
    private final CommandRunner runner;
    private final ReplicaMethods replicaMethods;
    private final Backups backups;

    public Postgres(PostgresqlConfig cfg, String memberName, CommandRunner runner) {
        this(cfg, memberName, runner, CLONE_RETRY_DELAY);
    }

    Postgres(PostgresqlConfig cfg, String memberName, CommandRunner runner, Duration cloneRetryDelay) {
        Objects.requireNonNull(cfg.dataDir(), "postgresql.data_dir is required");
        Objects.requireNonNull(cfg.superuser(), "postgresql.authentication.superuser is required");
        Objects.requireNonNull(cfg.replication(), "postgresql.authentication.replication is required");
        this.dataDir = cfg.dataDir().toAbsolutePath();
        this.superuser = cfg.superuser();
        this.runner = runner;
        this.binaries = new Binaries(cfg.binDir(), runner);
        this.files = new SecureFiles(runner.fileOwner());
        this.runtimeDir = RuntimeDir.forMember(dataDir, memberName, runner.fileOwner());
        Path pgpassPath = cfg.pgpass() != null ? cfg.pgpass().toAbsolutePath() : runtimeDir.pgpass();
        this.pgpass = new PgPass(pgpassPath, List.of(cfg.replication(), cfg.rewindCredentials(), cfg.superuser()),
                cfg.pgpass() != null ? null : runtimeDir);
        this.conf = new PostgresConf(cfg, memberName, pgpassPath, files);
        this.postmaster = new Postmaster(runner, binaries, dataDir);
        this.connection = new LocalConnection(LocalConnection.localHost(cfg.listenHost()), cfg.port(), cfg.superuser(),
                DEFAULT_TTL_SECONDS);
        ServerFunctions sql = new ServerFunctions(connection);
        this.initializer = new Bootstrap(cfg, runner, binaries, files);
        this.clone = new Clone(cfg, memberName, runner, binaries, pgpassPath, cloneRetryDelay);
        this.replicaMethods = new ReplicaMethods(cfg, clone, runner, pgpassPath);
        this.backups = new Backups(cfg, runner, pgpassPath, System::nanoTime);
        this.rewinder = new Rewind(runner, binaries, dataDir, pgpassPath, cfg.rewindCredentials(), conf);
        this.queries = new ServerQueries(postmaster, sql);
        this.reconfiguration = new Reconfiguration(dataDir, postmaster, pgpass, files, conf, sql, queries,
                new UpstreamSlots(cfg.rewindCredentials()), SlotNames.forMember(memberName), this::probe);
        this.divergence = new Divergence(cfg.replication(),
                new Upstream(LocalConnection.localHost(cfg.listenHost()), cfg.port(), false), this::probe);
        this.process = new ServerProcess(dataDir, binaries, postmaster, connection, states, pgpass, files, conf, sql,
                reconfiguration);
        this.observer = new ServerObserver(dataDir, runner, binaries, postmaster, new Probe(connection), states);
        this.aside = new DataDirAside(dataDir, postmaster, connection, cfg.keepFailedDataDirs());
    }

    /** The ttl in force: the local connection's timeouts are derived from it (ttl/4, 1..10 s). */
    public void useTtl(int ttlSeconds) {
        connection.useTtl(ttlSeconds);
    }

    /** The agent's private runtime directory (pgpass unless configured, the fence's files). */
    /** Whether the postmaster runs (cheap: no SQL). */
    public boolean postmasterAlive() {
        return postmaster.isAlive();
    }

    /**
     * A reloaded {@code postgresql} section: its {@code parameters} and {@code pg_hba} are written by the next
     * {@link #reloadConfig} or start; the rest (listen, data_dir, authentication, ...) needs an agent restart.
     */
    public void useLocalConfig(PostgresqlConfig reloaded) {
        conf.useLocal(reloaded);
    }

    public RuntimeDir runtimeDir() {
        return runtimeDir;
    }

    /** Parameters waiting for a restart (pg_settings.pending_restart); empty when none or unknown. */
    public java.util.Map<String, String> pendingRestart() {
        return queries.pendingRestart();
    }

    /** On a running primary: its walsenders with flush positions; empty when unknown. Never throws. */
    public List<WalSender> walSenders() {
        return queries.walSenders();
    }

    /**
     * Sets {@code synchronous_standby_names} ({@code null}: leave the configured value alone, synchronous mode off)
     * and reloads a running server when it changed. Returns whether it changed.
     */
    public boolean synchronousStandbyNames(String value, DynamicConfig dyn) throws PostgresException {
        if (!conf.synchronousStandbyNames(value)) {
            return false;
        }
        log.info("synchronous_standby_names = {}", value == null ? "(as configured)" : "'" + value + "'");
        reloadConfig(dyn);
        return true;
    }

    /** synchronous_standby_names in effect on the running server. */
    public String synchronousStandbyNamesInEffect() throws PostgresException {
        return queries.synchronousStandbyNamesInEffect();
    }

    /** On a running primary: its walsenders (pg_stat_replication); empty when unknown. Never throws. */
    public List<java.util.Map<String, Object>> replication() {
        return queries.replication();
    }

    /**
     * If the server is stopped cleanly, the end of the WAL before its shutdown checkpoint record (every commit is
     * below it; see ControlFile.dataEndBefore), else 0.
     */
    public long shutdownCheckpoint() {
        long start = postmaster.isAlive() ? 0 : ControlFile.shutdownCheckpoint(dataDir);
        return start == 0 ? 0 : ControlFile.dataEndBefore(start);
    }

    /** Slot name of a member (reference §1.2), e.g. {@code node-1.dc} becomes {@code node_1_dc}. */
    public static String slotNameFor(String memberName) {
        return SlotNames.forMember(memberName);
    }

    /** What the local server looks like now. Never throws: anything unknown is reported as unknown. */
    public PostgresState probe() {
        return observer.observe();
    }

    /**
     * initdb, write configuration, start as primary and create the replication (and rewind) roles. Leaves the
     * server running as primary. On failure the server is stopped, the data directory moved aside, and the
     * exception says where to.
     */
    public void bootstrap(BootstrapConfig bootstrap, DynamicConfig dyn) throws PostgresException {
        bootstrap(bootstrap, dyn, null);
    }

    /**
     * As {@link #bootstrap(BootstrapConfig, DynamicConfig)}; a custom {@code bootstrap.method} runs instead of
     * initdb (see {@link CustomBootstrap}), and {@code scope} is passed to its command.
     */
    public void bootstrap(BootstrapConfig bootstrap, DynamicConfig dyn, String scope) throws PostgresException {
        requireUsable();
        if (DataDirs.classify(dataDir) == DataDirState.INITIALIZED) {
            throw new PostgresException("bootstrap: data directory " + dataDir + " is not empty; refusing initdb");
        }
        if (!bootstrap.pgHba().isEmpty()) {
            log.warn("bootstrap.pg_hba is ignored: set postgresql.pg_hba (local or dynamic) instead");
        }
        states.begin(ProcessStates.INITIALIZING);
        observer.forgetSystemId();
        try {
            pgpass.write(files);
            if (bootstrap.method() != null) {
                new CustomBootstrap(dataDir, runner, conf, files, postmaster, connection).run(bootstrap, dyn, scope);
            } else {
                initializer.initdb(bootstrap);
                conf.write(dyn, null);
                if (!postmaster.start(BOOTSTRAP_START_TIMEOUT)) {
                    throw new PostgresException("the new cluster did not accept connections within "
                            + BOOTSTRAP_START_TIMEOUT.toSeconds() + " s" + PostgresException.tailSuffix(postmaster.logTail(15)));
                }
            }
            initializer.createRoles(connection);
            checkpoint();
            states.end(ProcessStates.RUNNING);
            log.info("initialized a new cluster in {}", dataDir);
        } catch (PostgresException e) {
            states.end(ProcessStates.INITDB_FAILED);
            throw new PostgresException(e.getMessage() + cleanUpFailedBootstrap(), e);
        }
    }

    /** pg_basebackup from {@code host:port} into the (missing or empty) data directory. Does not start it. */
    public void cloneFrom(String host, int port, DynamicConfig dyn) throws PostgresException {
        cloneFrom(host, port, dyn, null);
    }

    /**
     * Creates the replica's data directory from {@code host:port} with {@code create_replica_methods} in order
     * (see {@link ReplicaMethods}); {@code scope} is passed to a method's command. Does not start it.
     */
    public void cloneFrom(String host, int port, DynamicConfig dyn, String scope) throws PostgresException {
        createFrom(null, host, port, scope);
    }

    /**
     * As {@link #cloneFrom(String, int, DynamicConfig, String)} with the replica creation methods {@code methods}
     * (null: {@code postgresql.create_replica_methods}), a standby cluster's own list; {@code host} may be null
     * for a standby cluster that follows only an archive (basebackup then fails and the next method runs).
     */
    public void createFrom(List<String> methods, String host, int port, String scope) throws PostgresException {
        requireUsable();
        states.begin(ProcessStates.CREATING_REPLICA);
        observer.forgetSystemId();
        try {
            pgpass.write(files);
            replicaMethods.create(methods, host, port, scope);
        } finally {
            states.end(ProcessStates.STOPPED);
        }
    }

    /**
     * Writes the configuration and starts the server: as a replica of {@code upstream} (standby.signal,
     * primary_conninfo, primary_slot_name), or, when it is {@code null}, without standby.signal, which makes a
     * former replica end recovery and become a primary: pass {@code null} only when this member holds the
     * leader key. Waits at most {@code wait}; see {@link #start(Upstream, boolean, DynamicConfig, Duration)}.
     */
    public boolean start(Upstream upstream, DynamicConfig dyn, Duration wait) throws PostgresException {
        return start(upstream, upstream != null, dyn, wait);
    }

    /**
     * As {@link #start(Upstream, DynamicConfig, Duration)}, but {@code standby} with a {@code null} upstream
     * starts in recovery with no primary_conninfo: a standby waiting for a leader (never a primary).
     *
     * <p>Returns true when the server accepts connections within {@code wait}, false when it is still starting
     * (crash recovery, or a standby that has not reached a consistent state): it keeps starting, probes report
     * "starting", and the caller goes on (the HA loop must keep renewing its keys meanwhile: a standby may need
     * WAL from a leader that only creates its slot once it sees this member's key). Throws if it did not start.
     */
    public boolean start(Upstream upstream, boolean standby, DynamicConfig dyn, Duration wait)
            throws PostgresException {
        return process.start(upstream, standby, dyn, wait);
    }

    /**
     * Starts the stopped server as the standby leader of a standby cluster: in recovery, following the remote site
     * of {@code remote} (see {@link PostgresConf#writeStandbyLeader}). Waits at most {@code wait}, as
     * {@link #start(Upstream, boolean, DynamicConfig, Duration)}.
     */
    public boolean startStandbyLeader(StandbyClusterConfig remote, DynamicConfig dyn, Duration wait)
            throws PostgresException {
        return process.startStandbyLeader(remote, dyn, wait);
    }

    /**
     * Re-points a running standby (the new standby leader, or one whose remote changed) at the remote site of
     * {@code remote} and reloads if the files changed. A running primary is refused.
     */
    public void followRemote(StandbyClusterConfig remote, DynamicConfig dyn) throws PostgresException {
        requireUsable();
        reconfiguration.followRemote(remote, dyn);
    }

    /** Stops the server; FAST escalates to IMMEDIATE when it does not finish in time. Stopped already is fine. */
    public void stop(StopMode mode, Duration timeout) throws PostgresException {
        process.stop(mode, timeout);
    }

    /**
     * Promotes a running replica ({@code pg_promote}, falling back to {@code pg_ctl promote}). The caller runs
     * {@link #checkpoint()} afterwards (without it pg_rewind against this server would see the old timeline),
     * after it has announced the new primary. A server that is already primary is left alone.
     */
    public void promote(Duration timeout) throws PostgresException {
        process.promote(timeout);
    }

    /**
     * Re-points a running replica at {@code upstream}: rewrites primary_conninfo and primary_slot_name and
     * reloads (PostgreSQL 13+ applies both on reload) if they changed. A stopped server just gets the new files.
     * A running primary is refused: demoting it is {@code stop} then {@code start(upstream)}. Returns whether the
     * replica now streams through its slot (always true with {@code use_slots} off): false while the upstream
     * has no slot for us yet (see {@link UpstreamSlots}).
     */
    public boolean follow(Upstream upstream, DynamicConfig dyn) throws PostgresException {
        requireUsable();
        return reconfiguration.follow(upstream, dyn);
    }

    /**
     * pg_rewind the stopped data directory onto {@code host:port}'s timeline. Returns false when rewind is
     * impossible (no checksums, no wal_log_hints) or pg_rewind fails; the data directory is then unchanged or
     * unusable, and the caller re-clones. Afterwards call {@link #start} with an upstream.
     */
    public boolean rewind(String host, int port) throws PostgresException {
        requireUsable();
        if (postmaster.isAlive()) {
            throw new PostgresException("rewind: PostgreSQL is running in " + dataDir + "; stop it first");
        }
        connection.close();
        pgpass.write(files);
        return rewinder.rewind(host, port);
    }

    /** Renames the data directory to {@code <data_dir>.failed-<timestamp>} and returns the new path. */
    public Path moveDataDirAside() throws PostgresException {
        return aside.move(observer::forgetSystemId);
    }

    /** On a running primary: keeps exactly {@code wantedMemberSlots} as physical slots (see {@link #syncSlots(SlotRequest)}). */
    public void syncSlots(Set<String> wantedMemberSlots) {
        syncSlots(SlotRequest.primaryWith(wantedMemberSlots));
    }

    /**
     * On a running server in the requested role: converges its replication slots to {@code request} (see
     * {@link SlotPlan}) and returns the wanted slots' positions (physical: restart_lsn, logical:
     * confirmed_flush_lsn). Does nothing on a stopped server or one in the other role; failures are logged, not
     * thrown (the next cycle tries again), and answer an empty map.
     */
    /** Whether the running server has {@code wal_level = logical} (it refuses to start with a logical slot otherwise). */
    public boolean walLevelLogical() {
        try {
            return connection.call(c -> {
                try (var st = c.createStatement(); var rs = st.executeQuery("SHOW wal_level")) {
                    return rs.next() && "logical".equals(rs.getString(1));
                }
            });
        } catch (java.sql.SQLException e) {
            log.warn("cannot read wal_level: {}", e.getMessage());
            return false;
        }
    }

    /** The leader's logical slots among {@code names}, read over a superuser connection (see {@link LogicalSlotCopy}). */
    public List<LogicalSlotCopy.LeaderSlot> readLeaderLogicalSlots(String host, int port, java.util.Collection<String> names)
            throws PostgresException {
        try {
            return LogicalSlotCopy.read(superuser, new Upstream(host, port), names);
        } catch (java.sql.SQLException e) {
            throw new PostgresException("cannot read the logical slots of the leader at " + host + ":" + port + ": "
                    + e.getMessage(), e);
        }
    }

    /** The start of the oldest WAL segment this running server has (see {@link LogicalSlotCopy#oldestWal}). */
    public long oldestWal() throws PostgresException {
        try {
            return connection.call(LogicalSlotCopy::oldestWal);
        } catch (java.sql.SQLException e) {
            throw new PostgresException("cannot list pg_wal: " + e.getMessage(), e);
        }
    }

    /** Writes copied logical slots into the data directory of the stopped server (see {@link LogicalSlotCopy}). */
    public void installLogicalSlots(List<LogicalSlotCopy.LeaderSlot> slots) throws PostgresException {
        requireUsable();
        if (postmaster.isAlive()) {
            throw new PostgresException("installing logical slots: PostgreSQL is running in " + dataDir);
        }
        LogicalSlotCopy.install(dataDir, slots, files);
    }

    public java.util.Map<String, Long> syncSlots(SlotRequest request) {
        return queries.syncSlots(request);
    }

    /**
     * Whether this running replica has diverged from the leader at {@code host:port} (reference §2.6): both
     * timelines are read with {@code IDENTIFY_SYSTEM} over replication connections (ours gives the timeline being
     * replayed, which the control file lags behind), the leader's history with {@code TIMELINE_HISTORY}, and
     * {@link TimelineHistory#replicaDivergence} decides. Returns why it diverged; empty when it did not, or when
     * that could not be found out (no check is no rewind). Not for a primary or a stopped server.
     */
    public java.util.Optional<String> divergence(String host, int port) {
        return divergence.from(host, port);
    }

    /** pgBackRest backups of this server ({@code bulwark.pgbackrest}). */
    public Backups backups() {
        return backups;
    }

    /** Closes the agent's connection and the backup thread; PostgreSQL keeps running. */
    @Override
    public void close() {
        backups.close();
        connection.close();
    }

    /**
     * Rewrites postgresql.conf and pg_hba.conf for the running server, keeping its current role and upstream,
     * and reloads (SIGHUP through {@code pg_reload_conf()}). Parameters that need a restart then show up as
     * pending restart. A stopped server is left alone: its next start writes the files.
     */
    public void reloadConfig(DynamicConfig dyn) throws PostgresException {
        requireUsable();
        reconfiguration.reload(dyn);
    }

    /**
     * CHECKPOINT, logging a failure instead of throwing. Needed after a promotion (a former primary's pg_rewind
     * reads the new timeline from the control file) and before a switchover stop (so the shutdown checkpoint,
     * which clients wait for, has little left to write). Safe to call from another thread than the HA loop's.
     */
    public void checkpoint() {
        // on a connection of its own: a CHECKPOINT may take minutes, and the HA loop's probes must not queue
        // behind it on the shared one (a post-promotion checkpoint runs beside the loop, see ha.LongOperation)
        try (LocalConnection own = connection.sibling()) {
            new ServerFunctions(own).checkpoint();
        } catch (SQLException e) {
            log.warn("CHECKPOINT failed: {}", e.getMessage());
        }
    }

    private String cleanUpFailedBootstrap() {
        connection.close();
        try {
            postmaster.stop(StopMode.IMMEDIATE, ServerProcess.ESCALATED_STOP_TIMEOUT);
            if (DataDirs.classify(dataDir) == DataDirState.INITIALIZED) {
                return "; data directory moved aside to " + moveDataDirAside();
            }
            return "";
        } catch (PostgresException e) {
            return "; cleaning up also failed: " + e.getMessage();
        }
    }

    private void requireUsable() throws PostgresException {
        binaries.path("pg_ctl");
    }

}
