package io.bulwark;

import io.bulwark.config.BulwarkConfig;
import io.bulwark.config.ConfigLoader;
import io.bulwark.config.ConfigProblem;
import io.bulwark.config.ConfigResult;
import io.bulwark.config.LiveSettings;
import io.bulwark.ha.AdminActions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * SIGHUP and {@code POST /reload}: re-reads the YAML file the agent started with (plus the environment's
 * {@code PATRONI_*} overrides), validates it like a start, and applies what may change live
 * ({@link LiveSettings}); then the HA loop rewrites postgresql.conf and pg_hba.conf and reloads PostgreSQL, which
 * fires {@code on_reload}. A file with errors changes nothing: the running configuration stays, and the errors are
 * logged and returned (the REST API answers them). Restart-only settings that changed are logged by key each time.
 *
 * <p>The other {@link AdminActions} pass through to the loop's queue. Called from request threads and the
 * signal thread; reloads are serialized.
 */
final class ConfigReload implements AdminActions {
    private static final Logger log = LoggerFactory.getLogger(ConfigReload.class);

    private final Path file;
    private final Map<String, String> environment;
    private final BulwarkConfig started;
    private final AdminActions loop;
    private final Consumer<BulwarkConfig> apply;

    /**
     * @param file    the configuration file, or {@code null} when the agent was configured from the environment
     *                (then only PostgreSQL's configuration is reloaded)
     * @param started the configuration the agent started with (restart-only settings are compared with it)
     * @param apply   applies a valid reloaded configuration's live settings (log, tags, postgresql)
     */
    ConfigReload(Path file, Map<String, String> environment, BulwarkConfig started, AdminActions loop,
                 Consumer<BulwarkConfig> apply) {
        this.file = file;
        this.environment = Map.copyOf(environment);
        this.started = started;
        this.loop = loop;
        this.apply = apply;
    }

    @Override
    public synchronized Optional<String> reloadConfiguration() {
        if (file != null) {
            ConfigResult result = ConfigLoader.load(file, environment);
            if (!result.ok()) {
                String problems = result.errors().stream().map(ConfigProblem::toString)
                        .collect(Collectors.joining("; "));
                String message = "configuration not reloaded: " + file + " has " + result.errors().size()
                        + " problem(s), the running configuration stays: " + problems;
                log.error(message);
                return Optional.of(message);
            }
            result.warnings().forEach(w -> log.warn("{}: {}", file, w));
            List<String> restartOnly = LiveSettings.restartOnly(started, result.config());
            for (String key : restartOnly) {
                log.warn("{} changed in {}: it needs an agent restart and keeps its old value until then", key, file);
            }
            apply.accept(result.config());
            log.info("reloaded the configuration from {}", file);
        }
        loop.reload();
        return Optional.empty();
    }

    @Override
    public void reload() {
        reloadConfiguration();
    }

    @Override
    public CompletableFuture<ActionResult> restart(RestartRequest request) {
        return loop.restart(request);
    }

    @Override
    public boolean scheduleRestart(RestartRequest request) {
        return loop.scheduleRestart(request);
    }

    @Override
    public Optional<RestartRequest> scheduledRestart() {
        return loop.scheduledRestart();
    }

    @Override
    public boolean cancelScheduledRestart() {
        return loop.cancelScheduledRestart();
    }

    @Override
    public CompletableFuture<ActionResult> reinitialize(boolean force, boolean fromLeader) {
        return loop.reinitialize(force, fromLeader);
    }
}
