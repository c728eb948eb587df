package io.bulwark.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seed document's two files, verbatim except for the etcd address placeholder, load as intended. */
class SeedConfigTest {

    private static String seed(String file) throws IOException {
        try (InputStream in = SeedConfigTest.class.getResourceAsStream("/seed/" + file)) {
            assertThat(in).as(file).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("<node3-ip>", "10.0.0.3");
        }
    }

    private static ConfigResult loadSeed(String file) throws IOException {
        ConfigResult result = ConfigLoader.fromYaml(seed(file), Map.of(), file);
        assertThat(result.errors()).isEmpty();
        assertThat(result.warnings()).noneMatch(w -> w.message().equals("unknown key"));
        return result;
    }

    @Test
    void primaryFileLoadsWithItsValues() throws IOException {
        ConfigResult result = loadSeed("patroni-primary.yml");
        BulwarkConfig config = result.config();
        assertThat(config.scope()).isEqualTo("pg-cluster");
        assertThat(config.name()).isEqualTo("patroni-primary");
        assertThat(config.namespace()).isEqualTo("/service");

        assertThat(config.restapi().listenHost()).isEqualTo("0.0.0.0");
        assertThat(config.restapi().listenPort()).isEqualTo(8008);
        assertThat(config.restapi().apiUrl()).isEqualTo("http://patroni-primary:8008/patroni");
        assertThat(config.restapi().username()).isNull();

        assertThat(config.etcd().endpoints()).containsExactly("http://10.0.0.3:2379");
        assertThat(config.etcd().username()).isNull();

        DynamicConfig dcs = config.bootstrap().dcs();
        assertThat(dcs.ttl()).isEqualTo(30);
        assertThat(dcs.loopWait()).isEqualTo(10);
        assertThat(dcs.retryTimeout()).isEqualTo(10);
        assertThat(dcs.maximumLagOnFailover()).isEqualTo(DynamicConfig.DEFAULT_MAXIMUM_LAG_ON_FAILOVER);
        assertThat(config.bootstrap().initdb()).containsExactly("encoding=UTF8", "data-checksums");
        assertThat(config.bootstrap().initdbArgs()).containsExactly("--encoding=UTF8", "--data-checksums");

        PostgresqlConfig pg = config.postgresql();
        assertThat(pg.listenHost()).isEqualTo("0.0.0.0");
        assertThat(pg.port()).isEqualTo(5432);
        assertThat(pg.connUrl()).isEqualTo("postgres://patroni-primary:5432/postgres");
        assertThat(pg.dataDir()).isEqualTo(Path.of("/data/pgdata"));
        assertThat(pg.superuser()).isEqualTo(new Credentials("postgres", "postgres"));
        assertThat(pg.replication()).isEqualTo(new Credentials("replicator", "replicator"));
        assertThat(pg.rewindCredentials()).isEqualTo(pg.superuser());
        assertThat(pg.pgpass()).as("no default in /tmp: the runtime directory decides").isNull();
        assertThat(pg.createReplicaMethods()).containsExactly("basebackup");
        assertThat(pg.binDir()).isNull();

        assertThat(config.tags().canFailover()).isTrue();
        assertThat(config.tags().failoverPriority()).isEqualTo(1);
        assertThat(config.tags().published()).isEmpty();
        assertThat(config.log()).isEqualTo(LogConfig.defaults());
        assertThat(config.raw()).containsKeys("scope", "name", "bootstrap");
        if (!Files.exists(Path.of("/data/pgdata"))) {
            assertThat(result.warnings()).contains(new ConfigProblem("postgresql.data_dir",
                    "data directory /data/pgdata does not exist yet"));
        }
    }

    @Test
    void replicaFileLoadsWithBulwarkTimingDefaults() throws IOException {
        BulwarkConfig config = loadSeed("patroni-replica.yml").config();
        assertThat(config.scope()).isEqualTo("pg-cluster");
        assertThat(config.name()).isEqualTo("patroni-replica");
        assertThat(config.restapi().connectAddress()).isEqualTo("patroni-replica:8008");
        assertThat(config.postgresql().connectAddress()).isEqualTo("patroni-replica:5432");
        assertThat(config.etcd().endpoints()).containsExactly("http://10.0.0.3:2379");
        assertThat(config.bootstrap().dcs()).isEqualTo(DynamicConfig.defaults());
        assertThat(config.bootstrap().dcs().ttl()).isEqualTo(DynamicConfig.DEFAULT_TTL);
        assertThat(config.bootstrap().initdb()).isEmpty();
    }

    @Test
    void loadReadsTheFileFromDisk(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("patroni.yml");
        Files.writeString(file, seed("patroni-primary.yml"));
        ConfigResult result = ConfigLoader.load(file, Map.of());
        assertThat(result.errors()).isEmpty();
        assertThat(result.config().name()).isEqualTo("patroni-primary");
    }

    @Test
    void placeholderLeftInPlaceIsReportedAsInvalidHost() throws IOException {
        String verbatim = seed("patroni-primary.yml").replace("10.0.0.3", "<node3-ip>");
        ConfigResult result = ConfigLoader.fromYaml(verbatim, Map.of(), "patroni-primary.yml");
        assertThat(result.errors()).containsExactly(new ConfigProblem("etcd.host",
                "invalid host '<node3-ip>' in '<node3-ip>:2379'"));
        assertThat(result.config()).isNull();
    }
}
