package io.bulwark.ha;

import io.bulwark.ha.Action.Demote;
import io.bulwark.ha.Action.Follow;
import io.bulwark.ha.Action.NoAction;
import io.bulwark.ha.Action.RenewLock;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.bulwark.ha.PgStates.replicaStreaming;
import static io.bulwark.ha.PgStates.replicaWithoutSlot;
import static io.bulwark.ha.PgStates.starting;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A start the loop did not wait for (issue 12): the lock holder keeps its lock while PostgreSQL starts and gives
 * it up after primary_start_timeout only if another member can take over; nobody else lets a server start as a
 * primary; a replica that streams without its slot switches to it once the leader has it.
 */
class HaDeciderStartingTest {

    private static Situation leaderStarting() {
        return Situation.as("node1").leaderIs("node1").withReplica("node2").pg(starting(false))
                .leaseValidFor(Duration.ofSeconds(3)).primaryStartTimeout(30);
    }

    @Test
    void lockHolderRenewsWhilePostgresStartsAndSaysHowLongUntilTimeout() {
        Decision d = leaderStarting().pgDownFor(Duration.ofSeconds(10)).decide();

        assertThat(d).isEqualTo(new Decision(new RenewLock(), "PostgreSQL is still starting up, 20 seconds until timeout"));
    }

    @Test
    void lockHolderStopsAndReleasesWhenTheStartOutlastsPrimaryStartTimeoutAndAReplicaCanTakeOver() {
        Decision d = leaderStarting().pgDownFor(Duration.ofSeconds(31)).decide();

        assertThat(d).isEqualTo(new Decision(new Demote(true, true), "stopped PostgreSQL because of startup timeout"));
    }

    @Test
    void lockHolderKeepsWaitingPastTheTimeoutWhenNoReplicaCanTakeOver() {
        Decision d = Situation.as("node1").leaderIs("node1").pg(starting(false)).leaseValidFor(Duration.ofSeconds(3))
                .primaryStartTimeout(30).pgDownFor(Duration.ofSeconds(31)).decide();

        assertThat(d).isEqualTo(new Decision(new RenewLock(),
                "primary start has timed out, but continuing to wait because failover is not possible"));
    }

    @Test
    void aServerStartingAsPrimaryIsStoppedWhenSomeoneElseHoldsTheLock() {
        Decision d = Situation.as("node1").leaderIs("node2").withPrimary("node2").pg(starting(false)).decide();

        assertThat(d).isEqualTo(new Decision(new Demote(true, false),
                "stopping PostgreSQL, which is starting up as a primary, because I do not hold the leader lock"));
    }

    @Test
    void aServerStartingAsPrimaryIsStoppedWhenNobodyHoldsTheLock() {
        Decision d = Situation.as("node1").noLeader().withReplica("node2").pg(starting(false)).decide();

        assertThat(d.action()).isEqualTo(new Demote(true, false));
    }

    @Test
    void aStandbyThatIsStillStartingIsLeftToFinish() {
        Decision d = Situation.as("node1").leaderIs("node2").withPrimary("node2").pg(starting(true)).decide();

        assertThat(d).isEqualTo(new Decision(new NoAction(), "PostgreSQL is still starting up"));
    }

    @Test
    void aReplicaStreamingWithoutItsSlotFollowsTheLeaderAgainToPickItUp() {
        Situation s = Situation.as("node1").leaderIs("node2").withPrimary("node2").pg(replicaWithoutSlot("node2", 100));

        assertThat(s.decide()).isEqualTo(new Decision(new Follow(s.member("node2")), "streaming from the leader (node2)"
                + " without a replication slot: switching to it once it exists there"));
    }

    @Test
    void aReplicaStreamingThroughItsSlotIsLeftAlone() {
        Decision d = Situation.as("node1").leaderIs("node2").withPrimary("node2").pg(replicaStreaming("node2", 100))
                .decide();

        assertThat(d.action()).isEqualTo(new NoAction());
    }
}
