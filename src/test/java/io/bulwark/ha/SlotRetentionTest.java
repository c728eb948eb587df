package io.bulwark.ha;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

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

    @Test
    void memberSlotsTtlFromTheDynamicConfigurationIsHonoured() {
        SlotRetention retention = new SlotRetention();
        retention.wanted(Situation.as("node1").leaderIs("node1").withReplica("node2").pg(primaryRunning(5))
                .dynamic("member_slots_ttl", "2min").observation());
        Observation later = Situation.as("node1").leaderIs("node1").pg(primaryRunning(5))
                .dynamic("member_slots_ttl", "2min").at(Situation.NOW + Duration.ofMinutes(3).toNanos()).observation();
        assertThat(retention.wanted(later)).isEmpty();
    }

    @Test
    void aNewLeaderKeepsTheSlotsItsPredecessorRetainedButNeverItsOwn() {
        SlotRetention retention = new SlotRetention();
        Observation o = Situation.as("node1").leaderIs("node1").pg(primaryRunning(5))
                .statusSlots(Map.of(), List.of("node1", "node3")).observation();
        assertThat(retention.wanted(o)).containsExactly("node3");
    }

    @Test
    void nostreamMembersGetNoSlot() {
        SlotRetention retention = new SlotRetention();
        Observation o = Situation.as("node1").leaderIs("node1").withReplica("node2", "nostream", true)
                .withReplica("node3").pg(primaryRunning(5)).observation();
        assertThat(retention.wanted(o)).containsExactly("node3");
    }
}
