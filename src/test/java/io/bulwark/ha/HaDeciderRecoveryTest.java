package io.bulwark.ha;

import io.bulwark.ha.Action.Rejoin;
import io.bulwark.ha.Action.ReleaseLock;
import io.bulwark.ha.Action.RestartPrimary;
import io.bulwark.ha.Action.StartReplica;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.bulwark.ha.PgStates.crashedPrimary;
import static io.bulwark.ha.PgStates.emptyDataDir;
import static io.bulwark.ha.PgStates.stoppedCleanPrimary;
import static io.bulwark.ha.PgStates.stoppedReplica;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL not running (reference §2.2 steps 9 and 11): restart a crashed primary in place while we hold the
 * lock, give the lock up when a replica can take over sooner, rejoin a former primary through pg_rewind or a
 * fresh clone, start a stopped replica.
 */
class HaDeciderRecoveryTest {

    /** node1 holds the lock and its PostgreSQL crashed; node2 is a running replica that could take over. */
    private static Situation crashedLeaderWithCandidate() {
        return Situation.as("node1").leaderIs("node1").withReplica("node2").pg(crashedPrimary())
                .leaseValidFor(Duration.ofSeconds(3));
    }

    @Test
    void crashedPrimaryHoldingTheLockRestartsInPlace() {
        Decision d = crashedLeaderWithCandidate().pgDownFor(Duration.ofSeconds(1)).decide();

        assertThat(d).isEqualTo(new Decision(new RestartPrimary(), "starting primary after failure"));
    }

    @Test
    void crashedPrimaryRestartsInPlaceRightUpToPrimaryStartTimeout() {
        Decision d = crashedLeaderWithCandidate().primaryStartTimeout(30).pgDownFor(Duration.ofSeconds(30)).decide();

        assertThat(d).isEqualTo(new Decision(new RestartPrimary(), "starting primary after failure"));
    }

    @Test
    void crashedPrimaryReleasesTheLockPastPrimaryStartTimeoutWhenAReplicaCanTakeOver() {
        Decision d = crashedLeaderWithCandidate().primaryStartTimeout(30).pgDownFor(Duration.ofSeconds(31)).decide();

        assertThat(d).isEqualTo(new Decision(new ReleaseLock(),
                "removed leader key after trying and failing to start postgres"));
    }

    @Test
    void primaryStartTimeoutZeroFailsOverAtOnceWhenAReplicaCanTakeOver() {
        Decision d = crashedLeaderWithCandidate().primaryStartTimeout(0).decide();

        assertThat(d).isEqualTo(new Decision(new ReleaseLock(), "stopped PostgreSQL to fail over after a crash"));
    }

    @Test
    void crashedPrimaryKeepsRestartingPastTheTimeoutWhenNoReplicaCanTakeOver() {
        Decision d = Situation.as("node1").leaderIs("node1").withMember("node2", Members.stoppedReplica("node2"))
                .withMember("node3", Members.member("node3", "running", "replica", 0, Map.of("nofailover", true)))
                .pg(crashedPrimary()).primaryStartTimeout(30).pgDownFor(Duration.ofMinutes(10)).decide();

        assertThat(d).isEqualTo(new Decision(new RestartPrimary(), "starting primary after failure"));
    }

    @Test
    void primaryStartTimeoutZeroStillRestartsWhenNoReplicaCanTakeOver() {
        Decision d = Situation.as("node1").leaderIs("node1").pg(crashedPrimary()).primaryStartTimeout(0)
                .leaseValidFor(Duration.ofSeconds(3)).decide();

        assertThat(d).isEqualTo(new Decision(new RestartPrimary(), "starting primary after failure"));
    }

    @Test
    void cleanlyStoppedPrimaryHoldingTheLockStartsAgainAsPrimary() {
        Decision d = Situation.as("node1").leaderIs("node1").pg(stoppedCleanPrimary())
                .leaseValidFor(Duration.ofSeconds(3)).decide();

        assertThat(d).isEqualTo(new Decision(new RestartPrimary(), "starting primary after failure"));
    }

    @Test
    void stoppedReplicaHoldingTheLockStartsReadOnlyToBePromotedNext() {
        Decision d = Situation.as("node2").leaderIs("node2").pg(stoppedReplica())
                .leaseValidFor(Duration.ofSeconds(3)).decide();

        assertThat(d).isEqualTo(new Decision(new StartReplica(null),
                "starting as readonly because i had the session lock"));
    }

    @Test
    void stoppedFormerPrimaryRewindsFromTheNewLeader() {
        Situation s = Situation.as("node1").leaderIs("node2").withPrimary("node2").usePgRewind(true)
                .pg(stoppedCleanPrimary());

        assertThat(s.decide()).isEqualTo(new Decision(new Rejoin(s.member("node2")), "running pg_rewind from node2"));
    }

    @Test
    void stoppedFormerPrimaryIsReinitializedWithoutPgRewind() {
        Situation s = Situation.as("node1").leaderIs("node2").withPrimary("node2").usePgRewind(false)
                .pg(stoppedCleanPrimary());

        assertThat(s.decide()).isEqualTo(new Decision(new Rejoin(s.member("node2")),
                "reinitializing due to diverged timelines"));
    }

    @Test
    void crashedFormerPrimaryRejoinsTheNewLeader() {
        Situation s = Situation.as("node1").leaderIs("node2").withPrimary("node2").pg(crashedPrimary());

        assertThat(s.decide()).isEqualTo(new Decision(new Rejoin(s.member("node2")), "running pg_rewind from node2"));
    }

    @Test
    void stoppedReplicaStartsFollowingTheLeader() {
        Situation s = Situation.as("node2").leaderIs("node1").withPrimary("node1").pg(stoppedReplica());

        assertThat(s.decide()).isEqualTo(new Decision(new StartReplica(s.member("node1")), "starting as a secondary"));
    }

    @Test
    void stoppedServerWithNoLeaderStartsAsAStandbyWithoutUpstream() {
        Decision d = Situation.as("node2").noLeader().pg(stoppedCleanPrimary()).decide();

        assertThat(d).isEqualTo(new Decision(new StartReplica(null), "starting as a secondary"));
    }

    @Test
    void leaderWithAnEmptyDataDirReleasesTheLock() {
        Decision d = Situation.as("node1").leaderIs("node1").withReplica("node2").pg(emptyDataDir())
                .leaseValidFor(Duration.ofSeconds(3)).decide();

        assertThat(d).isEqualTo(new Decision(new ReleaseLock(),
                "released leader key voluntarily as data dir empty and currently leader"));
    }
}
