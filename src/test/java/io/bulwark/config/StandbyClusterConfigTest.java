package io.bulwark.config;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code standby_cluster}: one typed record, errors naming the key. */
class StandbyClusterConfigTest {

    private static DynamicConfigParser.Result parse(Map<String, Object> standby) {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("standby_cluster", standby);
        return DynamicConfigParser.parse(tree, "bootstrap.dcs");
    }

    @Test
    void aFullSectionIsParsedWithoutWarnings() {
        DynamicConfigParser.Result r = parse(Map.of("host", "10.2.0.1", "port", "6432", "primary_slot_name", "site_b",
                "restore_command", "cp /a/%f %p", "archive_cleanup_command", "pg_archivecleanup /a %r",
                "recovery_min_apply_delay", "5min", "create_replica_methods", List.of("basebackup")));

        assertThat(r.errors()).isEmpty();
        assertThat(r.warnings()).isEmpty();
        assertThat(r.config().standbyCluster()).isTrue();
        assertThat(r.config().standby()).isEqualTo(new StandbyClusterConfig("10.2.0.1", 6432, "site_b", "cp /a/%f %p",
                "pg_archivecleanup /a %r", "5min", List.of("basebackup")));
        assertThat(r.config().standby().hostPort()).isEqualTo("10.2.0.1:6432");
    }

    @Test
    void defaultsArePort5432NoSlotAndBasebackup() {
        StandbyClusterConfig sc = parse(Map.of("host", "h")).config().standby();
        assertThat(sc).isEqualTo(new StandbyClusterConfig("h", 5432, null, null, null, null, List.of("basebackup")));
    }

    @Test
    void badValuesAreErrorsNamingTheKey() {
        DynamicConfigParser.Result r = parse(Map.of("host", "a,b", "port", 70000, "primary_slot_name", "Bad-Name",
                "recovery_min_apply_delay", "soon", "create_replica_methods", List.of()));

        assertThat(r.errors()).extracting(ConfigProblem::path).containsExactlyInAnyOrder(
                "bootstrap.dcs.standby_cluster.host", "bootstrap.dcs.standby_cluster.port",
                "bootstrap.dcs.standby_cluster.primary_slot_name",
                "bootstrap.dcs.standby_cluster.recovery_min_apply_delay",
                "bootstrap.dcs.standby_cluster.create_replica_methods");
        assertThat(parse(Map.of("port", 5432)).errors()).extracting(ConfigProblem::path)
                .containsExactly("bootstrap.dcs.standby_cluster.host");
        assertThat(DynamicConfigParser.parse(Map.of("standby_cluster", "h:5432"), "").errors())
                .extracting(ConfigProblem::path).containsExactly("standby_cluster");
    }

    @Test
    void unknownKeysAreWarningsAndAnyReplicaMethodIsAccepted() {
        DynamicConfigParser.Result r = parse(Map.of("host", "h", "hots", "x",
                "create_replica_methods", List.of("pgbackrest", "basebackup")));
        assertThat(r.errors()).isEmpty();
        assertThat(r.warnings()).extracting(ConfigProblem::path).containsExactly("bootstrap.dcs.standby_cluster.hots");
        assertThat(r.config().standby().createReplicaMethods()).containsExactly("pgbackrest", "basebackup");
    }

    @Test
    void anArchiveOnlyStandbyClusterNeedsAMethodThatRestoresFromTheArchive() {
        DynamicConfigParser.Result basebackup = parse(Map.of("restore_command", "cp /a/%f %p"));
        assertThat(basebackup.errors()).extracting(ConfigProblem::path)
                .containsExactly("bootstrap.dcs.standby_cluster.create_replica_methods");
        assertThat(basebackup.errors().getFirst().message()).contains("without host", "pgbackrest");
        DynamicConfigParser.Result restore = parse(Map.of("restore_command", "cp /a/%f %p",
                "create_replica_methods", List.of("pgbackrest")));
        assertThat(restore.errors()).isEmpty();
        assertThat(restore.config().standby().host()).isNull();
    }

    @Test
    void anEmptyOrFalsySectionIsNoStandbyClusterAndSyncModeIsIgnoredInOne() {
        assertThat(parse(Map.of()).config().standby()).isNull();
        assertThat(parse(Map.of("host", "")).config().standbyCluster()).isFalse();
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("synchronous_mode", true);
        tree.put("standby_cluster", Map.of("host", "h"));
        assertThat(DynamicConfigParser.parse(tree, "").config().sync()).isEqualTo(SyncSettings.OFF);
    }
}
