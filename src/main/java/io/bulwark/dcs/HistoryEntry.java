package io.bulwark.dcs;

/**
 * One line of the {@code history} key: {@code [timeline, lsn, reason, timestamp, new_leader]}; the last two
 * are optional in what Patroni reads.
 */
public record HistoryEntry(int timeline, long lsn, String reason, String timestamp, String newLeader) {
}
