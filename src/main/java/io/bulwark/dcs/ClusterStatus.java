package io.bulwark.dcs;

import java.util.List;
import java.util.Map;

/**
 * The {@code status} key: {@code {"optime": <lsn>, "slots": {...}, "retain_slots": [...]}}.
 *
 * @param optime       the leader's last published WAL position in bytes (0 when unknown)
 * @param slots        slot name to confirmed position
 * @param retainSlots  slots to keep although their member is gone
 */
public record ClusterStatus(long optime, Map<String, Long> slots, List<String> retainSlots) {
    public static final ClusterStatus EMPTY = new ClusterStatus(0, Map.of(), List.of());

    public ClusterStatus {
        slots = slots == null ? Map.of() : Map.copyOf(slots);
        retainSlots = retainSlots == null ? List.of() : List.copyOf(retainSlots);
    }
}
