package io.bulwark.ha;

import io.bulwark.config.SlotSettings;
import io.bulwark.dcs.Member;
import io.bulwark.postgres.Postgres;
import io.bulwark.postgres.SlotRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which replication slots a member keeps (reference §2.7), from the observation alone. Pure.
 *
 * <p>Primary: one physical slot per member that streams (see {@link SlotRetention}), the permanent physical and
 * logical slots of {@code slots}. A replica that may become the leader keeps the same physical slots (those of the
 * other members, the leader's included, of {@code /status.retain_slots}, and the permanent ones) and advances them
 * to the positions the leader publishes in {@code /status.slots}: after a failover the new primary then already
 * holds a slot for every member and every permanent physical consumer, positioned where they were. A replica
 * tagged {@code nofailover} never becomes the primary and keeps none. Permanent logical slots are created on the
 * primary; a replica copies them from the leader ({@link #logicalToCopy}) and advances its copies to the positions
 * the leader publishes, so that they survive a failover.
 */
final class SlotTargets {
    private SlotTargets() {
    }

    static SlotRequest forPrimary(Observation o, Set<String> memberSlots) {
        SlotSettings settings = o.settings().dynamic().slots();
        Map<String, Long> physical = new TreeMap<>();
        memberSlots.forEach(n -> physical.put(n, 0L));
        permanentPhysical(settings).forEach(n -> physical.put(n, 0L));
        return new SlotRequest(true, physical, logical(settings), settings, !Pause.paused(o));
    }

    static SlotRequest forReplica(Observation o) {
        SlotSettings settings = o.settings().dynamic().slots();
        Map<String, Long> physical = new TreeMap<>();
        if (o.settings().tags().canFailover()) {
            String own = Postgres.slotNameFor(o.name());
            Map<String, Long> published = o.cluster().status().slots();
            List<String> names = new ArrayList<>(o.cluster().status().retainSlots());
            for (Member m : o.cluster().members()) {
                if (!m.data().tagTrue("nostream")) {
                    names.add(Postgres.slotNameFor(m.name()));
                }
            }
            names.addAll(permanentPhysical(settings));
            names.stream().filter(n -> !n.equals(own)).forEach(n -> physical.put(n, published.getOrDefault(n, 0L)));
        }
        Map<String, Long> logicalPositions = new TreeMap<>();
        for (SlotSettings.PermanentSlot slot : logical(settings)) {
            Long at = o.cluster().status().slots().get(slot.name());
            if (at != null) {
                logicalPositions.put(slot.name(), at);
            }
        }
        return new SlotRequest(false, physical, logical(settings), settings, !Pause.paused(o), logicalPositions);
    }

    /**
     * The permanent logical slots a running replica should copy from the leader ({@code postgres.LogicalSlotCopy}):
     * those it may need after a failover (it can become the leader), that the leader has (it publishes
     * their positions in {@code /status.slots}), that {@code ignore_slots} does not cover, and that are not among
     * the slots the replica has ({@code present}).
     */
    static List<String> logicalToCopy(Observation o, Set<String> present) {
        if (!o.settings().tags().canFailover()) {
            return List.of();
        }
        SlotSettings settings = o.settings().dynamic().slots();
        Map<String, Long> published = o.cluster().status().slots();
        return logical(settings).stream()
                .filter(s -> !settings.ignored(s.name(), "logical", s.database(), s.plugin()))
                .map(SlotSettings.PermanentSlot::name)
                .filter(n -> published.containsKey(n) && !present.contains(n))
                .toList();
    }

    /**
     * What the leader publishes in {@code /status.slots}: the positions of its slots, and its own slot name at its
     * current WAL position, so replicas keep a slot for it that a rejoining former leader finds after a failover.
     */
    static Map<String, Long> published(Observation o, Map<String, Long> positions, long walPosition) {
        Map<String, Long> out = new TreeMap<>(positions);
        if (walPosition > 0) {
            out.put(Postgres.slotNameFor(o.name()), walPosition);
        }
        return out;
    }

    private static List<String> permanentPhysical(SlotSettings settings) {
        return settings.permanent().values().stream().filter(s -> !s.logical()).map(SlotSettings.PermanentSlot::name)
                .toList();
    }

    private static List<SlotSettings.PermanentSlot> logical(SlotSettings settings) {
        return settings.permanent().values().stream().filter(SlotSettings.PermanentSlot::logical).toList();
    }
}
