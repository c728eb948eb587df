package io.bulwark;

import io.bulwark.postgres.RunningUser;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The agent's command line: exit codes and messages, before anything is started. */
class MainTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private Path seed(String name) throws IOException {
        String yaml = Files.readString(Path.of("src/test/resources/seed", name)).replace("<node3-ip>", "10.0.0.3");
        return Files.writeString(dir.resolve(name), yaml);
    }

    @Test
    void validateConfigRunsTheStartChecksOfThisHost() throws IOException {
        assumeTrue(RunningUser.isRoot(), "the one start check whose outcome a test can know on any host");
        assertThat(run("--validate-config", seed("patroni-primary.yml").toString())).isEqualTo(1);
        String text = err.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("warning: postgresql.data_dir").contains("error: user: refusing to run as root")
                .contains("is valid, but the agent would not start on this host");
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("configuration is valid");
    }

    @Test
    void validateConfigNamesEveryHostProblem() throws IOException {
        Path bin = Files.createDirectory(dir.resolve("bin"));
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Path file = Files.writeString(dir.resolve("host.yml"), """
                    scope: demo
                    name: node1
                    restapi: {listen: 127.0.0.1:%d}
                    etcd3: {host: 127.0.0.1:2379}
                    postgresql:
                      listen: 127.0.0.1:5432
                      data_dir: %s
                      bin_dir: %s
                      authentication:
                        superuser: {username: postgres, password: x}
                        replication: {username: replicator, password: y}
                    """.formatted(taken.getLocalPort(), dir.resolve("data"), bin));
            assertThat(run("--validate-config", file.toString())).isEqualTo(1);
            assertThat(err.toString(StandardCharsets.UTF_8))
                    .contains("error: postgresql.bin_dir: pg_ctl not found or not executable in " + bin)
                    .contains("error: restapi.listen: cannot listen on 127.0.0.1:" + taken.getLocalPort());
            err.reset();
            assertThat(run(file.toString())).as("the agent's start refuses the same").isEqualTo(1);
            assertThat(err.toString(StandardCharsets.UTF_8))
                    .contains("error: postgresql.bin_dir: pg_ctl not found")
                    .contains("error: restapi.listen: cannot listen on").contains("nothing was started");
        }
    }

    @Test
    void brokenConfigListsEveryProblemWithItsPathAndExitsNonZero() throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.yml"), """
                scope: demo
                name: node1
                restapi:
                  listen: 127.0.0.1:abc
                etcd3:
                  host: 127.0.0.1:2379
                bootstrap:
                  dcs:
                    ttl: 5
                    loop_wait: 10
                    retry_timeout: 10
                postgresql:
                  listen: 127.0.0.1:5432
                  authentication:
                    superuser: {username: postgres, password: x}
                    replication: {username: replicator, password: y}
                """);
        assertThat(run(bad.toString())).isEqualTo(1);
        String text = err.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("error: postgresql.data_dir").contains("error: restapi.listen")
                .contains("error: bootstrap.dcs").contains("nothing was started");
        assertThat(dir.resolve("data")).doesNotExist();
    }

    @Test
    void unreadableFileIsAClearError() {
        assertThat(run("--validate-config", dir.resolve("missing.yml").toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("missing.yml");
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage: bulwark");
        assertThat(run("--bogus")).isEqualTo(2);
    }

    @Test
    void versionNamesThePatroniProtocol() {
        assertThat(run("--version")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("bulwark ").contains("Patroni protocol 4.1.4");
    }

    @Test
    void refusesToRunAsRoot() throws IOException {
        assumeTrue(RunningUser.isRoot(), "only meaningful when the tests run as root");
        assertThat(run(seed("patroni-replica.yml").toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("refusing to run as root");
    }
}
