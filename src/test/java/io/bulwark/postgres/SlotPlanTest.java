package io.bulwark.postgres;

import io.bulwark.config.SlotSettings;
import io.bulwark.config.SlotSettings.IgnoreRule;
import io.bulwark.config.SlotSettings.PermanentSlot;
import io.bulwark.postgres.SlotPlan.Advance;
import io.bulwark.postgres.SlotPlan.CreateLogical;
import io.bulwark.postgres.SlotPlan.CreatePhysical;
import io.bulwark.postgres.SlotPlan.Drop;
import io.bulwark.postgres.SlotPlan.ExistingSlot;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which slots are created, dropped and advanced: the rules of reference §2.7, without a server. */
class SlotPlanTest {
    private static final PermanentSlot CDC = new PermanentSlot("cdc", true, "app", "pgoutput");

    private static ExistingSlot physical(String name, boolean active, long restart) {
        return new ExistingSlot(name, "physical", null, null, active, restart, 0);
    }

    private static ExistingSlot logical(String name, String db, String plugin, boolean active) {
        return new ExistingSlot(name, "logical", db, plugin, active, 100, 200);
    }

    private static SlotSettings ignoring(IgnoreRule... rules) {
        return new SlotSettings(Map.of(), List.of(rules), SlotSettings.DEFAULT_MEMBER_SLOTS_TTL);
    }

    @Test
    void primaryCreatesMissingMemberPermanentAndLogicalSlots() {
        SlotRequest req = new SlotRequest(true, Map.of("node2", 0L, "dr", 0L), List.of(CDC), SlotSettings.NONE, true);
        assertThat(SlotPlan.plan(List.of(physical("node2", true, 10)), req)).containsExactly(
                new CreatePhysical("dr"), new CreateLogical("cdc", "app", "pgoutput"));
    }

    @Test
    void permanentSlotsAreKeptWhileUnknownInactiveOnesAreDropped() {
        SlotRequest req = new SlotRequest(true, Map.of("dr", 0L), List.of(CDC), SlotSettings.NONE, true);
        List<ExistingSlot> have = List.of(physical("dr", false, 10), logical("cdc", "app", "pgoutput", false),
                physical("stale", false, 10), logical("old", "app", "test_decoding", false));
        assertThat(SlotPlan.plan(have, req)).extracting(SlotPlan.Op::name).containsExactly("stale", "old");
        assertThat(SlotPlan.plan(have, req)).allMatch(op -> op instanceof Drop);
    }

    @Test
    void activeSlotsAreNeverDroppedAndNothingIsDroppedWhilePaused() {
        List<ExistingSlot> have = List.of(physical("busy", true, 10), physical("idle", false, 10));
        assertThat(SlotPlan.plan(have, new SlotRequest(true, Map.of(), List.of(), SlotSettings.NONE, true)))
                .containsExactly(new Drop("idle", "it belongs to no member and is not a permanent slot"));
        assertThat(SlotPlan.plan(have, new SlotRequest(true, Map.of(), List.of(), SlotSettings.NONE, false)))
                .isEmpty();
    }

    @Test
    void ignoreSlotsMatchesOnEveryGivenFieldAndAbsentFieldsMatchAnything() {
        List<ExistingSlot> have = List.of(physical("backup", false, 10), logical("dbz", "app", "pgoutput", false),
                logical("dbz2", "other", "pgoutput", false), logical("wal2json", "app", "wal2json", false));
        SlotSettings settings = ignoring(new IgnoreRule("backup", null, null, null),
                new IgnoreRule(null, "logical", "app", "pgoutput"));
        SlotRequest req = new SlotRequest(true, Map.of(), List.of(), settings, true);
        assertThat(SlotPlan.plan(have, req)).extracting(SlotPlan.Op::name)
                .as("dbz2 is in another database and wal2json uses another plugin").containsExactly("dbz2", "wal2json");
        SlotSettings byType = ignoring(new IgnoreRule("backup", "logical", null, null));
        assertThat(SlotPlan.plan(List.of(physical("backup", false, 10)), new SlotRequest(true, Map.of(), List.of(),
                byType, true))).as("the rule names type logical; backup is physical").hasSize(1);
    }

