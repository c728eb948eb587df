package io.bulwark.ha;

import io.bulwark.config.SyncSettings;
import io.bulwark.dcs.Member;
import io.bulwark.postgres.StandbyNames;
import io.bulwark.postgres.WalSender;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The leader's quorum commit choices that do not need a server: who may vote, and what to wait for when promoting. */
class QuorumReplicationTest {
    private static final long PRIMARY = 90_000;
    private final QuorumReplication quorum = new QuorumReplication(null, null);

    private static Member member(String name, Object... tags) {
        return new Member(name, 1, 1, Members.runningReplica(name, tags));
    }

    private static WalSender streaming(String name, long flush) {
        return new WalSender(name, "streaming", "async", flush);
    }

    @Test
    void beforePromotingAVoterWaitsForAllButQuorumOfTheOthersIncludingTheOldLeader() {
        Observation o = Situation.as("node2").noLeader().quorumMode(false).quorumKey("node1", 1, "node2,node3")
                .observation();

        assertThat(quorum.beforePromote(o)).isEqualTo(StandbyNames.any(1, List.of("node1", "node3")));
    }

    @Test
    void beforePromotingAnOutsiderWaitsForOneMore() {
        Observation o = Situation.as("node4").noLeader().quorumMode(false).quorumKey("node1", 1, "node2,node3")
                .observation();

        assertThat(quorum.beforePromote(o)).isEqualTo(StandbyNames.any(2, List.of("node1", "node2", "node3")));
    }

    @Test
    void beforePromotingWithNothingToWaitForStrictNamesThePlaceholder() {
        Observation plain = Situation.as("node2").noLeader().quorumMode(false).quorumKey("node1", 0, "node2")
                .observation();
        assertThat(quorum.beforePromote(plain)).as("an outsider with the old leader's vote could elect").isEqualTo(
                StandbyNames.any(1, List.of("node1")));
        Observation alone = Situation.as("node2").noLeader().quorumMode(false).quorumKey("node2", 0, null)
                .observation();
        assertThat(quorum.beforePromote(alone)).isEqualTo(StandbyNames.OFF);

        Observation strict = Situation.as("node2").noLeader().quorumMode(true).quorumKey("node2", 0, null)
                .observation();
        assertThat(quorum.beforePromote(strict)).isEqualTo(StandbyNames.any(1,
                List.of(StandbyNames.STRICT_PLACEHOLDER)));
    }

    @Test
    void everyEligibleStreamingStandbyVotesNofailoverOnlyToReachTheNodeCount() {
        SyncSettings two = new SyncSettings(true, true, false, 2, 1000);
        List<Member> members = List.of(member("node2"), member("node3", "nofailover", true),
                member("node4", "nofailover", true), member("node5", "nosync", true), member("node6"),
                member("node7"));
        List<WalSender> senders = List.of(streaming("node2", PRIMARY), streaming("node3", PRIMARY),
                streaming("node4", PRIMARY), streaming("node5", PRIMARY), streaming("node6", PRIMARY - 1001),
                new WalSender("node7", "catchup", "async", PRIMARY), streaming("pg_basebackup", PRIMARY));

        assertThat(QuorumReplication.active(two, "node1", members, senders, PRIMARY))
                .containsExactly("node2", "node3");
    }
}
