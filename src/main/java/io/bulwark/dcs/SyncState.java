package io.bulwark.dcs;

/**
 * The {@code sync} key: {@code {"leader": name, "quorum": n, "sync_standby": "a,b" or null}}.
 */
public record SyncState(long version, String leader, Integer quorum, String syncStandby) {
}
