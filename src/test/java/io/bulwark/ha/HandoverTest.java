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
