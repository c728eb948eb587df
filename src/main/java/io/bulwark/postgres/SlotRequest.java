package io.bulwark.postgres;

import io.bulwark.config.SlotSettings;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The replication slots the HA loop wants on the local server (reference §2.7), converged by {@link Slots}.
 *
 * @param primary  the server runs as the primary: logical slots are created here, nothing is advanced
 * @param physical physical slot name to the position a replica advances it to (0: leave it where it is)
 * @param logical  permanent logical slots (created on the primary only)
 * @param settings {@code ignore_slots}: matching slots are never created, advanced or dropped
 * @param mayDrop  whether slots nobody wants may be dropped (not in maintenance mode, as Patroni)
 * @param logicalPositions on a replica: the positions the leader published for the logical slots, to which the
 *                 replica's copies are advanced (see {@link LogicalSlotCopy})
 */
public record SlotRequest(boolean primary, Map<String, Long> physical, List<SlotSettings.PermanentSlot> logical,
                          SlotSettings settings, boolean mayDrop, Map<String, Long> logicalPositions) {
    public SlotRequest {
        physical = java.util.Collections.unmodifiableMap(new TreeMap<>(physical));
        logical = List.copyOf(logical);
        logicalPositions = java.util.Collections.unmodifiableMap(new TreeMap<>(logicalPositions));
    }

    public SlotRequest(boolean primary, Map<String, Long> physical, List<SlotSettings.PermanentSlot> logical,
                       SlotSettings settings, boolean mayDrop) {
        this(primary, physical, logical, settings, mayDrop, Map.of());
    }

    /** A primary that keeps exactly these physical slots (member slots only, no permanent or ignored ones). */
    public static SlotRequest primaryWith(Set<String> physical) {
        Map<String, Long> names = new TreeMap<>();
        physical.forEach(n -> names.put(n, 0L));
        return new SlotRequest(true, names, List.of(), SlotSettings.NONE, true);
    }

    /** Whether {@code name} is one of the wanted slots (physical or logical). */
    public boolean wants(String name) {
        return physical.containsKey(name) || logical.stream().anyMatch(s -> s.name().equals(name));
    }
}
