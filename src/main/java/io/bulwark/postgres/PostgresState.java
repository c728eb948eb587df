package io.bulwark.postgres;

/**
 * What the agent observed of its local PostgreSQL in one probe: an immutable value the HA decision reads.
 *
 * @param dataDir          whether the data directory is missing, empty or holds a cluster
 * @param systemId         database system identifier (pg_controldata), or {@code null} if unknown
 * @param processState     Patroni's state string: {@code running}, {@code stopped}, {@code starting},
 *                         {@code crashed}, {@code start failed}, {@code creating replica}, ...
 * @param running          the postmaster answers queries
 * @param inRecovery       {@code pg_is_in_recovery()} while running; while {@code starting}, whether it starts as a
 *                         standby ({@code standby.signal}), so a server that is starting as a primary can be told
 *                         from one that will stay in recovery
 * @param timeline         current timeline (0 if unknown)
 * @param writeLsn         primary: {@code pg_current_wal_flush_lsn()} in bytes; 0 otherwise
 * @param receiveLsn       replica: last WAL received, bytes; 0 otherwise
 * @param replayLsn        replica: last WAL replayed, bytes; 0 otherwise
 * @param replicationState replica: {@code streaming} when a WAL receiver is active, {@code in archive recovery}
 *                         otherwise; {@code null} on a primary
 * @param upstream         replica: {@code host:port} of the server in {@code primary_conninfo}, or {@code null}
 * @param serverVersion    {@code server_version_num}, e.g. 150018 (0 if unknown)
 * @param postmasterStart  {@code pg_postmaster_start_time()} as ISO text, or {@code null}
 * @param controlState     pg_controldata's "Database cluster state" ({@code shut down},
 *                         {@code shut down in recovery}, {@code in production}, {@code in archive recovery},
 *                         ...), or {@code null} if unknown; tells a stopped former primary from a replica
 * @param slotName         replica: {@code primary_slot_name} in force, empty when it streams without a slot;
 *                         {@code null} on a primary or when unknown
 */
public record PostgresState(
        DataDirState dataDir,
        String systemId,
        String processState,
        boolean running,
        boolean inRecovery,
        int timeline,
        long writeLsn,
        long receiveLsn,
        long replayLsn,
        String replicationState,
        String upstream,
        int serverVersion,
        String postmasterStart,
        String controlState,
        String slotName) {

    public enum DataDirState { MISSING, EMPTY, INITIALIZED }

    /** Without the replica's slot name (a primary, a stopped server, or a state built by hand). */
    public PostgresState(DataDirState dataDir, String systemId, String processState, boolean running,
                         boolean inRecovery, int timeline, long writeLsn, long receiveLsn, long replayLsn,
                         String replicationState, String upstream, int serverVersion, String postmasterStart,
                         String controlState) {
        this(dataDir, systemId, processState, running, inRecovery, timeline, writeLsn, receiveLsn, replayLsn,
                replicationState, upstream, serverVersion, postmasterStart, controlState, null);
    }

    /** Is PostgreSQL still starting up (crash recovery, or a standby not yet consistent)? */
    public boolean starting() {
        return "starting".equals(processState);
    }

    /** A running replica whose primary_slot_name is empty: it streams (or tries to) without a slot. */
    public boolean streamsWithoutSlot() {
        return running && inRecovery && slotName != null && slotName.isEmpty();
    }

    /**
     * Was this data directory last run as a primary? True for a stopped server whose control file says
     * {@code shut down} or {@code in production} (crashed), the states that need a rewind check before the
     * server may follow another leader.
     */
    public boolean stoppedAsPrimary() {
        return !running && ("shut down".equals(controlState) || "in production".equals(controlState)
                || "shutting down".equals(controlState) || "in crash recovery".equals(controlState));
    }

    /** Running and not in recovery: accepting writes. */
    public boolean isPrimary() {
        return running && !inRecovery;
    }

    /** Patroni's {@code xlog_location}: primary flush LSN, replica max(receive, replay). */
    public long walPosition() {
        return isPrimary() ? writeLsn : Math.max(receiveLsn, replayLsn);
    }
}
