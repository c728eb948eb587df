package io.bulwark;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.config.BulwarkConfig;
import io.bulwark.config.ConfigLoader;
import io.bulwark.config.ConfigResult;
import io.bulwark.ha.AdminActions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigReloadTest {
    private static final String YAML = """
            scope: demo
            name: node1
            restapi:
              listen: 127.0.0.1:8008
            etcd3:
              host: 127.0.0.1:2379
            postgresql:
              listen: 127.0.0.1:5432
              data_dir: /data/pgdata
              authentication:
                superuser:
                  username: postgres
                replication:
                  username: replicator
              parameters:
                work_mem: 4MB
            """;

    @TempDir
    Path dir;

    private final List<String> loopCalls = new ArrayList<>();
    private final List<BulwarkConfig> applied = new ArrayList<>();

    private ConfigReload reloadOf(Path file) {
        ConfigResult start = ConfigLoader.load(file, Map.of());
        assertThat(start.errors()).isEmpty();
        return new ConfigReload(file, Map.of(), start.config(), new LoopQueue(), applied::add);
    }

    @Test
    void aValidFileIsAppliedAndPostgresReloaded() throws Exception {
        Path file = Files.writeString(dir.resolve("b.yml"), YAML);
        ConfigReload reload = reloadOf(file);
        Files.writeString(file, YAML.replace("work_mem: 4MB", "work_mem: 8MB") + "tags:\n  nofailover: true\n");

        assertThat(reload.reloadConfiguration()).isEmpty();
        assertThat(applied).hasSize(1);
        assertThat(applied.getFirst().postgresql().parameters()).containsEntry("work_mem", "8MB");
        assertThat(applied.getFirst().tags().canFailover()).isFalse();
        assertThat(loopCalls).containsExactly("reload");
    }

    @Test
    void aFileWithErrorsChangesNothingAndNamesTheProblem() throws Exception {
        Path file = Files.writeString(dir.resolve("b.yml"), YAML);
        ConfigReload reload = reloadOf(file);
        Files.writeString(file, YAML.replace("work_mem: 4MB", "work_mem: [1, 2]"));

        Optional<String> problem = reload.reloadConfiguration();
        assertThat(problem).hasValueSatisfying(p -> assertThat(p)
                .startsWith("configuration not reloaded: " + file + " has 1 problem(s)")
                .contains("postgresql.parameters.work_mem: must be a single value"));
        assertThat(applied).isEmpty();
        assertThat(loopCalls).isEmpty();
    }

    @Test
    void restartOnlyChangesStillApplyTheLiveOnes() throws Exception {
        Path file = Files.writeString(dir.resolve("b.yml"), YAML);
        ConfigReload reload = reloadOf(file);
        Files.writeString(file, YAML.replace("127.0.0.1:5432", "127.0.0.1:5433").replace("4MB", "16MB"));

        assertThat(reload.reloadConfiguration()).isEmpty();
        assertThat(applied.getFirst().postgresql().parameters()).containsEntry("work_mem", "16MB");
        assertThat(io.bulwark.config.LiveSettings.restartOnly(ConfigLoader.load(dir.resolve("b.yml"), Map.of())
                .config(), ConfigLoader.fromYaml(YAML, Map.of(), "x").config())).containsExactly("postgresql.listen", "postgresql.connect_address"); // it defaults to listen
    }

    private final class LoopQueue implements AdminActions {
        @Override
        public void reload() {
            loopCalls.add("reload");
        }

        @Override
        public CompletableFuture<ActionResult> restart(RestartRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean scheduleRestart(RestartRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<RestartRequest> scheduledRestart() {
            return Optional.empty();
        }

        @Override
        public boolean cancelScheduledRestart() {
            return false;
        }

        @Override
        public CompletableFuture<ActionResult> reinitialize(boolean force, boolean fromLeader) {
            throw new UnsupportedOperationException();
        }
    }
}
