package io.bulwark;

import io.bulwark.config.BulwarkConfig;
import io.bulwark.config.ConfigLoader;
import io.bulwark.config.ConfigProblem;
import io.bulwark.config.ConfigResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The checks the agent makes on this host before starting, shared with --validate-config. */
class StartChecksTest {
    /** Not root, and not the owner of the temporary directories (which belong to the test's user). */
    private static final long OTHER_UID = 4242;

    @TempDir
    Path dir;
    private int restPort;

    @BeforeEach
    void freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            restPort = s.getLocalPort();
        }
    }

    private BulwarkConfig config(String extraPostgresql, String extraRestapi, String etcd) {
        String yaml = """
                scope: demo
                name: node1
                restapi:
                  listen: 127.0.0.1:%d
                %s
                %s
                postgresql:
                  listen: 127.0.0.1:5432
                  data_dir: %s
                  authentication:
                    superuser: {username: postgres, password: a}
                    replication: {username: replicator, password: b}
                %s
                """.formatted(restPort, extraRestapi.indent(2).stripTrailing(), etcd, dir.resolve("data"),
                extraPostgresql.indent(2).stripTrailing());
        ConfigResult r = ConfigLoader.fromYaml(yaml, Map.of(), "test.yml");
        assertThat(r.errors()).isEmpty();
        return r.config();
    }

    private BulwarkConfig config() {
        return config("", "", "etcd3: {host: 127.0.0.1:2379}");
    }

    private static List<String> paths(List<ConfigProblem> problems) {
        return problems.stream().map(ConfigProblem::path).toList();
    }

    @Test
    void aConfigurationThatFitsThisHostPassesEveryCheck() {
        assertThat(StartChecks.run(config(), OTHER_UID)).isEmpty();
    }

    @Test
    void rootIsRefused() {
        List<ConfigProblem> problems = StartChecks.run(config(), 0);
        assertThat(paths(problems)).containsExactly("user");
        assertThat(problems.getFirst().message()).startsWith("refusing to run as root");
    }

    @Test
    void everyMissingProgramIsNamed() throws IOException {
        Path bin = Files.createDirectory(dir.resolve("bin"));
        List<ConfigProblem> problems = StartChecks.run(config("bin_dir: " + bin, "", "etcd3: {host: h}"), OTHER_UID);
        assertThat(problems).extracting(ConfigProblem::toString).containsExactlyInAnyOrder(
                "postgresql.bin_dir: postgres not found or not executable in " + bin,
                "postgresql.bin_dir: pg_ctl not found or not executable in " + bin,
                "postgresql.bin_dir: initdb not found or not executable in " + bin,
                "postgresql.bin_dir: pg_controldata not found or not executable in " + bin,
                "postgresql.bin_dir: pg_basebackup not found or not executable in " + bin,
                "postgresql.bin_dir: pg_rewind not found or not executable in " + bin);
    }

    @Test
    void aDataDirectoryOwnedBySomeoneElseIsRefused() throws IOException {
        Files.createDirectory(dir.resolve("data"));
        List<ConfigProblem> problems = StartChecks.run(config(), OTHER_UID);
        assertThat(paths(problems)).containsExactly("postgresql.data_dir");
        assertThat(problems.getFirst().message()).contains("is owned by").contains("the agent runs as uid 4242");
    }

    @Test
    void anInitializedDataDirectoryNeeds0700Or0750() throws IOException {
        Path data = Files.createDirectory(dir.resolve("data"));
        Files.writeString(data.resolve("PG_VERSION"), "17\n");
        long uid = (Integer) Files.getAttribute(data, "unix:uid");
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<ConfigProblem> problems = StartChecks.run(config(), uid);
        assertThat(problems).extracting(ConfigProblem::toString).filteredOn(p -> p.startsWith("postgresql"))
                .containsExactly("postgresql.data_dir: " + data + " has mode 0755; PostgreSQL refuses to start"
                        + " unless it is 0700 or 0750 (chmod 0700 " + data + ")");

        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-x---"));
        assertThat(paths(StartChecks.run(config(), uid))).doesNotContain("postgresql.data_dir");
    }

    @Test
    void aTakenRestApiPortIsNamed() throws IOException {
        try (ServerSocket taken = new ServerSocket(restPort, 1, InetAddress.getLoopbackAddress())) {
            List<ConfigProblem> problems = StartChecks.run(config(), OTHER_UID);
            assertThat(problems).extracting(ConfigProblem::toString)
                    .containsExactly("restapi.listen: cannot listen on 127.0.0.1:" + restPort
                            + ": Address already in use");
        }
    }

    @Test
    void unusableTlsFilesAreNamedForTheRestApiAndForEtcd() {
        Path missingCert = dir.resolve("rest.pem");
        Path missingCa = dir.resolve("etcd-ca.pem");
        List<ConfigProblem> problems = StartChecks.run(config("", "certfile: " + missingCert,
                "etcd3: {hosts: 127.0.0.1:2379, protocol: https, cacert: " + missingCa + "}"), OTHER_UID);
        assertThat(paths(problems)).containsExactly("restapi", "etcd3");
        assertThat(problems.get(0).message()).contains(missingCert.toString());
        assertThat(problems.get(1).message()).contains(missingCa.toString());
    }
}
