package io.bulwark.ha;

import io.bulwark.ha.QuorumResolver.Key;
import io.bulwark.ha.QuorumResolver.State;
import io.bulwark.ha.QuorumResolver.Step;
import io.bulwark.postgres.StandbyNames;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The quorum commit steps: examples first, then {@link QuorumSimulation} over random member sets. */
class QuorumResolverTest {

    private static StandbyNames any(int n, String... names) {
        return StandbyNames.any(n, List.of(names));
    }

    private static Key key(int quorum, String... voters) {
        return new Key(quorum, Set.of(voters));
    }

    private static State state(Key key, StandbyNames ssn, Set<String> active, int wanted) {
        return new State(key, ssn, List.of(ssn), false, active, wanted, false);
    }

    @Test
    void aNewStandbyJoinsTheKeyBeforeTheStandbyNames() {
        State s = state(key(0, "a"), any(1, "a"), Set.of("a", "b"), 1);

        assertThat(QuorumResolver.next(s)).contains(new Step.WriteKey(key(1, "a", "b")));
        State after = state(key(1, "a", "b"), any(1, "a"), Set.of("a", "b"), 1);
        assertThat(QuorumResolver.next(after)).contains(new Step.WriteStandbyNames(any(1, "a", "b")));
    }

    @Test
    void aLostStandbyLeavesTheStandbyNamesFirstAndTheKeyOnlyOnceTheRestConfirmed() {
        State s = state(key(1, "a", "b"), any(1, "a", "b"), Set.of("a"), 1);

        assertThat(QuorumResolver.next(s)).contains(new Step.WriteStandbyNames(any(1, "a")));
        State unconfirmed = new State(key(1, "a", "b"), any(1, "a"), List.of(any(1, "a", "b"), any(1, "a")), false,
                Set.of("a"), 1, false);
        assertThat(QuorumResolver.next(unconfirmed)).as("b alone may hold a commit acknowledged before").isEmpty();
        State confirmed = state(key(1, "a", "b"), any(1, "a"), Set.of("a"), 1);
        assertThat(QuorumResolver.next(confirmed)).contains(new Step.WriteKey(key(0, "a")));
    }

    @Test
    void raisingTheNodeCountWaitsForConfirmationBeforeLoweringTheQuorum() {
        State s = state(key(1, "a", "b"), any(1, "a", "b"), Set.of("a", "b"), 2);

        assertThat(QuorumResolver.next(s)).contains(new Step.WriteStandbyNames(any(2, "a", "b")));
        State unconfirmed = new State(key(1, "a", "b"), any(2, "a", "b"), List.of(any(1, "a", "b"), any(2, "a", "b")),
                false, Set.of("a", "b"), 2, false);
        assertThat(QuorumResolver.next(unconfirmed)).isEmpty();
    }

    @Test
    void loweringTheNodeCountRaisesTheQuorumFirst() {
        State s = state(key(0, "a", "b"), any(2, "a", "b"), Set.of("a", "b"), 1);

        assertThat(QuorumResolver.next(s)).contains(new Step.WriteKey(key(1, "a", "b")));
    }

    @Test
    void withEveryStandbyGoneNonStrictGoesAsynchronousAndTheKeyEmptiesFirst() {
        State s = state(key(1, "a", "b"), any(1, "a", "b"), Set.of(), 1);

        assertThat(QuorumResolver.next(s)).contains(new Step.WriteKey(Key.EMPTY));
        assertThat(QuorumResolver.next(state(Key.EMPTY, any(1, "a", "b"), Set.of(), 1)))
                .contains(new Step.WriteStandbyNames(StandbyNames.OFF));
    }

    @Test
    void strictKeepsWaitingForTheLostStandbysAndNamesThePlaceholderWhenThereWereNone() {
        State s = new State(key(1, "a", "b"), any(1, "a", "b"), List.of(any(1, "a", "b")), false, Set.of(), 1, true);
        assertThat(QuorumResolver.next(s)).isEmpty();

        State none = new State(Key.EMPTY, StandbyNames.OFF, List.of(StandbyNames.OFF), false, Set.of(), 1, true);
        assertThat(QuorumResolver.next(none)).contains(new Step.WriteStandbyNames(
                any(1, StandbyNames.STRICT_PLACEHOLDER)));
    }

    @Test
    void aKeyUnsafeWithTheStandbyNamesInEffectIsFixedFirst() {
        // synchronous_standby_names was reset to empty behind our back while the key still let b alone take over
        State s = state(key(0, "b"), StandbyNames.OFF, Set.of("a", "b"), 1);

        assertThat(QuorumResolver.next(s)).contains(new Step.WriteKey(Key.EMPTY));
    }

    @Test
    void withAnUnknownHistoryTheKeyOnlyTightensUntilConfirmed() {
        State s = new State(key(1, "a", "b"), any(2, "a", "b"), List.of(any(2, "a", "b")), true,
                Set.of("a", "b"), 2, false);

        assertThat(QuorumResolver.next(s)).as("quorum 0 would trust one standby for commits from before")
                .isEmpty();
    }

    @Test
    void safetyIsTheOverlapOfVotersAndAcknowledgers() {
        assertThat(QuorumResolver.safe(key(1, "a", "b"), any(1, "a", "b"))).isTrue();
        assertThat(QuorumResolver.safe(key(0, "a", "b"), any(1, "a", "b"))).isFalse();
        assertThat(QuorumResolver.safe(key(1, "a", "b", "c"), any(1, "a", "b"))).isFalse();
        assertThat(QuorumResolver.safe(key(2, "a", "b", "c"), any(1, "a", "b"))).isTrue();
        assertThat(QuorumResolver.safe(Key.EMPTY, any(1, "a"))).isTrue();
        assertThat(QuorumResolver.safe(key(0, "a"), StandbyNames.OFF)).isFalse();
        assertThat(QuorumResolver.safe(key(0, "a"), any(2, "a"))).as("nothing can be acknowledged").isTrue();
        assertThat(QuorumResolver.safe(key(0, "a"), StandbyNames.parse("FIRST 1 (*)"))).isFalse();
    }

    @Test
    void theWantedStateMatchesPatroni() {
        State s = state(Key.EMPTY, StandbyNames.OFF, Set.of("a", "b", "c"), 2);

        assertThat(QuorumResolver.wantedStandbyNames(s)).isEqualTo(any(2, "a", "b", "c"));
        assertThat(QuorumResolver.wantedKey(any(2, "a", "b", "c"))).isEqualTo(key(1, "a", "b", "c"));
    }

    @Test
    void randomMembershipNeverLosesAnAcknowledgedCommitAndConverges() {
        for (long seed = 1; seed <= 1000; seed++) {
            QuorumSimulation sim = new QuorumSimulation(seed);
            sim.run(60);
            sim.settle(12);
            Optional<String> done = sim.converged();
            assertThat(done).as("seed " + seed + ": " + sim.describe()).isEmpty();
        }
    }
}
