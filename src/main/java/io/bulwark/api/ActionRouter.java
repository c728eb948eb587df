package io.bulwark.api;

import com.sun.net.httpserver.HttpExchange;
import io.bulwark.dcs.Cluster;
import io.bulwark.ha.NodeStatus;

import java.io.IOException;
import java.time.Duration;
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
 * </table>
 * Anything else: 501 "Unsupported method", as Patroni.
 */
final class ActionRouter {
    private final AccessControl access;
    private final SwitchoverHandler switchover;
    private final AdminHandler admin;
    private final ConfigHandler config;

    ActionRouter(ApiControls controls, Supplier<NodeStatus> status, ApiConfigView cfg, Duration pollInterval) {
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
    }

    Reply handle(HttpExchange ex, String method, String path) throws IOException, InterruptedException {
        String route = method + " " + path;
        switch (route) {
            case "POST /switchover", "POST /failover", "DELETE /switchover", "POST /restart", "DELETE /restart",
                 "POST /reload", "POST /reinitialize", "PATCH /config", "PUT /config" -> {
            }
            default -> {
                return Reply.message(501, "Unsupported method ('" + method + "')");
            }
        }
        Reply refused = access.check(ex);
        if (refused != null) {
            return refused;
        }
        return switch (route) {
            case "DELETE /switchover" -> switchover.delete();
            case "DELETE /restart" -> admin.cancelRestart();
            case "POST /reload" -> admin.reload();
            default -> withBody(ex, route);
        };
    }

    private Reply withBody(HttpExchange ex, String route) throws IOException, InterruptedException {
        boolean required = !route.equals("POST /restart") && !route.equals("POST /reinitialize");
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
            default -> throw new IllegalStateException("no handler for " + route);
        };
    }
}
