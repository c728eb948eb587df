package io.bulwark.dcs;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code sync} key: {@code {"leader": name, "quorum": n, "sync_standby": "a,b" or null}}.
 */
public record SyncState(long version, String leader, Integer quorum, String syncStandby) {

    /** The standbys named in {@code sync_standby}, lower-cased (PostgreSQL compares names case-insensitively). */
    public Set<String> standbys() {
        Set<String> out = new LinkedHashSet<>();
        if (syncStandby != null) {
            for (String n : syncStandby.split(",")) {
                if (!n.isBlank()) {
                    out.add(n.trim().toLowerCase(Locale.ROOT));
                }
            }
        }
        return out;
    }

    /** Is {@code name} one of the synchronous standbys? */
    public boolean lists(String name) {
        return name != null && standbys().contains(name.toLowerCase(Locale.ROOT));
    }

    /** Was this key written by {@code name} as leader? */
    public boolean writtenBy(String name) {
        return leader != null && leader.equalsIgnoreCase(name);
    }
}
