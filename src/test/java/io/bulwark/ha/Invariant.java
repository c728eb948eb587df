package io.bulwark.ha;

import io.bulwark.ha.DecisionSpace.Combo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiPredicate;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One property of {@link HaDecider#decide}: over the situations it {@code applies} to, every decision must
 * satisfy {@code holds}. Fed by one shared pass over {@link DecisionSpace}; not thread-safe.
 */
final class Invariant {
    private static final int SHOWN = 10;

    private final Predicate<Combo> applies;
    private final BiPredicate<Combo, Decision> holds;
    private final Map<String, Integer> seen = new TreeMap<>();
    private final List<String> violations = new ArrayList<>();
    private int broken;

    Invariant(Predicate<Combo> applies, BiPredicate<Combo, Decision> holds) {
        this.applies = applies;
        this.holds = holds;
    }

    /** {@code decision} is {@code null} when decide threw {@code failure}. */
    void record(Combo c, Decision decision, RuntimeException failure) {
        if (!applies.test(c)) {
            return;
        }
        if (decision != null) {
            seen.merge(decision.action().getClass().getSimpleName(), 1, Integer::sum);
        }
        boolean ok;
        try {
            ok = decision != null && holds.test(c, decision);
        } catch (RuntimeException e) {
            ok = false;
        }
        if (!ok && broken++ < SHOWN) {
            violations.add(c + " -> " + (decision != null ? decision : "threw " + failure));
        }
    }

    /** Asserts the property held and covered at least one situation; returns action type → count. */
    Map<String, Integer> assertHeld() {
        assertThat(seen).as("decisions in the situations this invariant constrains").isNotEmpty();
        assertThat(violations).as(broken + " combinations break the invariant; first ones").isEmpty();
        return seen;
    }
}
