package io.bulwark.postgres;

import io.bulwark.config.Callbacks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * When each callback fires and with which role, as Patroni decides it (postgresql/__init__.py {@code start},
 * {@code stop}, {@code restart}, {@code reload}, {@code follow}, {@code promote}, ha.py
 * {@code handle_starting_instance}):
 * <ul>
 *   <li>{@code on_start} once a started server accepts connections (observed by a later probe when the start
 *       did not wait that long); also when the agent finds the server already running and no callback has fired
 *       yet (the agent was restarted under a running server);</li>
 *   <li>{@code on_stop} after a stop of a running server, with the role it had;</li>
 *   <li>{@code on_restart} instead of both when the stop and the start are one restart;</li>
 *   <li>{@code on_role_change} when a server starts in another role than it last had (a former primary starting
 *       as a replica after a demotion: {@code replica}), at once and instead of {@code on_start}; and right after
 *       a promotion ({@code primary});</li>
 *   <li>{@code on_reload} after the configuration was reloaded.</li>
 * </ul>
 * The callbacks' argv is the configured command plus {@code action role cluster_name}; they run through a
 * {@link CallbackExecutor} and never block. Only the HA loop thread calls this class (synchronized anyway, as a
 * configuration reload replaces the commands from another thread).
 */
public final class RoleCallbacks {
    private static final Logger log = LoggerFactory.getLogger(RoleCallbacks.class);
    public static final String PRIMARY = "primary";
    public static final String REPLICA = "replica";
    /** The lock holder of a standby cluster (Patroni passes this role to callbacks). */
    public static final String STANDBY_LEADER = "standby_leader";

    private final String scope;
    private final Consumer<List<String>> executor;
    private final CallbackExecutor commands;
    private volatile Callbacks callbacks;
    private String role;
    /** A callback of the lifecycle kind has fired (Patroni's {@code cb_called}). */
    private boolean called;
    /** The callback due once the starting server runs: on_start or on_restart; null for none. */
    private String pending;
    private boolean restarting;

    public RoleCallbacks(Callbacks callbacks, String scope, CallbackExecutor executor) {
        this(callbacks, scope, executor, executor::call);
    }

    /** {@code calls} receives each callback's argv instead of the executor (tests). */
    RoleCallbacks(Callbacks callbacks, String scope, CallbackExecutor executor, Consumer<List<String>> calls) {
        this.callbacks = callbacks;
        this.scope = scope;
        this.commands = executor;
        this.executor = calls;
    }

    /** A reloaded configuration's commands; what is running goes on. */
    public void use(Callbacks reloaded) {
        this.callbacks = reloaded;
    }

    public Callbacks callbacks() {
        return callbacks;
    }

    /** The next stop and start are one restart. */
    public synchronized void beginRestart() {
        restarting = true;
    }

    /** A start as {@code newRole} was issued. */
    public synchronized void starting(String newRole) {
        boolean changesRole = called && role != null && !role.equals(newRole);
        role = newRole;
        if (changesRole) {
            pending = null;
            restarting = false;
            fire("on_role_change");
        } else {
            pending = restarting ? "on_restart" : "on_start";
            restarting = false;
        }
    }

    /** A running server took {@code newRole} without a restart (a standby became the standby leader). */
    public synchronized void became(String newRole) {
        if (role != null && !role.equals(newRole)) {
            role = newRole;
            pending = null;
            fire("on_role_change");
        }
    }

    /** A stop finished; {@code wasRunning}: the server was running before it. */
    public synchronized void stopped(boolean wasRunning) {
        pending = null;
        if (wasRunning && !restarting) {
            fire("on_stop");
        }
    }

    public synchronized void promoted() {
        role = PRIMARY;
        pending = null;
        fire("on_role_change");
    }

    public synchronized void reloaded() {
        if (role != null) {
            fire("on_reload");
        }
    }

    /** A new cluster was initialized and runs as its primary. */
    public synchronized void bootstrapped() {
        role = PRIMARY;
        pending = null;
        fire("on_start");
    }

    /** Every probe: fires a start's callback once the server accepts connections. */
    public synchronized void observed(PostgresState state) {
        if (!state.running() || state.starting()) {
            return;
        }
        if (pending != null) {
            fire(pending);
            pending = null;
        } else if (!called) {
            role = state.inRecovery() ? REPLICA : PRIMARY;
            fire("on_start");
        } else if (!state.inRecovery() && !PRIMARY.equals(role)) {
            role = PRIMARY; // promoted by hand (Patroni only records the role, too)
        }
    }

    /**
     * Runs {@code pre_promote}, waiting at most {@code timeout} and while {@code keepGoing} (asked about once a
     * second); true when none is configured or it exited 0.
     */
    public boolean prePromote(Duration timeout, java.util.function.BooleanSupplier keepGoing) {
        List<String> argv = callbacks.prePromote();
        if (argv.isEmpty()) {
            return true;
        }
        int code = commands.runAndWait(argv, timeout, keepGoing);
        log.info("pre_promote script `{}` exited with {}", String.join(" ", argv), code);
        return code == 0;
    }

    private void fire(String action) {
        if (!"on_reload".equals(action)) {
            called = true;
        }
        List<String> argv = callbacks.argv(action, role, scope);
        if (!argv.isEmpty()) {
            executor.accept(argv);
        }
    }
}
