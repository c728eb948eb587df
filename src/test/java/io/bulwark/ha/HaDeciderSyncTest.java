package io.bulwark.ha;

import io.bulwark.ha.Action.AcquireLock;
import io.bulwark.ha.Action.NoAction;
import org.junit.jupiter.api.Test;

import static io.bulwark.ha.PgStates.replicaStreaming;
import static org.assertj.core.api.Assertions.assertThat;

/** synchronous_mode: only a member the sync key names (or the leader that wrote it) takes over automatically. */
class HaDeciderSyncTest {
    private static final long MINE = 10_000_000;

    private static Situation leaderGone() {
        return Situation.as("node2").noLeader().withReplica("node3").optime(MINE).pg(replicaStreaming("node1", MINE));
    }

    @Test
    void aSynchronousStandbyTakesOver() {
        Decision d = leaderGone().syncMode(false).syncKey("node1", "node2").decide();

        assertThat(d).isEqualTo(new Decision(new AcquireLock(), "acquiring session lock"));
    }

    @Test
    void anAsynchronousReplicaDoesNotTakeOverEvenWhenItIsTheMostAdvanced() {
        Decision d = leaderGone().syncMode(false).syncKey("node1", "node3").peer("node3", false, MINE - 100).decide();

        assertThat(d.action()).isEqualTo(new NoAction());
        assertThat(d.reason()).contains("synchronous_mode is on and I am not a synchronous standby (the sync key names"
                + " node3)");
    }

    @Test
    void withNoSynchronousStandbyRecordedNobodyTakesOver() {
        assertThat(leaderGone().syncMode(false).syncKey("node1", null).decide().action()).isEqualTo(new NoAction());
        assertThat(leaderGone().syncMode(true).decide().action()).as("no sync key").isEqualTo(new NoAction());
    }

    @Test
    void anAsynchronousReplicaAheadDoesNotBlockTheSynchronousStandby() {
        // node3 may not take over (not in the key) and holds no acknowledged commit node2 lacks: without this
        // rule neither would ever take over
        Decision d = leaderGone().syncMode(false).syncKey("node1", "node2").peer("node3", false, MINE + 100).decide();

        assertThat(d).isEqualTo(new Decision(new AcquireLock(), "acquiring session lock"));
    }

    @Test
    void theLeaderThatWroteTheKeyMayTakeOverAgainAfterAFullStop() {
        Decision d = leaderGone().syncMode(false).syncKey("node2", "node3").withoutMember("node3").decide();

        assertThat(d).isEqualTo(new Decision(new AcquireLock(), "acquiring session lock"));
    }

    @Test
    void namesAreComparedCaseInsensitivelyAsPostgresqlDoes() {
        Decision d = leaderGone().syncMode(false).syncKey("node1", "NODE2").decide();

        assertThat(d.action()).isEqualTo(new AcquireLock());
    }

    @Test
    void withSynchronousModeOffTheSyncKeyIsIgnored() {
        Decision d = leaderGone().syncKey("node1", "node3").decide();

        assertThat(d.action()).isEqualTo(new AcquireLock());
    }

    @Test
    void aSwitchoverToAnAsynchronousReplicaFindsNoHealthyCandidate() {
        Decision d = Situation.as("node1").leaderIs("node1").leaseValidFor(java.time.Duration.ofSeconds(3))
                .withReplica("node2").withReplica("node3").syncMode(false).syncKey("node1", "node2")
                .failoverKey("node1", "node3", null).pg(PgStates.primaryRunning(MINE)).decide();

        assertThat(d.action()).isEqualTo(new Action.ClearFailover());
        assertThat(d.reason()).contains("no healthy candidate");
    }
}
