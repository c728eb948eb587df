package io.bulwark.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code config} key's JSON and {@code bootstrap.dcs}, both ways. */
class DynamicConfigParserTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(String text) throws Exception {
        return JSON.readValue(text, Map.class);
    }

    @Test
    void emptyMapGivesDefaults() {
        DynamicConfigParser.Result result = DynamicConfigParser.parse(Map.of(), "");
        assertThat(result.ok()).isTrue();
        assertThat(result.config()).isEqualTo(DynamicConfig.defaults());
        assertThat(DynamicConfigParser.parse(null, "").config()).isEqualTo(DynamicConfig.defaults());
    }

    @Test
    void patroniKeysBulwarkDoesNotActOnAreWarningsThatNameTheKeyAndTheConsequence() throws Exception {
        DynamicConfigParser.Result result = DynamicConfigParser.parse(json("""
                {"failsafe_mode": true, "check_timeline": false, "max_timelines_history": 5,
                 "standby_cluster": {"host": "10.1.0.5", "port": 5432}}
                """), "bootstrap.dcs");
        assertThat(result.errors()).isEmpty();
        assertThat(result.warnings()).extracting(ConfigProblem::path)
                .containsExactlyInAnyOrder("bootstrap.dcs.max_timelines_history");
        assertThat(result.warnings()).allSatisfy(w -> assertThat(w.message()).startsWith("not implemented by Bulwark"));
        assertThat(result.config().standbyCluster()).isTrue();
    }

    @Test
    void failsafeModeIsABooleanThatIsActedOnNotWarnedAbout() throws Exception {
        DynamicConfigParser.Result on = DynamicConfigParser.parse(json("{\"failsafe_mode\": \"on\"}"), "bootstrap.dcs");
        assertThat(on.errors()).isEmpty();
        assertThat(on.warnings()).isEmpty();
        assertThat(on.config().failsafeMode()).isTrue();
        assertThat(DynamicConfig.defaults().failsafeMode()).isFalse();
        DynamicConfigParser.Result bad = DynamicConfigParser.parse(json("{\"failsafe_mode\": 3}"), "");
        assertThat(bad.errors()).extracting(ConfigProblem::path).containsExactly("failsafe_mode");
        assertThat(bad.errors().get(0).message()).contains("must be a boolean");
    }

    @Test
    void synchronousModeQuorumIsAcceptedAndItsCompanionsValidated() throws Exception {
        DynamicConfigParser.Result result = DynamicConfigParser.parse(json("""
                {"synchronous_mode": "quorum", "synchronous_node_count": 0, "maximum_lag_on_syncnode": -2}
                """), "");
        assertThat(result.errors()).extracting(ConfigProblem::path)
                .containsExactlyInAnyOrder("synchronous_node_count", "maximum_lag_on_syncnode");
        DynamicConfig quorum = DynamicConfigParser.parse(json("""
                {"synchronous_mode": "Quorum", "synchronous_node_count": 2}
                """), "").config();
        assertThat(quorum.sync()).isEqualTo(new SyncSettings(true, true, false, 2, -1));
        DynamicConfigParser.Result bad = DynamicConfigParser.parse(json("""
                {"synchronous_mode": "sometimes"}
                """), "");
        assertThat(bad.errors()).containsExactly(new ConfigProblem("synchronous_mode",
                "must be true, false or quorum, got 'sometimes'"));
        DynamicConfig on = DynamicConfigParser.parse(json("""
                {"synchronous_mode": "on", "synchronous_mode_strict": true, "synchronous_node_count": 2}
                """), "").config();
        assertThat(on.sync()).isEqualTo(new SyncSettings(true, true, 2, -1));
        assertThat(DynamicConfig.defaults().sync()).isEqualTo(SyncSettings.OFF);
    }

    @Test
    void patroniJsonWithNestedPostgresqlAndUnknownKeys() throws Exception {
        DynamicConfigParser.Result result = DynamicConfigParser.parse(json("""
                {"ttl": 30, "loop_wait": 10.0, "retry_timeout": 10, "maximum_lag_on_failover": 10000000000,
                 "master_start_timeout": 60, "synchronous_mode": true, "my_extension": {"a": 1},
                 "postgresql": {"use_pg_rewind": true, "use_slots": false,
                   "remove_data_directory_on_rewind_failure": true, "pg_hba": ["host all all 0.0.0.0/0 md5"],
                   "parameters": {"max_connections": 100, "wal_level": "replica", "hot_standby": "on",
                                  "checkpoint_completion_target": 0.9, "work_mem": null}}}
                """), "");
        assertThat(result.errors()).isEmpty();
        assertThat(result.warnings()).containsExactly(new ConfigProblem("my_extension", "unknown key"));
        DynamicConfig config = result.config();
        assertThat(config.ttl()).isEqualTo(30);
        assertThat(config.loopWait()).isEqualTo(10);
        assertThat(config.maximumLagOnFailover()).isEqualTo(10_000_000_000L);
        assertThat(config.primaryStartTimeout()).isEqualTo(60);
        assertThat(config.usePgRewind()).isTrue();
        assertThat(config.useSlots()).isFalse();
        assertThat(config.removeDataDirectoryOnRewindFailure()).isTrue();
        assertThat(config.pgHba()).containsExactly("host all all 0.0.0.0/0 md5");
        assertThat(config.parameters()).containsExactlyInAnyOrderEntriesOf(Map.of("max_connections", 100,
                "wal_level", "replica", "hot_standby", "on", "checkpoint_completion_target", 0.9));
        assertThat(config.raw()).containsEntry("synchronous_mode", true).containsKey("my_extension");
    }

    @Test
    void primaryStartTimeoutWinsOverLegacyAlias() {
        DynamicConfigParser.Result result = DynamicConfigParser.parse(
                Map.of("primary_start_timeout", 0, "master_start_timeout", 100), "");
        assertThat(result.config().primaryStartTimeout()).isZero();
        assertThat(result.warnings()).containsExactly(new ConfigProblem("master_start_timeout",
                "legacy alias ignored because primary_start_timeout is set"));
    }

    @Test
    void errorsCarryThePrefixAndNoConfig() {
        DynamicConfigParser.Result result = DynamicConfigParser.parse(Map.of("ttl", "abc", "loop_wait", 0,
                "maximum_lag_on_failover", -5, "postgresql", Map.of("use_slots", "maybe",
                        "parameters", Map.of("x", List.of(1)), "pg_hba", "host all all all md5")), "bootstrap.dcs");
        assertThat(result.ok()).isFalse();
        assertThat(result.config()).isNull();
        assertThat(result.errors()).containsExactlyInAnyOrder(
                new ConfigProblem("bootstrap.dcs.ttl", "must be an integer, got 'abc'"),
                new ConfigProblem("bootstrap.dcs.loop_wait", "must be >= 1, got 0"),
                new ConfigProblem("bootstrap.dcs.maximum_lag_on_failover", "must be a non-negative integer, got -5"),
                new ConfigProblem("bootstrap.dcs.postgresql.use_slots",
                        "must be a boolean (true or false), got 'maybe'"),
                new ConfigProblem("bootstrap.dcs.postgresql.parameters.x", "must be a single value, got a list"),
                new ConfigProblem("bootstrap.dcs.postgresql.pg_hba", "must be a list of strings, got a string"));
    }

    @Test
    void timingRuleWithDefaultsFillingGaps() {
        DynamicConfigParser.Result result = DynamicConfigParser.parse(Map.of("ttl", 20, "retry_timeout", 10), "");
        assertThat(result.errors()).containsExactly(new ConfigProblem("ttl",
                "loop_wait + 2*retry_timeout (1+2*10=21) must be <= ttl (20)"));
        assertThat(DynamicConfigParser.parse(Map.of("ttl", 21, "retry_timeout", 10), "").ok()).isTrue();
    }

    @Test
    void toMapUsesPatroniNamesAndKeepsUnknownKeys() throws Exception {
        DynamicConfig config = DynamicConfigParser.parse(json("""
                {"ttl": 30, "loop_wait": 10, "retry_timeout": 10, "master_start_timeout": 60, "pause": true,
                 "postgresql": {"use_pg_rewind": true, "recovery_conf": {"x": "y"}, "parameters": {"a": 1}}}
                """), "").config();
        Map<String, Object> map = DynamicConfigParser.toMap(config);
        assertThat(map).containsEntry("ttl", 30).containsEntry("loop_wait", 10).containsEntry("retry_timeout", 10)
                .containsEntry("maximum_lag_on_failover", 1_048_576L).containsEntry("primary_start_timeout", 60)
                .containsEntry("pause", true).doesNotContainKey("master_start_timeout");
        assertThat(map.get("postgresql")).isEqualTo(Map.of("use_pg_rewind", true, "use_slots", true,
                "remove_data_directory_on_rewind_failure", false, "recovery_conf", Map.of("x", "y"),
                "parameters", Map.of("a", 1)));
    }

    @Test
    void roundTripThroughJson() throws Exception {
        DynamicConfig original = DynamicConfigParser.parse(Map.of("ttl", 30, "loop_wait", 10, "retry_timeout", 10,
                "failsafe_mode", true, "postgresql", Map.of("use_pg_rewind", true,
                        "parameters", Map.of("max_connections", 200), "pg_hba", List.of("local all all trust"))),
                "bootstrap.dcs").config();
        String written = JSON.writeValueAsString(DynamicConfigParser.toMap(original));
        DynamicConfigParser.Result reread = DynamicConfigParser.parse(json(written), "");
        assertThat(reread.errors()).isEmpty();
        DynamicConfig back = reread.config();
        assertThat(back).usingRecursiveComparison().ignoringFields("raw").isEqualTo(original);
        assertThat(back.raw()).containsEntry("failsafe_mode", true);
        assertThat(DynamicConfigParser.toMap(back)).isEqualTo(DynamicConfigParser.toMap(original));
        assertThat(DynamicConfigParser.toMap(DynamicConfig.defaults())).containsEntry("ttl", DynamicConfig.DEFAULT_TTL);
    }
}
