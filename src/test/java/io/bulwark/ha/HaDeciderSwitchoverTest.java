package io.bulwark.ha;

import io.bulwark.ha.Action.AcquireLock;
import io.bulwark.ha.Action.ClearFailover;
import io.bulwark.ha.Action.Demote;
import io.bulwark.ha.Action.NoAction;
import io.bulwark.ha.Action.RenewLock;
import io.bulwark.ha.Action.WaitBriefly;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

import static io.bulwark.ha.PgStates.primaryRunning;
import static io.bulwark.ha.PgStates.replicaStreaming;
import static org.assertj.core.api.Assertions.assertThat;

/** Switchover and manual failover through the {@code failover} key (reference §2.8). */
class HaDeciderSwitchoverTest {
    private static final OffsetDateTime NOW = Situation.WALL_NOW.atOffset(ZoneOffset.UTC);

    private static Situation leader() {
        return Situation.as("node1").leaderIs("node1").pg(primaryRunning(5_000)).leaseValidFor(Duration.ofSeconds(3))
                .withMember("node2", Members.member("node2", "running", "replica", 5_000L, Map.of()));
    }

    @Test
    void leaderStepsDownGracefullyForAHealthyCandidate() {
        Decision d = leader().failoverKey("node1", "node2", null).decide();
        assertThat(d).isEqualTo(new Decision(new Demote(false, true), "switchover: demoting myself"));
    }

    @Test
    void manualFailoverWithoutLeaderAlsoStepsDown() {
        Decision d = leader().failoverKey(null, "node2", null).decide();
        assertThat(d).isEqualTo(new Decision(new Demote(false, true), "manual failover: demoting myself"));
    }

    @Test
    void leaderKeepsTheLockWhenTheCandidateIsNotRunningOrLags() {
        Decision stopped = leader().withMember("node2", Members.stoppedReplica("node2"))
                .failoverKey("node1", "node2", null).decide();
        assertThat(stopped.action()).isEqualTo(new ClearFailover());
        assertThat(stopped.reason()).startsWith("switchover: no healthy candidate");

        Decision lagging = leader().pg(primaryRunning(50_000_000))
                .failoverKey("node1", "node2", null).decide();
        assertThat(lagging.action()).isEqualTo(new ClearFailover());
    }

    @Test
    void keyNamingAnotherLeaderIsCleanedUp() {
        Decision d = leader().failoverKey("node9", "node2", null).decide();
        assertThat(d.action()).isEqualTo(new ClearFailover());
        assertThat(d.reason()).startsWith("Cleaning up failover key");
    }

    @Test
    void scheduledSwitchoverWaitsUntilItsTimeThenRuns() {
        Decision early = leader().failoverKey("node1", "node2", NOW.plusSeconds(60)).decide();
        assertThat(early.action()).isEqualTo(new RenewLock());
        assertThat(early.reason()).startsWith("Awaiting switchover at").contains("in 60 seconds");

        Decision due = leader().failoverKey("node1", "node2", NOW.minusSeconds(1)).decide();
        assertThat(due.action()).isEqualTo(new Demote(false, true));

        Decision stale = leader().failoverKey("node1", "node2", NOW.minusSeconds(60)).decide();
        assertThat(stale.action()).isEqualTo(new ClearFailover());
        assertThat(stale.reason()).startsWith("Found a stale switchover value");
    }

    @Test
    void candidateTakesTheFreeLockOnceItHasTheFormerLeadersLastPosition() {
        Situation candidate = Situation.as("node2").noLeader().failoverKey("node1", "node2", null).optime(9_000);
        Decision behind = candidate.pg(replicaStreaming("node1", 8_000)).decide();
        assertThat(behind.action()).isEqualTo(new WaitBriefly());
        assertThat(behind.reason()).contains("1000 bytes to go");

        Decision caughtUp = candidate.pg(replicaStreaming("node1", 9_000)).decide();
        assertThat(caughtUp).isEqualTo(new Decision(new AcquireLock(), "acquiring session lock as the failover candidate"));
    }

    @Test
    void manualFailoverCandidateDoesNotWaitForWal() {
        Decision d = Situation.as("node2").noLeader().failoverKey(null, "node2", null).optime(9_000)
                .pg(replicaStreaming("node1", 10)).decide();
        assertThat(d.action()).isEqualTo(new AcquireLock());
    }

    @Test
    void otherMembersLeaveTheLockToARunningCandidate() {
        Decision d = Situation.as("node3").noLeader().withReplica("node2").failoverKey("node1", "node2", null)
                .pg(replicaStreaming("node1", 9_000)).decide();
        assertThat(d.action()).isEqualTo(new NoAction());
        assertThat(d.reason()).contains("a failover to node2 is in progress");
    }

    @Test
    void otherMembersRaceWhenTheCandidateIsGone() {
        Decision d = Situation.as("node3").noLeader().failoverKey("node1", "node2", null)
                .pg(replicaStreaming("node1", 9_000)).decide();
        assertThat(d.action()).isEqualTo(new AcquireLock());
    }
}
