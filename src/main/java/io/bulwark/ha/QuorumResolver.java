package io.bulwark.ha;

import io.bulwark.postgres.StandbyNames;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Quorum commit ({@code synchronous_mode: quorum}) as pure rules: the next safe change of
 * {@code synchronous_standby_names} or of the {@code sync} key on the way to the wanted state.
 *
 * <p>Two "ANY k of a set" facts are kept in two places. PostgreSQL acknowledges a commit once {@code n} of the
 * standbys {@code S} in {@code synchronous_standby_names = 'ANY n (S)'} have flushed it. The {@code sync} key says a
 * replica may take over only after seeing {@code q + 1} members of {@code V ∪ {leader}} (itself included when it
 * is one) none of them ahead of it, {@code V} being {@code sync_standby} and {@code q} {@code quorum}
 * (see {@link QuorumVotes}). No acknowledged commit is lost if every such set of voters meets every set that can
 * acknowledge: with the leader in neither {@code S} nor {@code V}, when {@code |V ∪ S| <= q + n} (a voter set and an
 * acknowledging set cannot both fit beside each other), or {@code |V| <= q} (a candidate needs the old leader's
 * vote, and the old leader has every commit), or {@code |S| < n} (no commit can be acknowledged). That is
 * {@link #safe}.
 *
 * <p>It must hold at every instant, for every commit already acknowledged, while the two places are written one after
 * the other. So the leader keeps the <em>guard</em>: every {@code synchronous_standby_names} value under which a commit
 * may have been acknowledged that is not yet known to be on enough members of the current one. A new value joins the
 * guard when it is written; the guard shrinks to the current value once {@code n} of its standbys have flushed the
 * primary's position from after the change (they then hold every earlier commit, and any voter set meets any
 * {@code n} of them). A step is allowed only if, afterwards, the key is {@link #safe} with every value in the guard:
 * <ul>
 *   <li>the key may change when the new key is safe with the whole guard;</li>
 *   <li>{@code synchronous_standby_names} may change when the current key is safe with the new value.</li>
 * </ul>
 * The wanted state ({@code S = V = the eligible standbys}, {@code n = min(synchronous_node_count, |S|)},
 * {@code q = |S| - n}) is safe with itself, so it is reached in at most three steps: widen the key to one safe with the
 * guard and the wanted value ({@link #joint}), write the wanted value, and after confirmation the wanted key. In
 * practice most changes need two (a new standby joins the key first and then the value; a lost one leaves the value
 * first and the key after confirmation, so writes never wait for it longer than a cycle).
 */
final class QuorumResolver {
    private QuorumResolver() {
    }

    /**
     * The quorum part of the {@code sync} key.
     *
     * @param quorum  how many voters a candidate must see besides itself
     * @param voters  {@code sync_standby}: the standbys that vote, besides the leader
     */
    record Key(int quorum, Set<String> voters) {
        static final Key EMPTY = new Key(0, Set.of());

        Key {
            voters = java.util.Collections.unmodifiableSet(names(voters));
        }
    }

    /** A step for the leader to apply; after it, ask again. */
    sealed interface Step {
        record WriteKey(Key key) implements Step {
        }

        record WriteStandbyNames(StandbyNames value) implements Step {
        }
    }

    /**
     * Everything the next step depends on.
     *
     * @param key            the {@code sync} key now (ours)
     * @param ssn            {@code synchronous_standby_names} in effect now
     * @param guard          values under which acknowledged commits may not yet be covered by {@code ssn}; includes it
     * @param historyUnknown the guard may be missing older values (the agent restarted or took over the key): until
     *                       {@code ssn} is confirmed, the key may only become {@link Key#EMPTY}
     * @param active         the standbys that may be synchronous now (streaming, not {@code nosync}, not lagging)
     * @param wanted         {@code synchronous_node_count}
     * @param strict         {@code synchronous_mode_strict}: never let commits go without a standby
     */
    record State(Key key, StandbyNames ssn, List<StandbyNames> guard, boolean historyUnknown, Set<String> active,
                 int wanted, boolean strict) {
        State {
            guard = List.copyOf(guard);
            active = names(active);
        }
    }

    /** The next step, or empty when the wanted state is reached or a confirmation is awaited. */
    static Optional<Step> next(State s) {
        StandbyNames ssnWanted = wantedStandbyNames(s);
        Key keyWanted = s.strict() && s.active().isEmpty() ? s.key() : wantedKey(ssnWanted);
        if (!safeWithAll(s.key(), s.guard())) { // e.g. synchronous_standby_names was reset behind our back
            return Optional.of(new Step.WriteKey(keyAllowed(s, keyWanted) ? keyWanted
                    : s.historyUnknown() ? Key.EMPTY : joint(s.guard())));
        }
        if (!s.key().equals(keyWanted) && keyAllowed(s, keyWanted)) {
            return Optional.of(new Step.WriteKey(keyWanted));
        }
        if (!s.ssn().equals(ssnWanted)) {
            if (safe(s.key(), ssnWanted)) {
                return Optional.of(new Step.WriteStandbyNames(ssnWanted));
            }
            List<StandbyNames> both = new java.util.ArrayList<>(s.guard());
            both.add(ssnWanted);
            Key wider = joint(both);
            if (!wider.equals(s.key()) && keyAllowed(s, wider)) {
                return Optional.of(new Step.WriteKey(wider));
            }
            if (!s.key().equals(Key.EMPTY)) { // only with an unknown history: the always-safe key
                return Optional.of(new Step.WriteKey(Key.EMPTY));
            }
        }
        return Optional.empty();
    }

    /**
     * {@code ANY min(wanted, |active|) (active)}; without active standbys, off, or in strict mode the current
     * standbys (or the placeholder nobody answers to), so commits wait.
     */
    static StandbyNames wantedStandbyNames(State s) {
        if (!s.active().isEmpty()) {
            return StandbyNames.any(Math.min(s.wanted(), s.active().size()), s.active());
        }
        if (!s.strict()) {
            return StandbyNames.OFF;
        }
        if (s.ssn().num() > 0 && !s.ssn().realNames().isEmpty()) {
            return StandbyNames.any(s.ssn().num(), s.ssn().names());
        }
        return StandbyNames.any(1, List.of(StandbyNames.STRICT_PLACEHOLDER));
    }

    /** The key that matches {@code ssn} exactly: its standbys vote, and a candidate needs all but {@code n} of them. */
    static Key wantedKey(StandbyNames ssn) {
        Set<String> real = ssn.realNames();
        if (ssn.num() <= 0 || real.size() < ssn.num() || real.contains("*")) {
            return Key.EMPTY;
        }
        return new Key(real.size() - ssn.num(), real);
    }

    /**
     * A key safe with every value in {@code values}: all their standbys vote, and a candidate needs all but the
     * smallest {@code n} of them; {@link Key#EMPTY} when one of them acknowledges without any standby.
     */
    static Key joint(Collection<StandbyNames> values) {
        Set<String> voters = names(List.of());
        int smallest = Integer.MAX_VALUE;
        for (StandbyNames v : values) {
            Set<String> real = v.realNames();
            if (v.num() > 0 && real.size() < v.num()) {
                continue; // nothing was ever acknowledged under it
            }
            if (v.num() > 0 && real.contains("*")) {
                return Key.EMPTY; // any standby at all may have acknowledged
            }
            smallest = Math.min(smallest, v.num());
            voters.addAll(real);
        }
        if (smallest == Integer.MAX_VALUE) {
            return Key.EMPTY;
        }
        if (smallest <= 0 || voters.size() <= smallest) {
            return Key.EMPTY;
        }
        return new Key(voters.size() - smallest, voters);
    }

    /** Does every voter set of {@code key} meet every set of standbys that can acknowledge under {@code ssn}? */
    static boolean safe(Key key, StandbyNames ssn) {
        Set<String> s = ssn.num() <= 0 ? Set.of() : ssn.realNames();
        int n = Math.max(ssn.num(), 0);
        if (n > 0 && s.size() < n) {
            return true;
        }
        if (key.voters().size() <= key.quorum()) {
            return true;
        }
        if (s.contains("*")) {
            return false; // any standby at all may acknowledge, voter or not
        }
        Set<String> union = names(key.voters());
        union.addAll(s);
        return union.size() <= key.quorum() + n;
    }

    static boolean safeWithAll(Key key, Collection<StandbyNames> guard) {
        return guard.stream().allMatch(v -> safe(key, v));
    }

    private static boolean keyAllowed(State s, Key key) {
        return safeWithAll(key, s.guard()) && (!s.historyUnknown() || key.equals(Key.EMPTY));
    }

    private static Set<String> names(Collection<String> names) {
        TreeSet<String> out = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        out.addAll(names);
        return out;
    }
}
