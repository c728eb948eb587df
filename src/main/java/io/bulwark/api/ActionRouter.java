package io.bulwark.api;

import com.sun.net.httpserver.HttpExchange;
import io.bulwark.dcs.Cluster;
import io.bulwark.ha.NodeStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * The unsafe endpoints (reference §3.4, PATCH/PUT {@code /config} of §3.3): each passes {@link AccessControl} first,
 * then reads its body ({@link JsonBody}) and hands over to its handler.
 *
 * <table>
 *   <caption>Routes</caption>
 *   <tr><th>method and path</th><th>body</th><th>handler</th></tr>
 *   <tr><td>POST /switchover, POST /failover</td><td>required</td><td>{@link SwitchoverHandler#post}</td></tr>
 *   <tr><td>DELETE /switchover</td><td>ignored</td><td>{@link SwitchoverHandler#delete}</td></tr>
 *   <tr><td>POST /restart</td><td>optional</td><td>{@link AdminHandler#restart}</td></tr>
 *   <tr><td>DELETE /restart</td><td>ignored</td><td>{@link AdminHandler#cancelRestart}</td></tr>
 *   <tr><td>POST /reload</td><td>ignored</td><td>{@link AdminHandler#reload}</td></tr>
 *   <tr><td>POST /reinitialize</td><td>optional</td><td>{@link AdminHandler#reinitialize}</td></tr>
 *   <tr><td>PATCH /config, PUT /config</td><td>required</td><td>{@link ConfigHandler}</td></tr>
 *   <tr><td>POST /backup</td><td>optional</td><td>{@link BackupHandler#post}</td></tr>
 *   <tr><td>POST /failsafe</td><td>required</td><td>{@link FailsafeHandler} (a primary without the DCS calls it,
 *       with {@code ctl.authentication}, else {@code restapi.authentication})</td></tr>
 * </table>
 * Anything else: 501 "Unsupported method", as Patroni.
 *
 * <p>Before any of that, in this order: POST, PUT, PATCH and DELETE are refused with 403 when the listener is
 * reachable and unprotected ({@link AdminExposure#REFUSED}); an address blocked by {@link LoginThrottle} gets 429
 * with {@code Retry-After}; then {@link AccessControl} (a missing or wrong password is logged with the remote
 * address; wrong ones are counted); then {@link JsonBody#checkContentType} (415: no form POST from a
 * browser); then at most {@link HttpLimits#MAX_CONCURRENT_ACTIONS} actions run at once (503 beyond).
 */
final class ActionRouter {
    private static final Logger log = LoggerFactory.getLogger(ActionRouter.class);
    private static final Set<String> UNSAFE = Set.of("POST", "PUT", "PATCH", "DELETE");

    private final AdminExposure exposure;
    private final LoginThrottle throttle;
    private final Semaphore actionSlots = new Semaphore(HttpLimits.MAX_CONCURRENT_ACTIONS);
    private final AccessControl access;
    private final SwitchoverHandler switchover;
    private final AdminHandler admin;
    private final ConfigHandler config;
    private final FailsafeHandler failsafe;
    private final BackupHandler backup;

    ActionRouter(ApiControls controls, Supplier<NodeStatus> status, ApiConfigView cfg, Duration pollInterval,
                 AdminExposure exposure, LoginThrottle throttle) {
        this.exposure = exposure;
        this.throttle = throttle;
        Supplier<Cluster> cluster = () -> {
            NodeStatus s = status.get();
            return s == null || s.cluster() == null ? Cluster.EMPTY : s.cluster();
        };
        this.access = new AccessControl(controls.security(), cluster);
        this.switchover = new SwitchoverHandler(controls.dcs(), controls.wakeUp(), cfg.dynamicConfig(),
                cfg.wallClock(), pollInterval);
        this.admin = new AdminHandler(controls.admin(), cfg.dynamicConfig(), () -> {
            NodeStatus s = status.get();
            return s != null && (s.paused() || ClusterSettings.of(s.cluster()).paused());
        }, cfg.wallClock());
        this.config = new ConfigHandler(controls.dcs(), controls.wakeUp());
        this.failsafe = new FailsafeHandler(controls.failsafe(), status, cfg.dynamicConfig());
        this.backup = new BackupHandler(controls.backups(), status);
    }

    /** {@code client}: the request's real source ({@link ConnectionGate#clientOf}). */
    Reply handle(HttpExchange ex, String method, String path, InetAddress client)
            throws IOException, InterruptedException {
        if (exposure == AdminExposure.REFUSED && UNSAFE.contains(method)) {
            return Reply.message(403, AdminExposure.REFUSAL);
        }
        String route = method + " " + path;
        switch (route) {
            case "POST /switchover", "POST /failover", "DELETE /switchover", "POST /restart", "DELETE /restart",
                 "POST /reload", "POST /reinitialize", "PATCH /config", "PUT /config", "POST /failsafe", "POST /backup" -> {
            }
            default -> {
                return Reply.message(501, "Unsupported method ('" + method + "')");
            }
        }
        long wait = throttle.blockedSeconds(client);
        if (wait > 0) {
            return Reply.message(429, "Too Many Requests: too many failed logins from " + client.getHostAddress()
                    + "; retry in " + wait + " s").withHeader("Retry-After", Long.toString(wait));
        }
        Reply refused = access.check(ex, client);
        if (refused != null) {
            if (refused.code() == 401) {
                loginFailed(client, route, ex.getRequestHeaders().containsKey("Authorization"));
            }
            return refused;
        }
        Reply badType = JsonBody.checkContentType(ex.getRequestHeaders());
        if (badType != null) {
            return badType;
        }
        if (!actionSlots.tryAcquire()) {
            return Reply.message(503, "Service Unavailable: " + HttpLimits.MAX_CONCURRENT_ACTIONS
                    + " admin requests are running already; retry later");
        }
        try {
            return dispatch(ex, route);
        } finally {
            actionSlots.release();
        }
    }

    /** Logged with the address, never with the credentials (the password may be a near miss of the real one). */
    private void loginFailed(InetAddress client, String route, boolean sentCredentials) {
        log.warn("REST API: failed login from {} for {} ({})", client.getHostAddress(), route,
                sentCredentials ? "wrong credentials" : "no credentials");
        if (sentCredentials && throttle.failed(client)) {
            log.warn("REST API: {} failed logins from {} within {} s: its unsafe requests are answered 429 for {} s",
                    LoginThrottle.MAX_FAILURES, client.getHostAddress(), LoginThrottle.WINDOW_NANOS / 1_000_000_000L,
                    LoginThrottle.BLOCK_NANOS / 1_000_000_000L);
        }
    }

    private Reply dispatch(HttpExchange ex, String route) throws IOException, InterruptedException {
        return switch (route) {
            case "DELETE /switchover" -> switchover.delete();
            case "DELETE /restart" -> admin.cancelRestart();
            case "POST /reload" -> admin.reload();
            default -> withBody(ex, route);
        };
    }

    private Reply withBody(HttpExchange ex, String route) throws IOException, InterruptedException {
        boolean required = !route.equals("POST /restart") && !route.equals("POST /reinitialize")
                && !route.equals("POST /backup");
        JsonBody.Parsed body = JsonBody.read(ex, required);
        if (body.error() != null) {
            return body.error();
        }
        return switch (route) {
            case "POST /switchover" -> switchover.post(body.json(), "switchover");
            case "POST /failover" -> switchover.post(body.json(), "failover");
            case "POST /restart" -> admin.restart(body.json());
            case "POST /reinitialize" -> admin.reinitialize(body.json());
            case "PATCH /config" -> config.patch(body.json());
            case "PUT /config" -> config.put(body.json());
            case "POST /failsafe" -> failsafe.post(body.json());
            case "POST /backup" -> backup.post(body.json());
            default -> throw new IllegalStateException("no handler for " + route);
        };
    }
}
