package io.bulwark.ha;

import io.bulwark.ha.Action.AcquireLock;
import io.bulwark.ha.Action.Demote;
import io.bulwark.ha.Action.RestartPrimary;
import io.bulwark.ha.Action.Shutdown;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.bulwark.ha.PgStates.crashedPrimary;
import static io.bulwark.ha.PgStates.primaryRunning;
import static io.bulwark.ha.PgStates.replicaStreaming;
import static io.bulwark.ha.PgStates.stoppedCleanPrimary;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Edge cases found in review where an earlier {@link HaDecider} disagreed with Patroni or with its own inputs'
 * contracts: a restart without a renewed lock, failover candidates that cannot promote, a shutdown releasing a
 * key someone else holds, a peer that can never promote blocking the race.
 */
class HaDeciderEdgeCasesTest {

    @Test
    void primaryDemotedForFailingRenewalIsNotRestartedAsPrimaryBeforeRenewing() {
        Situation running = Situation.as("node1").leaderIs("node1").withReplica("node2")
                .pg(primaryRunning(5_000)).leaseExpiredAgo(Duration.ofMillis(300));
        assertThat(running.decide().action()).isEqualTo(new Demote(true, false));

        Decision afterImmediateStop = running.pg(crashedPrimary()).pgDownFor(Duration.ofSeconds(1)).decide();

        assertThat(afterImmediateStop.action()).isNotInstanceOf(RestartPrimary.class);
    }

    @Test
    void replicaWithFailoverPriorityZeroIsNotAFailoverCandidate() {
        Decision d = Situation.as("node1").leaderIs("node1").withReplica("node2", "failover_priority", 0)
                .pg(crashedPrimary()).primaryStartTimeout(0).leaseValidFor(Duration.ofSeconds(3)).decide();

        assertThat(d).isEqualTo(new Decision(new RestartPrimary(), "starting primary after failure"));
    }

    @Test
    void laggingReplicaIsNotAFailoverCandidate() {
        long optime = 50_000_000;
        Decision d = Situation.as("node1").leaderIs("node1").optime(optime)
                .withMember("node2", Members.member("node2", "running", "replica", optime - 10_000_000, Map.of()))
                .pg(crashedPrimary()).primaryStartTimeout(0).leaseValidFor(Duration.ofSeconds(3)).decide();

        assertThat(d).isEqualTo(new Decision(new RestartPrimary(), "starting primary after failure"));
    }

    @Test
    void shutdownDoesNotAskToReleaseAKeyTheDcsSaysSomeoneElseHolds() {
        Decision d = Situation.as("node1").leaderIs("node2").withPrimary("node2").pg(replicaStreaming("node2", 5))
                .leaseValidFor(Duration.ofSeconds(2)).shuttingDown().decide();

        assertThat(d).isEqualTo(new Decision(new Shutdown(false), "shutting down"));
    }

    @Test
    void peerWithFailoverPriorityZeroDoesNotBlockTheRace() {
        long mine = 10_000_000;
        Decision d = Situation.as("node2").noLeader().withReplica("node3").optime(mine)
                .pg(replicaStreaming("node1", mine)).peer(new PeerView("node3", false, mine + 1, false, 0)).decide();

        assertThat(d).isEqualTo(new Decision(new AcquireLock(), "acquiring session lock"));
    }
}
