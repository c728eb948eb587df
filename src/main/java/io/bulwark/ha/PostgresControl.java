package io.bulwark.ha;

import io.bulwark.config.StandbyClusterConfig;
import io.bulwark.dcs.HistoryEntry;
import io.bulwark.postgres.PostgresState;

import java.util.List;
import java.util.Map;

/**
 * The local PostgreSQL operations the HA executor performs, each blocking and each safe to repeat. Only the HA
 * loop thread calls these.
 */
public interface PostgresControl {

    /** Current state; never throws. */
    PostgresState probe();

    /** initdb, configure, start as primary, create the replication role. */
    void bootstrap() throws Exception;

    /** pg_basebackup from {@code host:port} into the (empty) data directory. */
    void cloneFrom(String host, int port) throws Exception;

    /**
     * The data directory of a new standby cluster's first member, made with {@code standby_cluster}'s
     * {@code create_replica_methods} (basebackup from its host, or a method restoring from the archive). Does not
     * start it. Test stand-ins may keep this default: basebackup from the remote host.
     */
    default void createStandbyLeader(StandbyClusterConfig remote) throws Exception {
        cloneFrom(remote.host(), remote.port());
    }

    /**
     * Start in recovery, streaming from {@code host:port}; {@code host == null}: standby without upstream. Waits
     * only briefly (about a second): returns true when the server accepts connections, false when it is still
     * starting, which later probes report as "starting". Never blocks the loop for the whole start.
     */
    boolean startReplica(String host, int port) throws Exception;

    /**
     * Start in recovery as the standby leader of a standby cluster, following the remote site of {@code remote}
     * (its primary_conninfo, primary_slot_name, restore_command, ...); waits as briefly as {@link #startReplica}.
     * The default (for test doubles) starts a plain replica of the remote host:port.
     */
    default boolean startStandbyLeader(StandbyClusterConfig remote) throws Exception {
        return startReplica(remote.host(), remote.port());
    }

    /**
     * Re-point the running standby at the remote site of {@code remote} as the standby leader. The default (for
     * test doubles) follows the remote host:port as a plain replica.
     */
    default void followRemote(StandbyClusterConfig remote) throws Exception {
        follow(remote.host(), remote.port());
    }

    /** Start out of recovery (crash restart of the lock holder); waits as briefly as {@link #startReplica}. */
    boolean startPrimary() throws Exception;

    /** Stop; {@code immediate} skips the shutdown checkpoint. A stopped server is left alone. */
    void stop(boolean immediate) throws Exception;

    /**
     * The end of the WAL before the shutdown checkpoint (the last WAL record) of a cleanly stopped server, read from
     * {@code global/pg_control}: every commit lies below it; 0 when the server is running, crashed, or the file is
     * unreadable.
     */
    long shutdownCheckpoint();

    /** Leave recovery. */
    void promote() throws Exception;

    /**
     * Runs {@code postgresql.pre_promote} (after the lock is ours, before {@link #promote}) and waits for it,
     * asking {@code keepGoing} about once a second (it renews the lock; false kills the script); true when none is
     * configured or it exited 0. False cancels the promotion.
     */
    default boolean prePromote(java.util.function.BooleanSupplier keepGoing) {
        return true;
    }

    /**
     * The next {@link #stop} and start are one restart (REST {@code POST /restart}): {@code on_restart} fires
     * when it runs again, instead of {@code on_stop} and {@code on_start}.
     */
    default void beginRestart() {
    }

    /** CHECKPOINT (after a promotion, so a former primary can rewind against us; before a switchover stop). */
    void checkpoint();

    /** Rewrite the server's configuration files for its current role and reload it. */
    void reload() throws Exception;

    /**
     * Re-point a running replica at {@code host:port}; returns whether it streams through its replication slot
     * there (false while the upstream has not created it yet: it then streams without one).
     */
    boolean follow(String host, int port) throws Exception;

    /** pg_rewind the stopped server against {@code host:port}; false when impossible or failed. */
    boolean rewind(String host, int port) throws Exception;

    /**
     * Whether this running replica diverged from the leader at {@code host:port} (timeline check, reference §2.6):
     * the reason, or empty when it did not or when that could not be found out (the default: no check is no rewind).
     */
    default java.util.Optional<String> divergence(String host, int port) {
        return java.util.Optional.empty();
    }

    /** Move the data directory aside (never deleted) so a fresh clone can be taken. */
    void moveDataDirAside() throws Exception;

    /**
     * Converge the local server's replication slots to {@code request} when it runs in the requested role; returns
     * the wanted slots' positions (empty when unknown). Never throws for a single slot's failure.
     */
    Map<String, Long> syncSlots(io.bulwark.postgres.SlotRequest request) throws Exception;

    /**
     * On a running replica: copies the permanent logical slots {@code names} from the leader at {@code host:port}
     * (stop, write their state files, start again following it; see {@code postgres.LogicalSlotCopy}); returns
     * the names copied (empty when none could be, e.g. wal_level is not logical here). Runs beside the HA loop.
     * The default (for test doubles) copies nothing.
     */
    default List<String> copyLogicalSlots(String host, int port, java.util.Collection<String> names) throws Exception {
        return List.of();
    }

    /** Parameters that wait for a restart to take effect (name to new value). */
    Map<String, String> pendingRestart();

    /** On a primary: rows of pg_stat_replication. */
    List<Map<String, Object>> replication();

    /** Timeline history of the current timeline, from its {@code .history} file; empty on timeline 1. */
    List<HistoryEntry> timelineHistory();

    /** On a running primary: its walsenders with flush positions; empty when unknown. */
    List<io.bulwark.postgres.WalSender> walSenders();

    /**
     * Sets {@code synchronous_standby_names} ({@code null}: as configured, synchronous mode off) and reloads when it
     * changed; returns whether it did.
     */
    boolean synchronousStandbyNames(String value) throws Exception;

    /** On a running primary: synchronous_standby_names as the server applies it now. */
    String synchronousStandbyNamesInEffect() throws Exception;
}
