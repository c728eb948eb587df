package io.bulwark.ha;

import io.bulwark.ha.Action.AcquireLock;
import io.bulwark.ha.Action.Demote;
import io.bulwark.ha.Action.NoAction;
import io.bulwark.ha.Action.Promote;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.bulwark.ha.PgStates.primaryRunning;
import static io.bulwark.ha.PgStates.replicaStreaming;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The leader race when nobody holds the leader key (reference §2.3) and promotion of the winner (§2.4).
 * node2 is the member deciding; node1 was the leader and is gone; node3 is another replica.
 */
class HaDeciderRaceTest {
    private static final long MINE = 10_000_000;
    private static final String NOT_HEALTHIEST = "following a different leader because i am not the healthiest node: ";

    /** Leader key gone, we stream at {@link #MINE}, node3 is a running replica, the old leader published MINE. */
    private static Situation leaderGone() {
        return Situation.as("node2").noLeader().withReplica("node3").optime(MINE)
                .pg(replicaStreaming("node1", MINE));
    }

    @Test
    void healthiestReplicaRacesForTheLock() {
        Decision d = leaderGone().peer("node3", false, MINE - 100).decide();

        assertThat(d).isEqualTo(new Decision(new AcquireLock(), "acquiring session lock"));
    }

    @Test
    void aloneReplicaRacesForTheLock() {
        Decision d = leaderGone().withoutMember("node3").decide();

        assertThat(d).isEqualTo(new Decision(new AcquireLock(), "acquiring session lock"));
    }

    @Test
    void replicaLaggingBeyondMaximumLagOnFailoverDoesNotRace() {
        long limit = 1_048_576;
        Decision d = leaderGone().maximumLagOnFailover(limit).optime(MINE + limit + 1)
                .peer("node3", false, MINE - 100).decide();

        assertThat(d).isEqualTo(new Decision(new NoAction(), NOT_HEALTHIEST + "my wal position exceeds maximum "
                + "replication lag (1048577 bytes behind the last known primary position, limit 1048576)"));
    }

    @Test
    void replicaBehindThePublishedPositionNeverRacesEvenWithinTheLimit() {
        long limit = 1_048_576;
        Decision d = leaderGone().maximumLagOnFailover(limit).optime(MINE + limit).withoutMember("node3").decide();

        assertThat(d).isEqualTo(new Decision(new NoAction(), NOT_HEALTHIEST + "my wal position is 1048576 bytes"
                + " behind the last position the leader published (11048576): taking over would lose acknowledged"
                + " commits; waiting for a member that has them (to take over anyway: bulwarkctl failover --candidate"
                + " node2 --force)"));
    }

    @Test
    void replicaOneByteBehindThePublishedPositionDoesNotRace() {
        Decision d = leaderGone().optime(MINE + 1).withoutMember("node3").decide();

        assertThat(d.action()).isEqualTo(new NoAction());
        assertThat(d.reason()).contains("1 bytes behind the last position the leader published");
    }

    @Test
    void replicaAheadOfThePublishedPositionRaces() {
        Decision d = leaderGone().optime(MINE - 1).withoutMember("node3").decide();

        assertThat(d).isEqualTo(new Decision(new AcquireLock(), "acquiring session lock"));
    }

    @Test
    void staleReplicaNamedAsFailoverCandidateTakesOver() {
        Decision d = leaderGone().optime(MINE + 4096).withoutMember("node3").failoverKey(null, "node2", null).decide();

        assertThat(d).isEqualTo(new Decision(new AcquireLock(), "acquiring session lock as the failover candidate"));
    }

    @Test
    void nofailoverMemberFollowsInsteadOfRacing() {
        Decision d = leaderGone().nofailover().decide();

        assertThat(d).isEqualTo(new Decision(new NoAction(),
                "following a different leader because I am not allowed to promote"));
    }

    @Test
    void failoverPriorityZeroMeansNotAllowedToPromote() {
        Decision d = leaderGone().failoverPriority(0).decide();

        assertThat(d).isEqualTo(new Decision(new NoAction(),
                "following a different leader because I am not allowed to promote"));
    }

    @Test
    void peerAheadOfUsWinsTheRace() {
        Decision d = leaderGone().peer("node3", false, MINE + 1).decide();

        assertThat(d).isEqualTo(new Decision(new NoAction(),
                NOT_HEALTHIEST + "wal position of node3 is ahead of my wal position"));
    }

