package io.bulwark.ha;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.bulwark.ha.PgStates.primaryRunning;
import static org.assertj.core.api.Assertions.assertThat;

/** A vanished member keeps its slot for member_slots_ttl, then loses it. */
class SlotRetentionTest {

    @Test
    void vanishedMemberKeepsItsSlotUntilTheTtlPasses() {
        SlotRetention retention = new SlotRetention();
        Situation both = Situation.as("node1").leaderIs("node1").withReplica("node2").pg(primaryRunning(5));
        assertThat(retention.wanted(both.observation())).containsExactly("node2");

        Observation gone = Situation.as("node1").leaderIs("node1").pg(primaryRunning(5))
                .at(Situation.NOW + Duration.ofMinutes(10).toNanos()).observation();
        assertThat(retention.wanted(gone)).as("10 minutes later: kept").containsExactly("node2");

        Observation longGone = Situation.as("node1").leaderIs("node1").pg(primaryRunning(5))
                .at(Situation.NOW + Duration.ofMinutes(31).toNanos()).observation();
        assertThat(retention.wanted(longGone)).as("31 minutes later: dropped").isEmpty();
    }
}
