package io.bulwark.ctl;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static io.bulwark.ctl.CtlWorld.KEYS;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code show-config} and {@code edit-config}: masking, edits, diff, validation, prompts and compare-and-set. */
class ConfigCommandsTest extends CtlWorldTest {

    @Test
    void showConfigPrintsYamlWithPasswordsMasked() throws Exception {
        world.agents.get("postgresql0").setConfig("{\"ttl\":30,\"standby_cluster\":{\"host\":\"h\","
                + "\"password\":\"topsecret\"},\"postgresql\":{\"parameters\":{\"max_connections\":100}}}", null);
        Clusters.Run r = world.run("", "show-config");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo("""
                postgresql:
                  parameters:
                    max_connections: 100
                standby_cluster:
                  host: h
                  password: '******'
                ttl: 30

                """);
        assertThat(r.out()).doesNotContain("topsecret");
    }

    @Test
    void anUnreadableConfigKeyIsNamedAndOnlyReplacedWhole() throws Exception {
        world.agents.get("postgresql0").setConfig("{\"ttl\":30,\"loop_w", null);
        Clusters.Run show = world.run("", "show-config");
        assertThat(show.exitCode()).isEqualTo(1);
        assertThat(show.err()).contains("holds no JSON object").contains("--replace");

        Clusters.Run edit = world.run("", "edit-config", "-s", "ttl=40", "--force");
        assertThat(edit.exitCode()).isEqualTo(1);
        assertThat(edit.err()).contains("holds no JSON object").contains("--replace FILE");
        assertThat(world.raw(KEYS.config())).isEqualTo("{\"ttl\":30,\"loop_w");

        Clusters.Run replaced = world.run("ttl: 60\nloop_wait: 10\n", "edit-config", "--replace", "-", "--force");
        assertThat(replaced.exitCode()).as(replaced.err()).isZero();
        assertThat(world.config()).isEqualTo(Map.of("ttl", 60, "loop_wait", 10));
    }

    @Test
    void setAndPgEditsAreDiffedAndWrittenWithForce() {
        Clusters.Run r = world.run("", "edit-config", "--set", "loop_wait=5", "--pg", "work_mem=8MB",
                "-s", "postgresql.parameters.pg_stat_statements.track=all", "--force");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("--- \n+++ \n@@ ")
                .contains("-loop_wait: 10\n+loop_wait: 5\n")
                .contains("+    work_mem: 8MB\n")
                .endsWith("Configuration changed\n");
        Map<String, Object> config = world.config();
        assertThat(config).containsEntry("loop_wait", 5);
        assertThat(config.get("postgresql").toString()).contains("work_mem=8MB")
                .contains("pg_stat_statements.track=all").contains("max_connections=100");
    }

    @Test
    void confirmationPromptDecidesAndNothingWrittenOnNoOrEof() {
        String before = world.raw(KEYS.config());
        Clusters.Run no = world.run("n\n", "edit-config", "-s", "ttl=40");
        assertThat(no.out()).contains("Apply these changes? [y/N]: ");
        assertThat(no.exitCode()).isEqualTo(1);
        Clusters.Run eof = world.run("", "edit-config", "-s", "ttl=40");
        assertThat(eof.exitCode()).isEqualTo(1);
        assertThat(eof.err()).contains("--force");
        assertThat(world.raw(KEYS.config())).isEqualTo(before);

        Clusters.Run yes = world.run("y\n", "edit-config", "-s", "ttl=40", "-q");
        assertThat(yes.exitCode()).isZero();
        assertThat(yes.out()).isEqualTo("Apply these changes? [y/N]: Configuration changed\n");
        assertThat(world.config()).containsEntry("ttl", 40);
    }

    @Test
    void invalidResultIsRejectedWithPathsAndNothingWritten() {
        String before = world.raw(KEYS.config());
        Clusters.Run r = world.run("", "edit-config", "-s", "ttl=lots", "-s", "loop_wait=abc", "--force");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("not valid").contains("  ttl: ").contains("lots").contains("  loop_wait: ");
        assertThat(r.out()).doesNotContain("Configuration changed");
        assertThat(world.raw(KEYS.config())).isEqualTo(before);
    }

    @Test
    void applyMergesAndReplaceReplaces() throws Exception {
        Path patch = dir.resolve("patch.yaml");
        Files.writeString(patch, "postgresql:\n  use_pg_rewind: null\n  parameters:\n    wal_level: logical\n"
                + "maximum_lag_on_failover: 2048\n");
        Clusters.Run applied = world.run("", "edit-config", "--apply", patch.toString(), "--force", "-q");
        assertThat(applied.exitCode()).as(applied.err()).isZero();
        assertThat(world.config()).containsEntry("maximum_lag_on_failover", 2048).containsEntry("ttl", 30);
        assertThat(world.config().get("postgresql").toString()).doesNotContain("use_pg_rewind")
                .contains("wal_level=logical").contains("max_connections=100");

        Clusters.Run stdinNoForce = world.run("ttl: 60\n", "edit-config", "--replace", "-");
        assertThat(stdinNoForce.exitCode()).isEqualTo(1);
        assertThat(stdinNoForce.out()).contains("Use --force option to apply changes");
        assertThat(world.config()).containsEntry("ttl", 30);

        Clusters.Run replaced = world.run("ttl: 60\nloop_wait: 10\n", "edit-config", "--replace", "-", "--force");
        assertThat(replaced.exitCode()).as(replaced.err()).isZero();
        assertThat(world.config()).isEqualTo(Map.of("ttl", 60, "loop_wait", 10));
    }

    @Test
    void concurrentChangeAbortsTheWrite() {
        world.beforeOpen = n -> {
            if (n == 2) {
                try {
                    world.agents.get("postgresql1").setConfig("{\"ttl\":45}", null);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            return null;
        };
        Clusters.Run r = world.run("", "edit-config", "-s", "ttl=40", "--force");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("The config changed after you started editing it".toLowerCase());
        assertThat(world.config()).isEqualTo(Map.of("ttl", 45));
    }

    @Test
    void editorEditsTheYamlAndUnchangedIsReported() throws Exception {
        Path editor = dir.resolve("ed.sh");
        Files.writeString(editor, "#!/bin/sh\nsed -i 's/^ttl: 30/ttl: 35/' \"$1\"\n");
        Files.setPosixFilePermissions(editor, PosixFilePermissions.fromString("rwx------"));
        Clusters.Run r = world.runRaw("", Map.of("EDITOR", editor.toString()), "-c", world.configFile.toString(),
                "edit-config", "--force");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("-ttl: 30\n+ttl: 35\n");
        assertThat(world.config()).containsEntry("ttl", 35);

        Clusters.Run same = world.runRaw("", Map.of("EDITOR", "true"), "-c", world.configFile.toString(),
                "edit-config");
        assertThat(same.exitCode()).isZero();
        assertThat(same.out()).isEqualTo("Not changed\n");

        Clusters.Run failing = world.runRaw("", Map.of("EDITOR", "false"), "-c", world.configFile.toString(),
                "edit-config");
        assertThat(failing.exitCode()).isEqualTo(1);
        assertThat(failing.err()).contains("Editor exited with return code 1");
    }

    @Test
    void badSetSyntaxIsAnError() {
        Clusters.Run r = world.run("", "edit-config", "-s", "ttl", "--force");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("Invalid parameter setting ttl");
    }
}
