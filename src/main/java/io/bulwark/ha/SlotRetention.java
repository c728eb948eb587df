package io.bulwark.ha;

import io.bulwark.dcs.Member;
import io.bulwark.postgres.Postgres;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which member slots are kept (reference §2.7): the slot of every member whose key is present, and, for
 * {@code member_slots_ttl} (Patroni 4's default: 30 minutes), the slot of every member whose key vanished, so that
 * a replica whose agent restarts or is briefly partitioned finds its WAL still there. The leader publishes the
 * retained names in {@code /status.retain_slots}; a new leader starts from that list (with a fresh ttl, as
 * Patroni does), so a failover does not forget a member that is away. Members tagged {@code nostream} get no slot.
 * Works in slot names. Held by the loop thread only.
 */
final class SlotRetention {
    private final Map<String, Long> lastSeen = new HashMap<>();

    /** Member slot names to keep now, {@code self}'s own excluded. */
    Set<String> wanted(Observation o) {
        long ttlNanos = o.settings().dynamic().slots().memberSlotsTtl().toNanos();
        for (String retained : o.cluster().status().retainSlots()) {
            lastSeen.putIfAbsent(retained, o.now());
        }
        for (Member m : o.cluster().members()) {
            if (!m.data().tagTrue("nostream")) {
                lastSeen.put(Postgres.slotNameFor(m.name()), o.now());
            }
        }
        lastSeen.values().removeIf(seen -> o.now() - seen >= ttlNanos);
        Set<String> out = new TreeSet<>(lastSeen.keySet());
        out.remove(Postgres.slotNameFor(o.name()));
        return out;
    }

    /** For tests and logs: the ttl in force for {@code o}. */
    static Duration ttl(Observation o) {
        return o.settings().dynamic().slots().memberSlotsTtl();
    }
}
