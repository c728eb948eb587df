package io.bulwark.postgres;

/**
 * One row of {@code pg_stat_replication} on the primary, as synchronous replication needs it.
 *
 * @param applicationName the standby's {@code application_name} (its member name)
 * @param state           {@code streaming}, {@code catchup}, ...
 * @param syncState       {@code sync}, {@code potential}, {@code quorum} or {@code async}
 * @param flushLsn        WAL position the standby has flushed, in bytes (0 when unknown)
 */
public record WalSender(String applicationName, String state, String syncState, long flushLsn) {

    public boolean streaming() {
        return "streaming".equals(state);
    }

    /** PostgreSQL waits for this standby's acknowledgement now. */
    public boolean synchronous() {
        return "sync".equals(syncState) || "quorum".equals(syncState);
    }
}
