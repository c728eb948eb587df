package io.bulwark.ctl;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.bulwark.ctl.CtlWorld.KEYS;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code remove}, {@code dsn}, {@code list -w}, {@code completion} and {@code --help} everywhere. */
class DcsCommandsTest extends CtlWorldTest {

    @Test
    void removeAsksThreeQuestionsThenDeletesEverything() {
        Clusters.Run r = world.run("batman\nYes I am aware\npostgresql0\n", "remove", "batman");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("+ Cluster: batman (7277694203142172922)")
                .contains("Please confirm the cluster name to remove: ")
                .contains("You are about to remove all information in DCS for batman, please type: \"Yes I am"
                        + " aware\": ")
                .contains("This cluster currently is healthy. Please specify the leader name to continue: ");
        assertThat(world.raw(KEYS.config())).isNull();
        assertThat(world.raw(KEYS.leader())).isNull();
        assertThat(world.raw(KEYS.initialize())).isNull();
    }

    @Test
    void removeRefusesWrongAnswersAndEof() {
        Clusters.Run name = world.run("robin\n", "remove", "batman");
        assertThat(name.exitCode()).isEqualTo(1);
        assertThat(name.err()).contains("Cluster names specified do not match");

        Clusters.Run aware = world.run("batman\nyes\n", "remove", "batman");
        assertThat(aware.err()).contains("You did not exactly type \"Yes I am aware\"");

        Clusters.Run leader = world.run("batman\nYes I am aware\npostgresql1\n", "remove", "batman");
        assertThat(leader.err()).contains("You did not specify the current leader of the cluster");

        Clusters.Run eof = world.run("batman\n", "remove", "batman");
        assertThat(eof.exitCode()).isEqualTo(1);
        assertThat(eof.err()).contains("no answer on standard input");
        assertThat(world.raw(KEYS.config())).isNotNull();
    }

    @Test
    void dsnOfLeaderRoleAndMember() {
        assertThat(world.run("", "dsn").out()).isEqualTo("host=127.0.0.1 port=5432\n");
        assertThat(world.run("", "dsn", "batman", "-r", "replica").out()).isEqualTo("host=127.0.0.1 port=5433\n");
        assertThat(world.run("", "dsn", "-m", "postgresql2").out()).isEqualTo("host=127.0.0.1 port=5434\n");
        Clusters.Run ghost = world.run("", "dsn", "-m", "ghost");
        assertThat(ghost.exitCode()).isEqualTo(1);
        assertThat(ghost.err()).contains("Can not find a suitable member");
        Clusters.Run both = world.run("", "dsn", "-r", "replica", "-m", "postgresql1");
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("--role").contains("--member").contains("mutually exclusive");
    }

    @Test
    void listWatchRepeatsUntilMaxIterations() {
        Clusters.Run r = world.run("", "list", "-w", "0.05", "--max-iterations", "3");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out().split("\\+ Cluster: batman", -1)).hasSize(4);
        Clusters.Run topology = world.run("", "topology", "-W", "--max-iterations", "1");
        assertThat(topology.out().split("\\+ Cluster: batman", -1)).hasSize(2);
        assertThat(topology.out()).contains("| + postgresql1");
    }

    @Test
    void completionScriptNamesTheSubcommands() {
        Clusters.Run bash = world.runRaw("", java.util.Map.of(), "completion", "bash");
        assertThat(bash.exitCode()).isZero();
        assertThat(bash.out()).contains("complete").contains("switchover").contains("edit-config")
                .contains("--candidate");
        assertThat(world.runRaw("", java.util.Map.of(), "completion", "zsh").out()).contains("bashcompinit");
        assertThat(world.runRaw("", java.util.Map.of(), "completion", "fish").exitCode()).isEqualTo(2);
    }

    @Test
    void everyCommandHasHelp() {
        for (String cmd : List.of("list", "topology", "history", "switchover", "failover", "restart", "reload",
                "reinit", "flush", "pause", "resume", "show-config", "edit-config", "remove", "dsn", "query",
                "haproxy-config", "version", "completion")) {
            Clusters.Run r = world.runRaw("", java.util.Map.of(), cmd, "--help");
            assertThat(r.exitCode()).as(cmd).isZero();
            assertThat(r.out()).as(cmd).startsWith("Usage: bulwarkctl " + cmd);
        }
    }
}
