package io.bulwark.ha;

import io.bulwark.dcs.Member;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which members keep a replication slot on the leader: every member whose key is present, and, for
 * {@code member_slots_ttl} (Patroni 4's default: 30 minutes), every member whose key vanished, so that a replica
 * whose agent restarts or is briefly partitioned finds its WAL still there. Held by the loop thread only.
 */
final class SlotRetention {
    static final Duration MEMBER_SLOTS_TTL = Duration.ofMinutes(30);

    private final Map<String, Long> lastSeen = new HashMap<>();
    private final long ttlNanos;

    SlotRetention(Duration ttl) {
        this.ttlNanos = ttl.toNanos();
    }

    /** Members that should have a slot now, ourselves excluded. */
    Set<String> wanted(Observation o) {
        for (Member m : o.cluster().members()) {
            lastSeen.put(m.name(), o.now());
        }
        lastSeen.values().removeIf(seen -> o.now() - seen > ttlNanos);
        return lastSeen.keySet().stream().filter(n -> !n.equals(o.name())).collect(Collectors.toSet());
    }
}
