package io.bulwark.ha;

import io.bulwark.ha.Action.Bootstrap;
import io.bulwark.ha.Action.CloneFrom;
import io.bulwark.ha.Action.Demote;
import io.bulwark.ha.Action.Follow;
import io.bulwark.ha.Action.NoAction;
import io.bulwark.ha.Action.RenewLock;
import io.bulwark.ha.Action.Shutdown;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.bulwark.ha.PgStates.emptyDataDir;
import static io.bulwark.ha.PgStates.primaryRunning;
import static io.bulwark.ha.PgStates.replicaStreaming;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Steady state, bootstrap and clone, identity and shutdown (reference §2.2 steps 9, 10, 13). Each test pins the
 * action with its fields and the exact sentence, which operators grep for.
 */
class HaDeciderTest {

    @Test
    void emptyDataDirWithNoLeaderAndNoInitializeKeyBootstrapsANewCluster() {
        Decision d = Situation.as("node1").notInitialized().pg(emptyDataDir()).decide();

        assertThat(d).isEqualTo(new Decision(new Bootstrap(), "trying to bootstrap a new cluster"));
    }

    @Test
    void emptyDataDirWaitsWhenTheClusterIsInitializedButHasNoLeader() {
        Decision d = Situation.as("node2").initialize(Situation.SYSID).pg(emptyDataDir()).decide();

        assertThat(d).isEqualTo(new Decision(new NoAction(), "waiting for leader to bootstrap"));
    }

    @Test
    void emptyDataDirWaitsWhileAnotherMemberIsBootstrapping() {
        Decision d = Situation.as("node2").bootstrapInProgress().pg(emptyDataDir()).decide();

        assertThat(d).isEqualTo(new Decision(new NoAction(), "waiting for leader to bootstrap"));
    }

    @Test
    void memberThatMayNotPromoteNeverBootstrapsANewCluster() {
        Decision d = Situation.as("node2").notInitialized().nofailover().pg(emptyDataDir()).decide();

        assertThat(d).isEqualTo(new Decision(new NoAction(), "waiting for leader to bootstrap"));
    }

    @Test
    void emptyDataDirClonesFromTheLeader() {
        Situation s = Situation.as("node2").leaderIs("node1").withPrimary("node1").withReplica("node3")
                .pg(emptyDataDir());

        assertThat(s.decide()).isEqualTo(new Decision(new CloneFrom(s.member("node1")),
                "trying to bootstrap from leader 'node1'"));
    }

    @Test
    void emptyDataDirPrefersARunningReplicaTaggedClonefrom() {
        Situation s = Situation.as("node2").leaderIs("node1").withPrimary("node1")
                .withReplica("node3", "clonefrom", true).pg(emptyDataDir());

        assertThat(s.decide()).isEqualTo(new Decision(new CloneFrom(s.member("node3")),
                "trying to bootstrap from replica 'node3'"));
    }

    @Test
    void stoppedClonefromMemberIsNotUsedAsSource() {
        Situation s = Situation.as("node2").leaderIs("node1").withPrimary("node1")
                .withMember("node3", Members.member("node3", "stopped", "replica", 0, Map.of("clonefrom", true)))
                .pg(emptyDataDir());

        assertThat(s.decide()).isEqualTo(new Decision(new CloneFrom(s.member("node1")),
                "trying to bootstrap from leader 'node1'"));
    }

    @Test
    void emptyDataDirWaitsWhenTheLeaderHasNoMemberKey() {
        Decision d = Situation.as("node2").leaderIs("node1").pg(emptyDataDir()).decide();

        assertThat(d).isEqualTo(new Decision(new NoAction(), "waiting for leader to bootstrap"));
    }

    @Test
    void healthyLeaderRenewsItsLock() {
        Decision d = Situation.as("node1").leaderIs("node1").withReplica("node2")
                .pg(primaryRunning(5_000)).leaseValidFor(Duration.ofSeconds(3)).decide();

        assertThat(d).isEqualTo(new Decision(new RenewLock(), "no action. I am (node1), the leader with the lock"));
    }

    @Test
    void leaderWhoseAgentJustStartedRenewsTheLockItFindsInTheDcs() {
        Decision d = Situation.as("node1").leaderIs("node1").pg(primaryRunning(5_000)).noLease().decide();

        assertThat(d).isEqualTo(new Decision(new RenewLock(), "no action. I am (node1), the leader with the lock"));
    }

