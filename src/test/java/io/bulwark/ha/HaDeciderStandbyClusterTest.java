package io.bulwark.ha;

import org.junit.jupiter.api.Test;

import static io.bulwark.ha.PgStates.replicaStreaming;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * standby_cluster is not implemented yet (issue 11): a configuration that asks for it must never lead to a writable
 * primary in this cluster (Bulwark once promoted the lock holder of a standby cluster: two writable primaries).
 */
class HaDeciderStandbyClusterTest {

    @Test
    void neverBootstrapsANewCluster() {
        Decision d = Situation.as("node1").noLeader().notInitialized().pg(PgStates.emptyDataDir()).standbyCluster()
                .decide();

        assertThat(d).isEqualTo(new Decision(new Action.NoAction(), HaDecider.STANDBY_CLUSTER_REFUSAL));
    }

    @Test
    void neverRacesForTheLock() {
        Decision d = Situation.as("node2").noLeader().optime(100).pg(replicaStreaming("node1", 100)).standbyCluster()
                .decide();

        assertThat(d.action()).isEqualTo(new Action.NoAction());
        assertThat(d.reason()).endsWith(HaDecider.STANDBY_CLUSTER_REFUSAL);
    }

    @Test
    void aLockHolderThatIsAStandbyIsNotPromoted() {
        Decision d = Situation.as("node2").leaderIs("node2").leaseValidFor(java.time.Duration.ofSeconds(3))
                .pg(replicaStreaming("node1", 100)).standbyCluster().decide();

        assertThat(d).isEqualTo(new Decision(new Action.RenewLock(), HaDecider.STANDBY_CLUSTER_REFUSAL));
    }
}
