package io.bulwark.ha;

import io.bulwark.ha.Action.AcquireLock;
import io.bulwark.ha.Action.Demote;
import io.bulwark.ha.Action.KeepPrimaryByFailsafe;
import io.bulwark.ha.Action.NoAction;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.bulwark.ha.PgStates.primaryRunning;
import static io.bulwark.ha.PgStates.replicaStreaming;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failsafe mode (docs/safety.md): a primary without the DCS stays only while every member of the failsafe key
 * accepted this cycle's call, and only while its lease is still valid; a member that accepted a call holds back from
 * the race for ttl; a member the failsafe key does not list never races.
 */
class HaDeciderFailsafeTest {
    private static final long POS = 7_000_000;
    private static final String DOWN = "etcd 127.0.0.1:2379: no leader";

    private static Situation primaryWithoutDcs() {
        return Situation.as("node1").failsafeMode().dcsError(DOWN).pg(primaryRunning(POS))
                .leaseValidFor(Duration.ofMillis(800));
    }

    @Test
    void primaryWhoseCallEveryMemberAcceptedKeepsRunningFromTheSendTime() {
        Decision d = primaryWithoutDcs().failsafeRound(Duration.ofMillis(30)).decide();

        assertThat(d).isEqualTo(new Decision(new KeepPrimaryByFailsafe(Situation.NOW - Duration.ofMillis(30).toNanos()),
                "continue to run as a leader because failsafe mode is enabled and all members are accessible"));
    }

    @Test
    void primaryWithOneMemberSilentDemotesAtOnceAsPatroniDoes() {
        Decision d = primaryWithoutDcs().failsafeRound(Duration.ofMillis(30), "node3").decide();

        assertThat(d).isEqualTo(new Decision(new Demote(true, false), "demoted self because DCS is not accessible and"
                + " I was a leader (failsafe mode: no acknowledgment from node3)"));
    }

    @Test
    void primaryMissingFromTheFailsafeKeyDemotesAtOnce() {
        Decision d = primaryWithoutDcs().failsafeRound(Duration.ZERO).decide();
        assertThat(d.action()).isInstanceOf(KeepPrimaryByFailsafe.class);

        Decision missing = Situation.as("node1").failsafeMode().dcsError(DOWN).pg(primaryRunning(POS))
                .leaseValidFor(Duration.ofMillis(800)).decideWith(
                        FailsafeCheck.impossible(Situation.NOW, "the failsafe key does not list node1"));
        assertThat(missing).isEqualTo(new Decision(new Demote(true, false), "demoted self because DCS is not"
                + " accessible and I was a leader (failsafe mode: the failsafe key does not list node1)"));
    }

    @Test
    void withoutARoundThePrimaryServesOutItsLeaseAsWithoutFailsafeMode() {
        Decision d = Situation.as("node1").failsafeMode().dcsError(DOWN).pg(primaryRunning(POS))
                .leaseValidFor(Duration.ofMillis(800)).decide();

        assertThat(d).isEqualTo(new Decision(new NoAction(),
                "DCS is not accessible; still the leader for 800 ms unless the lock is renewed"));
    }

    @Test
    void anAcceptedRoundCannotReviveAnExpiredLease() {
        Decision d = primaryWithoutDcs().leaseExpiredAgo(Duration.ofMillis(1)).failsafeRound(Duration.ofMillis(30))
                .decide();

        assertThat(d.action()).isEqualTo(new Demote(true, false));
    }

    @Test
    void withFailsafeModeOffAnAcceptedRoundDoesNotKeepThePrimary() {
        Decision d = Situation.as("node1").dcsError(DOWN).pg(primaryRunning(POS)).leaseExpiredAgo(Duration.ofMillis(1))
                .failsafeRound(Duration.ofMillis(30)).decide();

        assertThat(d).isEqualTo(new Decision(new Demote(true, false),
                "demoted self because DCS is not accessible and I was a leader"));
    }

    @Test
    void aReplicaThatAcceptedACallWithinTtlDoesNotRaceForTheExpiredKey() {
        Decision d = Situation.as("node2").failsafeMode().noLeader().failsafeKey("node1", "node2")
                .withReplica("node2").pg(replicaStreaming("node1", POS))
                .failsafeCallFrom("node1", Duration.ofMillis(3_900)).decide();

        assertThat(d).isEqualTo(new Decision(new NoAction(), "following the primary (node1) that runs in failsafe"
                + " mode: not racing for the leader key (its last failsafe call was 3900 ms ago)"));
    }

    @Test
    void aReplicaRacesAgainOnceTheLastCallIsTtlOld() {
        Decision d = Situation.as("node2").failsafeMode().noLeader().failsafeKey("node1", "node2")
                .pg(replicaStreaming("node1", POS)).failsafeCallFrom("node1", Duration.ofSeconds(4)).decide();

        assertThat(d).isEqualTo(new Decision(new AcquireLock(), "acquiring session lock"));
    }

    @Test
    void aMemberTheFailsafeKeyDoesNotListNeverRaces() {
        Decision d = Situation.as("node3").failsafeMode().noLeader().failsafeKey("node1", "node2")
                .pg(replicaStreaming("node1", POS)).decide();

        assertThat(d).isEqualTo(new Decision(new NoAction(),
                "following a different leader because I am not listed in the failsafe key"));
    }

    @Test
    void theFormerFailsafePrimaryRetakesTheKeyWhenTheDcsIsBack() {
        Decision d = Situation.as("node1").failsafeMode().noLeader().failsafeKey("node1", "node2")
                .withReplica("node2").pg(primaryRunning(POS)).leaseValidFor(Duration.ofSeconds(2))
                .peer("node2", false, POS).decide();

        assertThat(d).isEqualTo(new Decision(new AcquireLock(), "acquiring session lock"));
    }
}
