package io.bulwark.ha;

import io.bulwark.ha.Action.AcquireLock;
import io.bulwark.ha.Action.Demote;
import io.bulwark.ha.Action.RestartPrimary;
import io.bulwark.ha.Action.Shutdown;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.bulwark.ha.PgStates.crashedPrimary;
import static io.bulwark.ha.PgStates.primaryRunning;
import static io.bulwark.ha.PgStates.replicaStreaming;
import static io.bulwark.ha.PgStates.stoppedCleanPrimary;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Situations where {@link HaDecider} disagrees with Patroni or with its own inputs' contracts. Each test states
 * the expected behaviour and fails against the current decision logic; it is disabled until main code is fixed.
 */
class HaDeciderSuspectedBugsTest {

    @Test
    @Disabled("BUG: a crashed/stopped primary whose lock renewal is failing (local lease past its deadline, DCS "
            + "still names us) gets RestartPrimary, i.e. starts read-write without a valid lease, right after the "
            + "same state demoted it. Patroni's recover() only starts in place after update_lock() succeeds. Fix: "
            + "check the lease in postgresNotRunning like holdingLock does, or document RestartPrimary as "
            + "'renew first, start as primary only on success' (as Promote is).")
    void primaryDemotedForFailingRenewalIsNotRestartedAsPrimaryBeforeRenewing() {
        Situation running = Situation.as("node1").leaderIs("node1").withReplica("node2")
                .pg(primaryRunning(5_000)).leaseExpiredAgo(Duration.ofMillis(300));
        assertThat(running.decide().action()).isEqualTo(new Demote(true, false));

        Decision afterImmediateStop = running.pg(crashedPrimary()).pgDownFor(Duration.ofSeconds(1)).decide();

        assertThat(afterImmediateStop.action()).isNotInstanceOf(RestartPrimary.class);
    }

    @Test
    @Disabled("BUG: LocalState.rewindFailedFor ('do not loop on it') is never read by decide: a former primary "
            + "whose pg_rewind against node2 already failed gets Rejoin 'running pg_rewind from node2' again every "
            + "cycle. Patroni marks the rewind FAILED and stops retrying (reinitializes only with "
            + "remove_data_directory_on_rewind_failure).")
    void failedRewindIsNotRetriedAgainstTheSameLeader() {
        Decision d = Situation.as("node1").leaderIs("node2").withPrimary("node2").usePgRewind(true)
                .pg(stoppedCleanPrimary()).rewindFailedFor("node2").decide();

        assertThat(d.reason()).isNotEqualTo("running pg_rewind from node2");
    }

    @Test
    @Disabled("BUG: failoverPossible only looks at the nofailover tag; a running replica tagged failover_priority: 0 "
            + "(which Patroni's Tags.nofailover treats as nofailover) counts as a candidate, so with "
            + "primary_start_timeout 0 the crashed leader releases the lock instead of restarting although nobody "
            + "can take over.")
    void replicaWithFailoverPriorityZeroIsNotAFailoverCandidate() {
        Decision d = Situation.as("node1").leaderIs("node1").withReplica("node2", "failover_priority", 0)
                .pg(crashedPrimary()).primaryStartTimeout(0).leaseValidFor(Duration.ofSeconds(3)).decide();

        assertThat(d).isEqualTo(new Decision(new RestartPrimary(), "starting primary after failure"));
    }

    @Test
    @Disabled("BUG: failoverPossible ignores replication lag; Patroni's is_failover_possible skips members beyond "
            + "maximum_lag_on_failover. Here the only replica is 10 MB behind /status.optime, so it will refuse to "
            + "race (invariant 5), yet the crashed leader with primary_start_timeout 0 releases the lock instead of "
            + "restarting: the cluster has no primary until the old leader restarts as replica and wins the race.")
    void laggingReplicaIsNotAFailoverCandidate() {
        long optime = 50_000_000;
        Decision d = Situation.as("node1").leaderIs("node1").optime(optime)
                .withMember("node2", Members.member("node2", "running", "replica", optime - 10_000_000, Map.of()))
                .pg(crashedPrimary()).primaryStartTimeout(0).leaseValidFor(Duration.ofSeconds(3)).decide();

        assertThat(d).isEqualTo(new Decision(new RestartPrimary(), "starting primary after failure"));
    }

    @Test
    @Disabled("BUG: Shutdown(releaseLock) is iHoldLockInDcs || leaseValid, so a member whose local lease is still "
            + "valid asks to release the key although the readable DCS names another leader (e.g. the key was "
            + "deleted by an operator and taken by node2). Harmless only if the executor deletes with a "
            + "compare-on-our-name; when the DCS is readable it should be the authority.")
    void shutdownDoesNotAskToReleaseAKeyTheDcsSaysSomeoneElseHolds() {
        Decision d = Situation.as("node1").leaderIs("node2").withPrimary("node2").pg(replicaStreaming("node2", 5))
                .leaseValidFor(Duration.ofSeconds(2)).shuttingDown().decide();

        assertThat(d).isEqualTo(new Decision(new Shutdown(false), "shutting down"));
    }

    @Test
    @Disabled("BUG (or contract gap): the leader race ignores a peer only when PeerView.nofailover is set; a peer "
            + "answering failover_priority 0 but no nofailover tag still beats us when ahead, although it can never "
            + "promote, so nobody takes the lock. Patroni's Tags.nofailover folds failover_priority <= 0 in. Fix in "
            + "LeaderRace (peer.failoverPriority() <= 0) or document that the PeerView builder must do it.")
    void peerWithFailoverPriorityZeroDoesNotBlockTheRace() {
        long mine = 10_000_000;
        Decision d = Situation.as("node2").noLeader().withReplica("node3").optime(mine)
                .pg(replicaStreaming("node1", mine)).peer(new PeerView("node3", false, mine + 1, false, 0)).decide();

        assertThat(d).isEqualTo(new Decision(new AcquireLock(), "acquiring session lock"));
    }
}
