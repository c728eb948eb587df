package io.bulwark.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.config.Callbacks;
import io.bulwark.postgres.PostgresState.DataDirState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which callback fires when, with which role: Patroni's rules (postgresql/__init__.py, ha.py). */
class RoleCallbacksTest {
    private static final Callbacks ALL = new Callbacks(Map.of("on_start", List.of("cb"), "on_stop", List.of("cb"),
            "on_restart", List.of("cb"), "on_reload", List.of("cb"), "on_role_change", List.of("cb")), List.of());

    private final List<String> fired = new ArrayList<>();
    private final RoleCallbacks callbacks = new RoleCallbacks(ALL, "demo", new CallbackExecutor(Map.of()),
            argv -> fired.add(String.join(" ", argv.subList(1, argv.size()))));

    private static PostgresState running(boolean inRecovery) {
        return new PostgresState(DataDirState.INITIALIZED, "7000000000000000001", "running", true, inRecovery, 1,
                0, 0, 0, null, null, 170000, null, null);
    }

    private static PostgresState starting() {
        return new PostgresState(DataDirState.INITIALIZED, "7000000000000000001", "starting", false, true, 0,
                0, 0, 0, null, null, 0, null, null);
    }

    @Test
    void onStartFiresOnceTheStartedServerAcceptsConnections() {
        callbacks.starting(RoleCallbacks.REPLICA);
        callbacks.observed(starting());
        assertThat(fired).isEmpty();
        callbacks.observed(running(true));
        callbacks.observed(running(true));
        assertThat(fired).containsExactly("on_start replica demo");
    }

    @Test
    void promotionThenDemotionFireRoleChangesNotStarts() {
        callbacks.starting(RoleCallbacks.REPLICA);
        callbacks.observed(running(true));
        callbacks.promoted();
        callbacks.observed(running(false));
        callbacks.stopped(true); // demotion: the primary stops...
        callbacks.starting(RoleCallbacks.REPLICA); // ...and starts following the new leader
        callbacks.observed(running(true));
        assertThat(fired).containsExactly("on_start replica demo", "on_role_change primary demo",
                "on_stop primary demo", "on_role_change replica demo");
    }

    @Test
    void aRestartFiresOnRestartOnly() {
        callbacks.observed(running(false)); // the agent found the primary running
        callbacks.beginRestart();
        callbacks.stopped(true);
        callbacks.starting(RoleCallbacks.PRIMARY);
        callbacks.observed(running(false));
        assertThat(fired).containsExactly("on_start primary demo", "on_restart primary demo");
    }

    @Test
    void stoppingAStoppedServerAndReloadingBeforeAnyRoleFireNothing() {
        callbacks.reloaded();
        callbacks.stopped(false);
        assertThat(fired).isEmpty();
        callbacks.bootstrapped();
        callbacks.reloaded();
        assertThat(fired).containsExactly("on_start primary demo", "on_reload primary demo");
    }

    @Test
    void aReloadedConfigurationChangesTheCommands() {
        callbacks.use(new Callbacks(Map.of("on_stop", List.of("other")), List.of()));
        callbacks.observed(running(true));
        callbacks.stopped(true);
        assertThat(fired).containsExactly("on_stop replica demo");
    }
}