    @Test
    void anIgnoredSlotIsNotCreatedNorRecreatedEvenWhenConfiguredPermanent() {
        SlotSettings settings = ignoring(new IgnoreRule("cdc", null, null, null));
        SlotRequest req = new SlotRequest(true, Map.of(), List.of(CDC), settings, true);
        assertThat(SlotPlan.plan(List.of(), req)).isEmpty();
        assertThat(SlotPlan.plan(List.of(logical("cdc", "app", "wal2json", false)), req)).isEmpty();
    }

    @Test
    void aLogicalSlotWithAnotherPluginOrDatabaseIsRecreatedOnlyWhenInactive() {
        SlotRequest req = new SlotRequest(true, Map.of(), List.of(CDC), SlotSettings.NONE, true);
        assertThat(SlotPlan.plan(List.of(logical("cdc", "app", "test_decoding", false)), req))
                .extracting(op -> op.getClass().getSimpleName()).containsExactly("Drop", "CreateLogical");
        assertThat(SlotPlan.plan(List.of(logical("cdc", "other", "pgoutput", true)), req)).isEmpty();
    }

    @Test
    void replicaAdvancesInactivePhysicalSlotsToThePublishedPositionAndCreatesNoLogicalSlot() {
        SlotRequest req = new SlotRequest(false, Map.of("node1", 5000L, "dr", 300L, "node3", 0L), List.of(CDC),
                SlotSettings.NONE, true);
        List<ExistingSlot> have = List.of(physical("node1", false, 1000), physical("dr", false, 400),
                physical("node3", false, 10));
        assertThat(SlotPlan.plan(have, req)).as("dr is already past 300; node3 has no published position")
                .containsExactly(new Advance("node1", 5000L));
    }

    @Test
    void primaryNeverAdvancesAndAReplicaLeavesAnActiveSlotAlone() {
        List<ExistingSlot> have = List.of(physical("node3", true, 10));
        assertThat(SlotPlan.plan(have, new SlotRequest(true, Map.of("node3", 99L), List.of(), SlotSettings.NONE,
                true))).isEmpty();
        assertThat(SlotPlan.plan(have, new SlotRequest(false, Map.of("node3", 99L), List.of(), SlotSettings.NONE,
                true))).isEmpty();
    }

    @Test
    void aReplicaKeepsAPermanentLogicalSlotItHas() {
        SlotRequest req = new SlotRequest(false, Map.of(), List.of(CDC), SlotSettings.NONE, true);
        assertThat(SlotPlan.plan(List.of(logical("cdc", "app", "pgoutput", false)), req)).isEmpty();
    }

    @Test
    void aReplicaAdvancesItsCopyOfALogicalSlotInItsDatabaseOnlyForward() {
        ExistingSlot copy = logical("cdc", "app", "pgoutput", false); // confirmed at 200
        SlotRequest ahead = new SlotRequest(false, Map.of(), List.of(CDC), SlotSettings.NONE, true, Map.of("cdc", 900L));
        assertThat(SlotPlan.plan(List.of(copy), ahead)).containsExactly(new SlotPlan.AdvanceLogical("cdc", "app", 900L));
        SlotRequest behind = new SlotRequest(false, Map.of(), List.of(CDC), SlotSettings.NONE, true, Map.of("cdc", 150L));
        assertThat(SlotPlan.plan(List.of(copy), behind)).as("never backwards").isEmpty();
        assertThat(SlotPlan.plan(List.of(logical("cdc", "app", "pgoutput", true)), ahead)).as("in use").isEmpty();
        assertThat(SlotPlan.plan(List.of(logical("cdc", "other", "pgoutput", false)), ahead))
                .as("not a copy of this slot: left for the copy to replace").isEmpty();
        assertThat(SlotPlan.plan(List.of(), ahead)).as("a missing copy is not created (only copied)").isEmpty();
        SlotRequest ignored = new SlotRequest(false, Map.of(), List.of(CDC), ignoring(new IgnoreRule("cdc", null, null,
                null)), true, Map.of("cdc", 900L));
        assertThat(SlotPlan.plan(List.of(copy), ignored)).isEmpty();
    }

    @Test
    void invalidNamesAreNeverSentToTheServer() {
        SlotRequest req = new SlotRequest(true, Map.of("Bad-Name", 0L), List.of(), SlotSettings.NONE, true);
        assertThat(SlotPlan.plan(List.of(), req)).isEmpty();
    }
}
