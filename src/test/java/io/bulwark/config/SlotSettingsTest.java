package io.bulwark.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.bulwark.config.SlotSettings.IgnoreRule;
import io.bulwark.config.SlotSettings.PermanentSlot;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** slots, ignore_slots and member_slots_ttl as Patroni reads them, with errors naming the key. */
class SlotSettingsTest {

    @SuppressWarnings("unchecked")
    private static DynamicConfigParser.Result parse(String json) throws Exception {
        return DynamicConfigParser.parse(new ObjectMapper().readValue(json, Map.class), "bootstrap.dcs");
    }

    @Test
    void permanentPhysicalAndLogicalSlotsIgnoreRulesAndTtlAreParsed() throws Exception {
        DynamicConfigParser.Result r = parse("""
                {"slots": {"dr": {"type": "physical"}, "bare": null,
                           "cdc": {"type": "logical", "database": "app", "plugin": "pgoutput"}},
                 "ignore_slots": [{"name": "backup"}, {"type": "logical", "plugin": "wal2json"}],
                 "member_slots_ttl": "10min"}
                """);
        assertThat(r.errors()).isEmpty();
        SlotSettings s = r.config().slots();
        assertThat(s.permanent()).containsOnlyKeys("dr", "bare", "cdc");
        assertThat(s.permanent().get("cdc")).isEqualTo(new PermanentSlot("cdc", true, "app", "pgoutput"));
        assertThat(s.permanent().get("bare").logical()).isFalse();
        assertThat(s.ignore()).containsExactly(new IgnoreRule("backup", null, null, null),
                new IgnoreRule(null, "logical", null, "wal2json"));
        assertThat(s.memberSlotsTtl()).isEqualTo(Duration.ofMinutes(10));
        assertThat(r.warnings()).extracting(ConfigProblem::path).containsExactly("bootstrap.dcs.slots.cdc");
        assertThat(r.warnings().get(0).message()).contains("needs wal_level: logical");
    }

    @Test
    void aLogicalSlotWithWalLevelLogicalIsAcceptedWithoutWarning() throws Exception {
        DynamicConfigParser.Result r = parse("""
                {"slots": {"cdc": {"type": "logical", "database": "app", "plugin": "pgoutput"}},
                 "postgresql": {"parameters": {"wal_level": "logical"}}}
                """);
        assertThat(r.errors()).isEmpty();
        assertThat(r.warnings()).isEmpty();
        assertThat(r.config().slots().permanent()).containsOnlyKeys("cdc");
    }

    @Test
    void defaultsAreNoSlotsAndThirtyMinutes() {
        assertThat(DynamicConfig.defaults().slots()).isEqualTo(SlotSettings.NONE);
        assertThat(SlotSettings.NONE.memberSlotsTtl()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void aliasesAreReadInPatronisOrder() throws Exception {
        SlotSettings s = parse("""
                {"slots": {"a": null}, "permanent_slots": {"b": null}}
                """).config().slots();
        assertThat(s.permanent()).containsOnlyKeys("b");
        s = parse("""
                {"permanent_slots": {"b": null}, "permanent_replication_slots": {"c": null}}
                """).config().slots();
        assertThat(s.permanent()).containsOnlyKeys("c");
    }

    @Test
    void badEntriesAreErrorsNamingThePath() throws Exception {
        DynamicConfigParser.Result r = parse("""
                {"slots": {"Bad-Name": null, "x": {"type": "logical", "database": "app"}, "y": {"type": "both"}},
                 "ignore_slots": [{"name": "a", "type": "other"}, "b"], "member_slots_ttl": "soon"}
                """);
        assertThat(r.ok()).isFalse();
        assertThat(r.errors()).extracting(ConfigProblem::path).containsExactlyInAnyOrder(
                "bootstrap.dcs.slots.Bad-Name", "bootstrap.dcs.slots.x.plugin", "bootstrap.dcs.slots.y.type",
                "bootstrap.dcs.ignore_slots[0].type", "bootstrap.dcs.ignore_slots[1]",
                "bootstrap.dcs.member_slots_ttl");
        assertThat(parse("{\"ignore_slots\": {\"name\": \"a\"}}").errors()).extracting(ConfigProblem::message)
                .allMatch(m -> m.startsWith("must be a list"));
    }

    @Test
    void standbyClusterSlotsAreNotKeptByAnOrdinaryCluster() throws Exception {
        SlotSettings s = parse("""
                {"slots": {"s": {"type": "physical", "cluster_type": "standby"}, "p": {"cluster_type": "primary"}}}
                """).config().slots();
        assertThat(s.permanent()).containsOnlyKeys("p");
    }

    @Test
    void slotKeysAreNoLongerReportedAsNotImplemented() throws Exception {
        DynamicConfigParser.Result r = parse("""
                {"slots": {"dr": null}, "ignore_slots": [{"name": "x"}], "member_slots_ttl": 60}
                """);
        assertThat(r.warnings()).isEmpty();
        assertThat(r.config().slots().memberSlotsTtl()).isEqualTo(Duration.ofSeconds(60));
    }
}