    @Test
    void peerStillRunningAsPrimaryStopsTheRace() {
        Decision d = leaderGone().peer("node3", true, MINE - 5).decide();

        assertThat(d).isEqualTo(new Decision(new NoAction(), NOT_HEALTHIEST + "primary (node3) is still alive"));
    }

    @Test
    void peerAtTheSamePositionWithHigherPriorityWins() {
        Decision d = leaderGone().peer(new PeerView("node3", false, MINE, false, 2)).decide();

        assertThat(d).isEqualTo(new Decision(new NoAction(),
                NOT_HEALTHIEST + "node3 has equal wal position and a higher failover priority"));
    }

    @Test
    void peerAtTheSamePositionWithEqualPriorityLeavesTheDecisionToTheDcs() {
        Decision d = leaderGone().peer(new PeerView("node3", false, MINE, false, 1)).decide();

        assertThat(d).isEqualTo(new Decision(new AcquireLock(), "acquiring session lock"));
    }

    @Test
    void ourHigherPriorityBeatsAPeerAtTheSamePosition() {
        Decision d = leaderGone().failoverPriority(3).peer(new PeerView("node3", false, MINE, false, 2)).decide();

        assertThat(d).isEqualTo(new Decision(new AcquireLock(), "acquiring session lock"));
    }

    @Test
    void peerThatMayNotPromoteIsIgnoredEvenWhenAhead() {
        Decision d = leaderGone().peer(new PeerView("node3", false, MINE + 5_000, true, 1)).decide();

        assertThat(d).isEqualTo(new Decision(new AcquireLock(), "acquiring session lock"));
    }

    @Test
    void unreachablePeerIsIgnoredEvenWhenItsMemberKeySaysItIsAhead() {
        Decision d = leaderGone()
                .withMember("node3", Members.member("node3", "running", "replica", MINE + 5_000, Map.of()))
                .decide();

        assertThat(d).isEqualTo(new Decision(new AcquireLock(), "acquiring session lock"));
    }

    @Test
    void ourOwnAnswerInThePeerMapIsIgnored() {
        Decision d = leaderGone().peer("node2", true, MINE + 5_000).decide();

        assertThat(d).isEqualTo(new Decision(new AcquireLock(), "acquiring session lock"));
    }

    @Test
    void runningPrimaryWithoutAKeyRacesToKeepItsRole() {
        Decision d = Situation.as("node1").noLeader().withReplica("node2").optime(MINE)
                .pg(primaryRunning(MINE)).peer("node2", false, MINE).decide();

        assertThat(d).isEqualTo(new Decision(new AcquireLock(), "acquiring session lock"));
    }

    @Test
    void runningPrimaryOnAnOldTimelineDemotesInsteadOfRacing() {
        Decision d = Situation.as("node1").noLeader().timelineSwitches(1).pg(primaryRunning(MINE)).decide();

        assertThat(d).isEqualTo(new Decision(new Demote(false, false), "demoting self because i am not the "
                + "healthiest node: my timeline 1 is behind the cluster timeline 2"));
    }

    @Test
    void runningPrimaryThatSeesAnotherPrimaryDemotes() {
        Decision d = Situation.as("node1").noLeader().pg(primaryRunning(MINE)).peer("node3", true, MINE).decide();

        assertThat(d).isEqualTo(new Decision(new Demote(false, false),
                "demoting self because i am not the healthiest node: primary (node3) is still alive"));
    }

    @Test
    void replicaThatJustWonTheLockPromotes() {
        Decision d = Situation.as("node2").leaderIs("node2").pg(replicaStreaming("node1", MINE))
                .leaseValidFor(Duration.ofSeconds(3)).justAcquired().decide();

        assertThat(d).isEqualTo(new Decision(new Promote(), "promoted self to leader by acquiring session lock"));
    }

    @Test
    void replicaThatAlreadyHeldTheLockPromotes() {
        Decision d = Situation.as("node2").leaderIs("node2").pg(replicaStreaming("node1", MINE))
                .leaseValidFor(Duration.ofSeconds(3)).decide();

        assertThat(d).isEqualTo(new Decision(new Promote(),
                "promoted self to leader because I had the session lock"));
    }
}
