package io.bulwark.ha;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HandoverTest {

    @Test
    void candidatesAreTheOtherMembersThatMayBePromoted() {
        Observation o = Situation.as("node1").leaderIs("node1").withPrimary("node1")
                .withReplica("node2")
                .withReplica("node3", "nofailover", true)
                .withReplica("node4", "failover_priority", 0)
                .withReplica("node5", "failover_priority", "2")
                .withMember("node6", Members.stoppedReplica("node6"))
                .observation();
        assertThat(Handover.candidates(o)).containsExactlyInAnyOrder("node2", "node5");
    }

    @Test
    void theWaitEndsAtEightSecondsOrASecondBeforeTheLeadershipDeadline() throws Exception {
        long[] now = {0};
        Clock clock = () -> now[0];
        Handover.Pause tick = millis -> now[0] += millis * 1_000_000L;
        List<Map<String, Object>> none = List.of();
        long seconds = 1_000_000_000L;

        assertThat(Handover.awaitStreaming(Set.of("node2"), () -> none, clock, 60 * seconds, tick)).isFalse();
        assertThat(now[0]).as("bounded by the 8 s cap").isBetween(8 * seconds, 8 * seconds + seconds / 10);

        now[0] = 0;
        assertThat(Handover.awaitStreaming(Set.of("node2"), () -> none, clock, 4 * seconds, tick)).isFalse();
        assertThat(now[0]).as("ends a second before the deadline").isBetween(3 * seconds, 3 * seconds + seconds / 10);

        now[0] = 0;
        int[] looks = {0};
        assertThat(Handover.awaitStreaming(Set.of("node2"), () -> ++looks[0] < 5 ? none
                : List.of(Map.of("application_name", "node2", "state", "streaming")), clock, 60 * seconds, tick))
                .as("a candidate that connects in time").isTrue();
        assertThat(Handover.awaitStreaming(Set.of(), () -> none, clock, 60 * seconds, tick))
                .as("nobody to wait for").isFalse();
    }

    @Test
    void onlyAStreamingCandidateCounts() {
        Set<String> candidates = Set.of("node2");
        assertThat(Handover.candidateStreaming(List.of(
                Map.of("application_name", "node2", "state", "streaming")), candidates)).isTrue();
        assertThat(Handover.candidateStreaming(List.of(
                Map.of("application_name", "node2", "state", "catchup"),
                Map.of("application_name", "node3", "state", "streaming"),
                Map.of("application_name", "pg_basebackup", "state", "backup")), candidates)).isFalse();
        assertThat(Handover.candidateStreaming(List.of(), candidates)).isFalse();
    }
}
