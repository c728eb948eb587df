package io.bulwark.ha;

import io.bulwark.dcs.MemberData;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.bulwark.ha.PgStates.replicaStreaming;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A running replica on a diverged timeline (reference §2.6): when the check is due, and that a divergence found
 * makes the decider rewind (or re-clone) instead of following.
 */
class TimelineDivergenceTest {

    private static MemberData primaryOnTimeline(String name, int timeline) {
        MemberData b = Members.member(name, "running", "primary", 5000, Map.of());
        return new MemberData(b.connUrl(), b.apiUrl(), b.state(), b.role(), b.version(), b.xlogLocation(),
                b.replayLsn(), b.receiveLsn(), b.replicationState(), timeline, b.tags(), b.bulwarkVersion(), b.extra());
    }

    private static Situation replicaOfLeaderOnTimeline(int leaderTimeline) {
        return Situation.as("node2").leaderIs("node1").withMember("node1", primaryOnTimeline("node1", leaderTimeline))
                .pg(replicaStreaming("node1", 100));
    }

    @Test
    void checkIsDueWhenTheLeaderIsOnAnotherTimelineOnly() {
        assertThat(TimelineWatch.due(replicaOfLeaderOnTimeline(2).observation())).isPresent();
        assertThat(TimelineWatch.due(replicaOfLeaderOnTimeline(1).observation())).isEmpty();
        assertThat(TimelineWatch.due(replicaOfLeaderOnTimeline(2).usePgRewind(false).observation()))
                .as("nothing could be done about it").isEmpty();
        assertThat(TimelineWatch.due(replicaOfLeaderOnTimeline(2).usePgRewind(false)
                .dynamic("postgresql", Map.of("use_pg_rewind", false,
                        "remove_data_directory_on_diverged_timelines", true)).observation())).isPresent();
    }

    @Test
    void theCheckRunsOncePerSituationAndReportsTheLeader() {
        List<String> asked = new ArrayList<>();
        TimelineWatch.Check pg = (host, port) -> {
            asked.add(host + ":" + port);
            return Optional.of("replayed past the switchpoint");
        };
        TimelineWatch watch = new TimelineWatch();
        Observation o = replicaOfLeaderOnTimeline(2).observation();
        assertThat(watch.check(o, pg)).contains(new LocalState.Divergence("node1", "replayed past the switchpoint"));
        assertThat(watch.check(o, pg)).isEmpty();
        assertThat(asked).containsExactly(Members.hostPort("node1"));
    }

    @Test
    void aDivergedRunningReplicaIsRewoundInsteadOfFollowing() {
        Situation s = replicaOfLeaderOnTimeline(2);
        assertThat(s.decide().action()).isInstanceOf(Action.NoAction.class);
        Decision d = s.local(LocalState.INITIAL.withDivergence(new LocalState.Divergence("node1", "why")))
                .decide();
        assertThat(d.action()).isEqualTo(new Action.Rejoin(s.member("node1")));
        assertThat(d.reason()).isEqualTo("running pg_rewind from node1 (why)");
    }

    @Test
    void aDivergenceFromAFormerLeaderIsIgnored() {
        Decision d = replicaOfLeaderOnTimeline(2)
                .local(LocalState.INITIAL.withDivergence(new LocalState.Divergence("node3", "why"))).decide();
        assertThat(d.action()).isInstanceOf(Action.NoAction.class);
    }
}