    @Test
    void healthyReplicaFollowingTheLeaderDoesNothing() {
        Decision d = Situation.as("node2").leaderIs("node1").withPrimary("node1")
                .pg(replicaStreaming("node1", 5_000)).decide();

        assertThat(d).isEqualTo(new Decision(new NoAction(),
                "no action. I am (node2), a secondary, and following a leader (node1)"));
    }

    @Test
    void replicaStreamingFromTheWrongUpstreamIsRepointedAtTheLeader() {
        Situation s = Situation.as("node2").leaderIs("node1").withPrimary("node1").withReplica("node3")
                .pg(replicaStreaming("node3", 5_000));

        assertThat(s.decide()).isEqualTo(new Decision(new Follow(s.member("node1")),
                "following a different leader (node1)"));
    }

    @Test
    void replicaWithNoUpstreamIsPointedAtTheLeader() {
        Situation s = Situation.as("node2").leaderIs("node1").withPrimary("node1")
                .pg(PgStates.withUpstream(replicaStreaming("node1", 5_000), null));

        assertThat(s.decide()).isEqualTo(new Decision(new Follow(s.member("node1")),
                "following a different leader (node1)"));
    }

    @Test
    void replicaKeepsStreamingWhenTheLeaderMemberKeyIsMissing() {
        Decision d = Situation.as("node2").leaderIs("node1").pg(replicaStreaming("node3", 5_000)).decide();

        assertThat(d).isEqualTo(new Decision(new NoAction(),
                "no action. I am (node2), a secondary, and following a leader (node1)"));
    }

    @Test
    void primaryWithAnotherSystemIdDemotesAndReleasesTheLockItHolds() {
        Decision d = Situation.as("node1").leaderIs("node1").initialize(Situation.OTHER_SYSID)
                .pg(primaryRunning(5_000)).leaseValidFor(Duration.ofSeconds(3)).decide();

        assertThat(d).isEqualTo(new Decision(new Demote(true, true), "system ID mismatch, node node1 belongs to a "
                + "different cluster: " + Situation.OTHER_SYSID + " != " + Situation.SYSID));
    }

    @Test
    void primaryWithAnotherSystemIdDemotesWithoutTouchingSomeoneElsesLock() {
        Decision d = Situation.as("node2").leaderIs("node1").withPrimary("node1")
                .initialize(Situation.OTHER_SYSID).pg(primaryRunning(5_000)).decide();

        assertThat(d.action()).isEqualTo(new Demote(true, false));
        assertThat(d.reason()).startsWith("system ID mismatch, node node2 belongs to a different cluster");
    }

    @Test
    void replicaHoldingTheLockIsNotPromotedWhenItsSystemIdDiffers() {
        Decision d = Situation.as("node2").leaderIs("node2").initialize(Situation.OTHER_SYSID)
                .pg(replicaStreaming("node1", 5_000)).justAcquired().decide();

        assertThat(d).isEqualTo(new Decision(new NoAction(), "system ID mismatch, node node2 belongs to a "
                + "different cluster: " + Situation.OTHER_SYSID + " != " + Situation.SYSID));
    }

    @Test
    void leaderShuttingDownReleasesTheLock() {
        Decision d = Situation.as("node1").leaderIs("node1").pg(primaryRunning(5_000))
                .leaseValidFor(Duration.ofSeconds(3)).shuttingDown().decide();

        assertThat(d).isEqualTo(new Decision(new Shutdown(true), "shutting down"));
    }

    @Test
    void leaderShuttingDownWhileTheDcsIsUnreachableStillReleasesTheLockItsLeaseCovers() {
        Decision d = Situation.as("node1").dcsError("connection refused").pg(primaryRunning(5_000))
                .leaseValidFor(Duration.ofSeconds(3)).shuttingDown().decide();

        assertThat(d).isEqualTo(new Decision(new Shutdown(true), "shutting down"));
    }

    @Test
    void replicaShuttingDownLeavesTheLockAlone() {
        Decision d = Situation.as("node2").leaderIs("node1").withPrimary("node1")
                .pg(replicaStreaming("node1", 5_000)).shuttingDown().decide();

        assertThat(d).isEqualTo(new Decision(new Shutdown(false), "shutting down"));
    }
}
