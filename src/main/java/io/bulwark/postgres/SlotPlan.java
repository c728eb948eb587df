package io.bulwark.postgres;

import io.bulwark.config.SlotSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What to do to the slots of the local server so that they match a {@link SlotRequest}: pure, so that every rule
 * is tested without a server (reference §2.7).
 *
 * <ul>
 *   <li>A slot matching {@code ignore_slots} (name, type, database, plugin; an absent field matches anything) is
 *   never touched: not created, advanced, re-created or dropped.</li>
 *   <li>A wanted slot that is missing is created; one of the wrong kind (physical against logical, or a logical
 *   slot of another database or plugin) is dropped and created again, but only while nobody uses it.</li>
 *   <li>On a replica, an inactive physical slot is advanced to the position the leader published for it, so that
 *   after a failover it holds only the WAL its consumer still needs (a slot kept at its creation point would pin
 *   WAL forever).</li>
 *   <li>On a replica, a copy of a permanent logical slot (see {@link LogicalSlotCopy}) is advanced, in its
 *   database, to the confirmed position the leader published for it, so that after a failover its consumer goes
 *   on from where it was on the old primary. A missing one is not created here: only a copy of the leader's slot
 *   can be used, which takes a restart.</li>
 *   <li>Any other slot is dropped when inactive and dropping is allowed: an active slot is left alone (its
 *   consumer would be cut off mid-stream), and nothing is dropped in maintenance mode.</li>
 * </ul>
 */
final class SlotPlan {
    private SlotPlan() {
    }

    /** A row of {@code pg_replication_slots}; positions in bytes (0: none). */
    record ExistingSlot(String name, String type, String database, String plugin, boolean active, long restartLsn,
                        long confirmedFlushLsn) {
        boolean logical() {
            return "logical".equals(type);
        }
    }

    sealed interface Op {
        String name();
    }

    record CreatePhysical(String name) implements Op {
    }

    record CreateLogical(String name, String database, String plugin) implements Op {
    }

    record Advance(String name, long lsn) implements Op {
    }

    record AdvanceLogical(String name, String database, long lsn) implements Op {
    }

    record Drop(String name, String why) implements Op {
    }

    static List<Op> plan(List<ExistingSlot> existing, SlotRequest req) {
        SlotSettings settings = req.settings();
        List<Op> ops = new ArrayList<>();
        for (Map.Entry<String, Long> want : req.physical().entrySet()) {
            String name = want.getKey();
            if (settings.ignored(name, "physical", null, null) || !SlotNames.isValid(name)) {
                continue;
            }
            Optional<ExistingSlot> have = find(existing, name);
            if (have.isEmpty()) {
                ops.add(new CreatePhysical(name));
            } else if (have.get().logical()) {
                if (!have.get().active() && !ignored(settings, have.get())) {
                    ops.add(new Drop(name, "it is logical, but a physical slot of that name is wanted"));
                    ops.add(new CreatePhysical(name));
                }
            } else if (!req.primary() && !have.get().active() && want.getValue() > have.get().restartLsn()
                    && have.get().restartLsn() > 0) {
                ops.add(new Advance(name, want.getValue()));
            }
        }
        for (SlotSettings.PermanentSlot want : req.logical()) {
            String name = want.name();
            if (settings.ignored(name, "logical", want.database(), want.plugin())) {
                continue;
            }
            Optional<ExistingSlot> have = find(existing, name);
            if (!req.primary()) {
                Long target = req.logicalPositions().get(name);
                if (have.isPresent() && matches(have.get(), want) && !have.get().active() && target != null
                        && target > have.get().confirmedFlushLsn() && have.get().confirmedFlushLsn() > 0) {
                    ops.add(new AdvanceLogical(name, want.database(), target));
                }
                continue;
            }
            if (have.isEmpty()) {
                ops.add(new CreateLogical(name, want.database(), want.plugin()));
            } else if (!matches(have.get(), want)) {
                if (!have.get().active() && !ignored(settings, have.get())) {
                    ops.add(new Drop(name, "it does not match the configuration (type logical, database "
                            + want.database() + ", plugin " + want.plugin() + ")"));
                    ops.add(new CreateLogical(name, want.database(), want.plugin()));
                }
            }
        }
        if (req.mayDrop()) {
            for (ExistingSlot have : existing) {
                if (!req.wants(have.name()) && !have.active() && !ignored(settings, have)) {
                    ops.add(new Drop(have.name(), "it belongs to no member and is not a permanent slot"));
                }
            }
        }
        return ops;
    }

    /** A logical slot of the wanted database and plugin. */
    static boolean matches(ExistingSlot have, SlotSettings.PermanentSlot want) {
        return have.logical() && want.database().equals(have.database()) && want.plugin().equals(have.plugin());
    }

    private static boolean ignored(SlotSettings settings, ExistingSlot s) {
        return settings.ignored(s.name(), s.type(), s.database(), s.plugin());
    }

    private static Optional<ExistingSlot> find(List<ExistingSlot> existing, String name) {
        return existing.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
