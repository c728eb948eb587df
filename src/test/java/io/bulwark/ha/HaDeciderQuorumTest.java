package io.bulwark.ha;

import io.bulwark.ha.Action.AcquireLock;
import io.bulwark.ha.Action.NoAction;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.bulwark.ha.PgStates.replicaStreaming;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * synchronous_mode quorum: a replica takes over only after seeing quorum + 1 members of the sync key (itself included
 * when it is one) none of them ahead of it, as Patroni.
 */
class HaDeciderQuorumTest {
    private static final long MINE = 10_000_000;

    /** node1 (the old leader) is gone; the key says: any 2 of (node1, node2, node3, node4) have every commit. */
    private static Situation leaderGone(String me) {
        return Situation.as(me).noLeader().withReplica("node2").withReplica("node3").withReplica("node4")
                .withReplica("node5").optime(MINE).pg(replicaStreaming("node1", MINE)).quorumMode(false)
                .quorumKey("node1", 1, "node2,node3,node4");
    }

    @Test
    void aVoterThatSeesAnotherVoterNotAheadTakesOver() {
        Decision d = leaderGone("node2").peer("node3", false, MINE).decide();

        assertThat(d).isEqualTo(new Decision(new AcquireLock(), "acquiring session lock"));
    }

    @Test
    void aVoterThatSeesNoOtherVoterRefusesNamingTheCount() {
        Decision d = leaderGone("node2").peer("node5", false, MINE - 10).decide();

        assertThat(d.action()).isEqualTo(new NoAction());
        assertThat(d.reason()).contains("quorum commit: 1 of the sync key's members (node1, node2, node3, node4) are"
                + " reachable and not ahead of me, counting myself; 2 needed (quorum 1 + 1)");
    }

    @Test
    void aVoterAheadOfUsWins() {
        Decision d = leaderGone("node2").peer("node3", false, MINE + 1).peer("node4", false, MINE).decide();

        assertThat(d.action()).isEqualTo(new NoAction());
        assertThat(d.reason()).contains("wal position of node3 is ahead of my wal position");
    }

    @Test
    void aMemberOutsideTheKeyNeedsOneVoteMore() {
        Decision one = leaderGone("node5").peer("node2", false, MINE).decide();
        assertThat(one.action()).isEqualTo(new NoAction());
        assertThat(one.reason()).contains("1 of the sync key's members");

        Decision two = leaderGone("node5").peer("node2", false, MINE).peer("node3", false, MINE - 5).decide();
        assertThat(two).isEqualTo(new Decision(new AcquireLock(), "acquiring session lock"));
    }

    @Test
    void anAsynchronousReplicaAheadDoesNotBlockTheVoters() {
        Decision d = leaderGone("node2").peer("node3", false, MINE).peer("node5", false, MINE + 100).decide();

        assertThat(d.action()).isEqualTo(new AcquireLock());
    }

    @Test
    void withQuorumZeroAVoterAloneTakesOver() {
        Decision d = leaderGone("node2").quorumKey("node1", 0, "node2,node3").decide();

        assertThat(d.action()).isEqualTo(new AcquireLock());
    }

    @Test
    void withNoVotersOnlyTheOldLeadersVoteElects() {
        assertThat(leaderGone("node2").quorumKey("node1", 0, null).decide().action()).isEqualTo(new NoAction());
        assertThat(leaderGone("node2").quorumKey("node1", 0, null).peer("node1", false, MINE).decide().action())
                .as("the old leader, back as a replica, not ahead").isEqualTo(new AcquireLock());
    }

    @Test
    void theFormerLeaderWithNobodyAheadMayTakeOverAgain() {
        Decision d = Situation.as("node1").noLeader().withReplica("node2").optime(MINE)
                .pg(PgStates.withUpstream(replicaStreaming("node9", MINE), null)).quorumMode(false)
                .quorumKey("node1", 1, "node2,node3").decide();

        assertThat(d.action()).isEqualTo(new AcquireLock());
    }

    @Test
    void withoutASyncKeyNobodyTakesOver() {
        Decision d = leaderGone("node2").peer("node3", false, MINE).syncKey(null, null).decide();

        assertThat(d.action()).isEqualTo(new NoAction());
        assertThat(d.reason()).contains("the sync key is missing");
    }

    @Test
    void aKeyWithAQuorumIsReadAsOneEvenBeforeThisMemberSeesTheModeChange() {
        Decision d = leaderGone("node2").syncMode(false).quorumKey("node1", 1, "node2,node3").decide();

        assertThat(d.action()).as("alone, node2 may lack commits that node3 acknowledged").isEqualTo(new NoAction());
    }

    @Test
    void theLeaderGivesUpAFailedStartOnlyIfEnoughVotersCouldElectSomeone() {
        Situation crashed = Situation.as("node1").leaderIs("node1").leaseValidFor(Duration.ofSeconds(20))
                .withReplica("node2").withReplica("node3").quorumMode(false).primaryStartTimeout(0)
                .pg(PgStates.crashedPrimary());
        assertThat(crashed.quorumKey("node1", 1, "node2,node3").decide().action())
                .isEqualTo(new Action.ReleaseLock());
        assertThat(crashed.quorumKey("node1", 2, "node2,node3,node4").decide().action())
                .as("node4 is gone: two voters cannot make quorum 2 + 1").isNotEqualTo(new Action.ReleaseLock());
    }
}
