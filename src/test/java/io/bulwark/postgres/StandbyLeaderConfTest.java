package io.bulwark.postgres;

import io.bulwark.config.Credentials;
import io.bulwark.config.DynamicConfig;
import io.bulwark.config.PostgresqlConfig;
import io.bulwark.config.StandbyClusterConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The standby leader's recovery settings: the remote site's host, its slot only, and the archive settings. */
class StandbyLeaderConfTest {
    @TempDir
    Path tmp;

    private PostgresConf conf() throws Exception {
        Files.createDirectory(tmp.resolve("data"));
        PostgresqlConfig cfg = new PostgresqlConfig("127.0.0.1", 5433, "127.0.0.1:5433", tmp.resolve("data"), null,
                tmp.resolve("pgpass"), new Credentials("postgres", "x"), new Credentials("replicator", "y"), null,
                Map.of(), List.of(), List.of("basebackup"), List.of(), PostgresqlConfig.DEFAULT_PG_CTL_TIMEOUT,
                PostgresqlConfig.DEFAULT_KEEP_FAILED_DATA_DIRS);
        return new PostgresConf(cfg, "b1", tmp.resolve("pgpass"), new SecureFiles(null));
    }

    private static DynamicConfig dyn() {
        return new DynamicConfig(4, 1, 1, 1 << 20, 300, true, true, false, Map.of(), List.of(), Map.of());
    }

    @Test
    void followsTheRemoteWithItsSlotAndArchiveSettingsNeverOurOwnSlot() throws Exception {
        PostgresConf conf = conf();
        conf.writeStandbyLeader(dyn(), new StandbyClusterConfig("10.2.0.1", 6432, "site_b", "cp /arch/%f %p",
                "pg_archivecleanup /arch %r", "5min", List.of("basebackup")));

        String text = Files.readString(tmp.resolve("data/postgresql.conf"));
        assertThat(text).contains("host=10.2.0.1", "port=6432", "user=replicator", "application_name=b1",
                "primary_slot_name = 'site_b'", "restore_command = 'cp /arch/%f %p'",
                "archive_cleanup_command = 'pg_archivecleanup /arch %r'", "recovery_min_apply_delay = '5min'",
                "recovery_target_timeline = 'latest'");
        assertThat(text).doesNotContain("primary_slot_name = 'b1'");
        assertThat(tmp.resolve("data/standby.signal")).exists();
    }

    @Test
    void withoutASlotNameNoneIsUsedAndWithoutAHostOnlyTheArchive() throws Exception {
        PostgresConf conf = conf();
        conf.writeStandbyLeader(dyn(), new StandbyClusterConfig("10.2.0.1", 5432, null, null, null, null,
                List.of("basebackup")));
        assertThat(Files.readString(tmp.resolve("data/postgresql.conf"))).contains("host=10.2.0.1")
                .doesNotContain("primary_slot_name", "restore_command");

        conf.writeStandbyLeader(dyn(), new StandbyClusterConfig(null, 5432, null, "cp /arch/%f %p", null, null,
                List.of("basebackup")));
        assertThat(Files.readString(tmp.resolve("data/postgresql.conf"))).contains("restore_command")
                .doesNotContain("primary_conninfo");
        assertThat(tmp.resolve("data/standby.signal")).exists();
    }
}
