package io.bulwark.ha;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.bulwark.ha.PgStates.replicaStreaming;
import static io.bulwark.ha.PgStates.withUpstream;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A standby cluster (reference §6): its lock holder is a standby leader following the remote site
 * ({@code standby_cluster} 10.1.0.5:5432 in {@link Situation#standbyCluster()}), never a writable primary; the other
 * members cascade from it; a member that takes the lock becomes the standby leader in turn.
 */
class HaDeciderStandbyClusterTest {
    private static final String REMOTE = "10.1.0.5:5432";

    private static Situation standbyLeader(String me) {
        return Situation.as(me).leaderIs(me).leaseValidFor(Duration.ofSeconds(3)).standbyCluster();
    }

    @Test
    void theStandbyLeaderRenewsTheLockAndNeverPromotes() {
        Decision d = standbyLeader("node1").pg(withUpstream(replicaStreaming("node9", 100), REMOTE)).decide();

        assertThat(d).isEqualTo(new Decision(new Action.RenewLock(),
                "no action. I am (node1), the standby leader with the lock"));
    }

    @Test
    void aStandbyLeaderStreamingFromElsewhereIsRePointedAtTheRemoteSite() {
        Decision d = standbyLeader("node2").pg(replicaStreaming("node1", 100)).decide();

        assertThat(d).isEqualTo(new Decision(new Action.FollowRemote(),
                "following the remote primary " + REMOTE + " as the standby leader"));
    }

    @Test
    void aReplicaThatTakesTheLockBecomesTheStandbyLeaderWithoutPromoting() {
        Decision d = standbyLeader("node2").justAcquired().pg(replicaStreaming("node1", 100)).decide();

        assertThat(d).isEqualTo(new Decision(new Action.FollowRemote(),
                "promoted self to a standby leader by acquiring session lock"));
    }

    @Test
    void aReplicaRacesForTheLockWhenTheStandbyLeaderIsGone() {
        Decision d = Situation.as("node2").noLeader().optime(100).pg(replicaStreaming("node1", 100)).standbyCluster()
                .decide();

        assertThat(d).isEqualTo(new Decision(new Action.AcquireLock(), "acquiring session lock"));
    }

    @Test
    void replicasCascadeFromTheStandbyLeader() {
        Situation s = Situation.as("node2").leaderIs("node1").withPrimary("node1").standbyCluster();

        assertThat(s.pg(replicaStreaming("node1", 100)).decide().action()).isEqualTo(new Action.NoAction());
        Decision repoint = s.pg(withUpstream(replicaStreaming("node1", 100), REMOTE)).decide();
        assertThat(repoint.action()).isInstanceOf(Action.Follow.class);
        assertThat(((Action.Follow) repoint.action()).leader().name()).isEqualTo("node1");
    }

    @Test
    void theFirstMemberClonesTheRemoteSiteInsteadOfBootstrappingANewCluster() {
        Decision d = Situation.as("node1").noLeader().notInitialized().pg(PgStates.emptyDataDir()).standbyCluster()
                .decide();

        assertThat(d).isEqualTo(new Decision(new Action.BootstrapStandbyLeader(),
                "trying to bootstrap a new standby leader"));
    }

    @Test
    void aMemberWithEmptyDataWaitsForTheStandbyLeaderWhenTheClusterIsInitialized() {
        Decision d = Situation.as("node2").noLeader().pg(PgStates.emptyDataDir()).standbyCluster().decide();

        assertThat(d).isEqualTo(new Decision(new Action.NoAction(), "waiting for standby_leader to bootstrap"));
    }

    @Test
    void aStoppedLockHolderStartsAsTheStandbyLeader() {
        for (var pg : new io.bulwark.postgres.PostgresState[] {PgStates.stoppedReplica(),
                PgStates.stoppedCleanPrimary(), PgStates.crashedPrimary()}) {
            Decision d = standbyLeader("node1").pg(pg).decide();

            assertThat(d).as(pg.controlState()).isEqualTo(new Decision(new Action.FollowRemote(),
                    "starting as a standby leader because i had the session lock"));
        }
    }

    @Test
    void aPrimaryHoldingTheLockIsDemotedToAStandbyLeaderWhenStandbyClusterIsAdded() {
        Decision d = standbyLeader("node1").pg(PgStates.primaryRunning(100)).decide();

        assertThat(d).isEqualTo(new Decision(new Action.DemoteToStandbyLeader(),
                "demoting self to a standby leader because standby_cluster is configured (following " + REMOTE + ")"));
    }

    @Test
    void removingStandbyClusterPromotesTheStandbyLeader() {
        Decision d = Situation.as("node1").leaderIs("node1").leaseValidFor(Duration.ofSeconds(3))
                .pg(withUpstream(replicaStreaming("node9", 100), REMOTE)).decide();

        assertThat(d.action()).isEqualTo(new Action.Promote());
    }

    @Test
    void synchronousModeIsIgnoredInAStandbyCluster() {
        Decision d = Situation.as("node2").noLeader().optime(100).pg(replicaStreaming("node1", 100)).syncMode(true)
                .syncKey("node1", "node3").standbyCluster().decide();

        assertThat(d.action()).isEqualTo(new Action.AcquireLock());
    }

    @Test
    void noDecisionInAStandbyClusterMakesAWritablePrimary() {
        DecisionSpace.forEach(combo -> {
            Situation s = combo.situation().standbyCluster();
            Decision d = s.decide();
            assertThat(d.action()).as("%s: %s", combo, d.reason())
                    .isNotInstanceOf(Action.Promote.class)
                    .isNotInstanceOf(Action.Bootstrap.class)
                    .isNotInstanceOf(Action.RestartPrimary.class);
        });
    }
}
