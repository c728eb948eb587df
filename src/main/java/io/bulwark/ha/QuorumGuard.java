package io.bulwark.ha;

import io.bulwark.postgres.StandbyNames;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The leader's memory for quorum commit: the {@code synchronous_standby_names} values under which acknowledged commits
 * may not yet be on enough members of the current one (the guard of {@link QuorumResolver}). Pure bookkeeping; the
 * HA thread feeds it what it observed and what it wrote.
 *
 * <p>A value is <em>confirmed</em> once {@code n} of its standbys, reported synchronous by PostgreSQL, have flushed
 * the primary's position measured one cycle after the value was first seen in effect. A cycle later, not at the
 * reload: walsenders apply a reload on their own schedule, and a commit acknowledged under the old value must be
 * below the measured position. Confirmed, the value is the whole guard: every earlier commit is on those {@code n}
 * standbys.
 */
final class QuorumGuard {
    private final List<StandbyNames> guard = new ArrayList<>();
    private StandbyNames last;
    private long switchPosition = -1; // -1: measure at the next observation
    private boolean historyUnknown;

    /**
     * At the start of a cycle on the leader.
     *
     * @param inEffect         synchronous_standby_names as the server reports it now
     * @param primaryPosition  the primary's flush position observed this cycle
     * @param synchronousFlush flush position of each standby PostgreSQL reports {@code quorum}/{@code sync} (by name)
     */
    void observe(StandbyNames inEffect, long primaryPosition, Map<String, Long> synchronousFlush) {
        if (last == null || !last.equals(inEffect)) { // first cycle as leader, or changed behind our back
            historyUnknown = last == null || historyUnknown || !guard.contains(inEffect);
            if (last == null) {
                guard.clear();
            }
            if (!guard.contains(inEffect)) {
                guard.add(inEffect);
            }
            last = inEffect;
            switchPosition = -1;
        }
        if (switchPosition < 0) {
            switchPosition = primaryPosition;
            return;
        }
        if (confirmed(inEffect, synchronousFlush)) {
            guard.clear();
            guard.add(inEffect);
            historyUnknown = false;
        }
    }

    /** After writing (and reloading) a new value. */
    void written(StandbyNames value) {
        if (!guard.contains(value)) {
            guard.add(value);
        }
        last = value;
        switchPosition = -1;
    }

    /** Forget everything: no longer the leader managing quorum commit. */
    void reset() {
        guard.clear();
        last = null;
        switchPosition = -1;
        historyUnknown = false;
    }

    List<StandbyNames> guard() {
        return List.copyOf(guard);
    }

    boolean historyUnknown() {
        return historyUnknown;
    }

    private boolean confirmed(StandbyNames v, Map<String, Long> synchronousFlush) {
        if (v.num() <= 0) {
            return true;
        }
        Set<String> real = v.realNames();
        long caughtUp = synchronousFlush.entrySet().stream()
                .filter(e -> real.contains(e.getKey()) && e.getValue() >= switchPosition).count();
        return caughtUp >= v.num();
    }
}
