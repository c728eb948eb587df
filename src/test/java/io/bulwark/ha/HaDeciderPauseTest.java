package io.bulwark.ha;

import io.bulwark.ha.Action.NoAction;
import io.bulwark.ha.Action.RenewLock;
import io.bulwark.ha.Action.Shutdown;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.bulwark.ha.PgStates.crashedPrimary;
import static io.bulwark.ha.PgStates.primaryRunning;
import static io.bulwark.ha.PgStates.replicaStreaming;
import static org.assertj.core.api.Assertions.assertThat;

/** Maintenance mode (reference §2.11): no automatic promotion, demotion, start or stop. */
class HaDeciderPauseTest {

    @Test
    void leaderKeepsRenewingWithThePausePrefix() {
        Decision d = Situation.as("node1").paused().leaderIs("node1").pg(primaryRunning(5))
                .leaseValidFor(Duration.ofSeconds(3)).decide();
        assertThat(d).isEqualTo(new Decision(new RenewLock(), "PAUSE: no action. I am (node1), the leader with the lock"));
    }

    @Test
    void replicaDoesNotRaceForAFreeLock() {
        Decision d = Situation.as("node2").paused().noLeader().pg(replicaStreaming("node1", 10)).decide();
        assertThat(d.action()).isEqualTo(new NoAction());
        assertThat(d.reason()).startsWith("PAUSE: no action, would have: acquiring session lock");
    }

    @Test
    void crashedPrimaryIsNotRestarted() {
        Decision d = Situation.as("node1").paused().leaderIs("node1").withReplica("node2").pg(crashedPrimary())
                .leaseValidFor(Duration.ofSeconds(3)).decide();
        assertThat(d.action()).isEqualTo(new NoAction());
        assertThat(d.reason()).contains("would have: starting primary after failure");
    }

    @Test
    void switchoverToANamedCandidateStillWorks() {
        Decision d = Situation.as("node1").paused().leaderIs("node1").pg(primaryRunning(5_000))
                .leaseValidFor(Duration.ofSeconds(3))
                .withMember("node2", Members.member("node2", "running", "replica", 5_000L, Map.of()))
                .failoverKey("node1", "node2", null).decide();
        assertThat(d.action()).isEqualTo(new Action.Demote(false, true));
        assertThat(d.reason()).isEqualTo("PAUSE: switchover: demoting myself");
    }

    @Test
    void shutdownLeavesPostgresRunningAndKeepsTheLock() {
        Decision d = Situation.as("node1").paused().leaderIs("node1").pg(primaryRunning(5))
                .leaseValidFor(Duration.ofSeconds(3)).shuttingDown().decide();
        assertThat(d.action()).isEqualTo(new Shutdown(false));
        assertThat(d.reason()).contains("PostgreSQL left running");
    }
}
