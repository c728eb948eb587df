package io.bulwark.ha;

import io.bulwark.ha.Action.Demote;
import io.bulwark.ha.Action.NoAction;
import io.bulwark.ha.Action.RenewLock;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.bulwark.ha.PgStates.primaryRunning;
import static io.bulwark.ha.PgStates.replicaStreaming;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Leadership as a deadline (DESIGN §4 rule 2, §5 invariant 2): a primary that lost the key, or cannot renew it
 * before its local deadline, stops accepting writes; within the deadline it keeps serving. Reference §2.2
 * steps 13 and 17, §2.5.
 */
class HaDeciderLeaseTest {
    private static final long POS = 7_000_000;

    private static Situation leaderNode1() {
        return Situation.as("node1").leaderIs("node1").withReplica("node2").pg(primaryRunning(POS));
    }

    @Test
    void primaryThatLostTheKeyToAnotherMemberDemotesAtOnceWithoutReleasing() {
        Decision d = Situation.as("node1").leaderIs("node2").withReplica("node2").pg(primaryRunning(POS))
                .leaseValidFor(Duration.ofSeconds(2)).decide();

        assertThat(d).isEqualTo(new Decision(new Demote(true, false),
                "demoting self because I do not have the lock and I was a leader"));
    }

    @Test
    void primaryPastItsRenewalDeadlineDemotesAlthoughTheDcsStillNamesIt() {
        Decision d = leaderNode1().leaseExpiredAgo(Duration.ofMillis(200)).decide();

        assertThat(d).isEqualTo(new Decision(new Demote(true, false),
                "demoted self because failed to update leader lock in DCS"));
    }

    @Test
    void primaryExactlyAtItsDeadlineDemotes() {
        Decision d = leaderNode1().leaseExpiredAgo(Duration.ZERO).decide();

        assertThat(d).isEqualTo(new Decision(new Demote(true, false),
                "demoted self because failed to update leader lock in DCS"));
    }

    @Test
    void primaryWithinItsDeadlineKeepsRenewing() {
        Decision d = leaderNode1().leaseValidFor(Duration.ofNanos(1)).decide();

        assertThat(d).isEqualTo(new Decision(new RenewLock(), "no action. I am (node1), the leader with the lock"));
    }

    @Test
    void primaryKeepsServingWhileTheDcsIsUnreachableWithinItsDeadline() {
        Decision d = leaderNode1().dcsError("etcd 127.0.0.1:2379 unavailable")
                .leaseValidFor(Duration.ofMillis(1_500)).decide();

        assertThat(d).isEqualTo(new Decision(new NoAction(),
                "DCS is not accessible; still the leader for 1500 ms unless the lock is renewed"));
    }

    @Test
    void primaryDemotesWhenTheDcsIsUnreachablePastItsDeadline() {
        Decision d = leaderNode1().dcsError("etcd 127.0.0.1:2379 unavailable")
                .leaseExpiredAgo(Duration.ofMillis(1)).decide();

        assertThat(d).isEqualTo(new Decision(new Demote(true, false),
                "demoted self because DCS is not accessible and I was a leader"));
    }

    @Test
    void primaryWithoutAnyLeaseDemotesWhenTheDcsIsUnreachable() {
        Decision d = leaderNode1().dcsError("etcd 127.0.0.1:2379 unavailable").noLease().decide();

        assertThat(d).isEqualTo(new Decision(new Demote(true, false),
                "demoted self because DCS is not accessible and I was a leader"));
    }

    @Test
    void replicaWaitsWhileTheDcsIsUnreachable() {
        Decision d = Situation.as("node2").dcsError("etcd 127.0.0.1:2379 unavailable")
                .pg(replicaStreaming("node1", POS)).decide();

        assertThat(d).isEqualTo(new Decision(new NoAction(), "DCS is not accessible"));
    }

    @Test
    void stoppedServerWaitsWhileTheDcsIsUnreachable() {
        Decision d = Situation.as("node2").dcsError("timeout").pg(PgStates.crashedPrimary())
                .leaseValidFor(Duration.ofSeconds(1)).decide();

        assertThat(d).isEqualTo(new Decision(new NoAction(), "DCS is not accessible"));
    }
}
