package io.bulwark.ctl;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code backup}: POST /backup on the leader, then poll GET /backup for the outcome. */
class BackupCommandTest extends CtlWorldTest {

    @Test
    void aFailedBackupExitsOneWithPgBackRestsLastLines() {
        world.api.reply("POST /postgresql0/backup", 202, "{\"state\": \"running\"}")
                .reply("GET /postgresql0/backup", 200, "{\"configured\": true, \"state\": \"failed\", \"type\": \"diff\","
                        + " \"exit_code\": 56, \"output\": [\"ERROR: [056]: the repository is full\"]}");
        Clusters.Run r = world.run("", "backup", "--type", "diff");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(world.requests().getFirst().body()).isEqualTo("{\"type\":\"diff\"}");
        assertThat(r.out()).contains("Started a diff backup on member postgresql0",
                "Failed: backup on member postgresql0 failed (exit code 56)", "  ERROR: [056]: the repository is full");
    }

    @Test
    void aSucceededBackupExitsZero() {
        world.api.reply("POST /postgresql0/backup", 202, "{\"state\": \"running\"}")
                .reply("GET /postgresql0/backup", 200, "{\"configured\": true, \"state\": \"succeeded\"}");
        Clusters.Run r = world.run("", "backup");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(world.requests().getFirst().body()).isEqualTo("{\"type\":\"full\"}");
        assertThat(r.out()).contains("Backup succeeded on member postgresql0 (full,");
    }

    @Test
    void aRefusalIsPrintedWithItsStatus() {
        world.api.reply("POST /postgresql0/backup", 412, "no bulwark.pgbackrest section in this member's configuration");
        Clusters.Run r = world.run("", "backup", "--no-wait");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).contains("Failed: backup on member postgresql0, status code=412, (no bulwark.pgbackrest");
    }

    @Test
    void aBadTypeAndAStandbyClusterAreRefusedBeforeAnyRequest() throws Exception {
        Clusters.Run bad = world.run("", "backup", "--type", "weekly");
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.err()).contains("--type: expected full, diff or incr, got 'weekly'");

        world.agents.get("postgresql0").setConfig("{\"standby_cluster\":{\"host\":\"h\"}}", null);
        Clusters.Run standby = world.run("", "backup");
        assertThat(standby.exitCode()).isEqualTo(1);
        assertThat(standby.err()).contains("is a standby cluster: back up its primary site");
        assertThat(world.requests()).isEmpty();
    }
}
