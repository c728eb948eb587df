package io.bulwark.ha;

import io.bulwark.postgres.SlotRequest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.bulwark.ha.PgStates.primaryRunning;
import static io.bulwark.ha.PgStates.replicaStreaming;
import static org.assertj.core.api.Assertions.assertThat;

/** Which slots the primary and a replica keep, so that slots survive a failover (reference §2.7). */
class SlotTargetsTest {
    private static final Map<String, Object> SLOTS = Map.of(
            "dr", Map.of("type", "physical"),
            "cdc", Map.of("type", "logical", "database", "app", "plugin", "pgoutput"));

    @Test
    void primaryKeepsMemberAndPermanentSlots() {
        Observation o = Situation.as("node1").leaderIs("node1").withReplica("node2").pg(primaryRunning(5))
                .dynamic("slots", SLOTS).observation();
        SlotRequest req = SlotTargets.forPrimary(o, Set.of("node2"));
        assertThat(req.primary()).isTrue();
        assertThat(req.physical()).containsOnlyKeys("node2", "dr");
        assertThat(req.logical()).extracting(s -> s.name()).containsExactly("cdc");
        assertThat(req.mayDrop()).isTrue();
    }

    @Test
    void replicaKeepsSlotsForTheOtherMembersRetainedOnesAndPermanentPhysicalOnesAtThePublishedPositions() {
        Observation o = Situation.as("node2").leaderIs("node1").withPrimary("node1").withReplica("node3")
                .pg(replicaStreaming("node1", 100)).dynamic("slots", SLOTS)
                .statusSlots(Map.of("node1", 9000L, "dr", 700L, "cdc", 650L), List.of("node4")).observation();
        SlotRequest req = SlotTargets.forReplica(o);
        assertThat(req.primary()).isFalse();
        assertThat(req.physical()).as("not its own slot; the leader's, node3's, retained node4's and dr")
                .isEqualTo(Map.of("node1", 9000L, "node3", 0L, "node4", 0L, "dr", 700L));
        assertThat(req.wants("cdc")).as("a logical slot a replica has is not dropped").isTrue();
        assertThat(req.logicalPositions()).as("its copy is advanced to the leader's confirmed position")
                .isEqualTo(Map.of("cdc", 650L));
    }

    @Test
    void aReplicaCopiesTheLogicalSlotsTheLeaderHasAndItLacks() {
        Situation s = Situation.as("node2").leaderIs("node1").withPrimary("node1").pg(replicaStreaming("node1", 100))
                .dynamic("slots", SLOTS);
        Observation published = s.statusSlots(Map.of("cdc", 650L), List.of()).observation();
        assertThat(SlotTargets.logicalToCopy(published, Set.of("node1"))).containsExactly("cdc");
        assertThat(SlotTargets.logicalToCopy(published, Set.of("node1", "cdc"))).as("already copied").isEmpty();
        Observation notOnTheLeader = Situation.as("node2").leaderIs("node1").withPrimary("node1")
                .pg(replicaStreaming("node1", 100)).dynamic("slots", SLOTS).observation();
        assertThat(SlotTargets.logicalToCopy(notOnTheLeader, Set.of())).as("the leader has not created it yet")
                .isEmpty();
        Observation nofailover = Situation.as("node2").leaderIs("node1").withPrimary("node1").nofailover()
                .pg(replicaStreaming("node1", 100)).dynamic("slots", SLOTS)
                .statusSlots(Map.of("cdc", 650L), List.of()).observation();
        assertThat(SlotTargets.logicalToCopy(nofailover, Set.of())).as("never promoted, never needs it").isEmpty();
        Observation ignored = Situation.as("node2").leaderIs("node1").withPrimary("node1")
                .pg(replicaStreaming("node1", 100)).dynamic("slots", SLOTS)
                .dynamic("ignore_slots", List.of(Map.of("name", "cdc")))
                .statusSlots(Map.of("cdc", 650L), List.of()).observation();
        assertThat(SlotTargets.logicalToCopy(ignored, Set.of())).as("ignore_slots").isEmpty();
    }

    @Test
    void aReplicaThatCannotFailOverKeepsNoSlotsAndNothingIsDroppedWhilePaused() {
        Observation o = Situation.as("node2").leaderIs("node1").withPrimary("node1").nofailover()
                .pg(replicaStreaming("node1", 100)).dynamic("slots", SLOTS).observation();
        assertThat(SlotTargets.forReplica(o).physical()).isEmpty();
        Observation paused = Situation.as("node2").leaderIs("node1").withPrimary("node1").paused()
                .pg(replicaStreaming("node1", 100)).observation();
        assertThat(SlotTargets.forReplica(paused).mayDrop()).isFalse();
    }

    @Test
    void theLeaderPublishesItsOwnSlotAtItsWalPosition() {
        Observation o = Situation.as("node1").leaderIs("node1").pg(primaryRunning(5)).observation();
        assertThat(SlotTargets.published(o, Map.of("dr", 40L), 123L)).isEqualTo(Map.of("dr", 40L, "node1", 123L));
    }
}
