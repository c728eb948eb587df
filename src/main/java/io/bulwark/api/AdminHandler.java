package io.bulwark.api;

import io.bulwark.config.DynamicConfig;
import io.bulwark.ha.AdminActions;
import io.bulwark.ha.AdminActions.ActionResult;
import io.bulwark.ha.AdminActions.RestartRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code POST /restart}, {@code DELETE /restart}, {@code POST /reload} and {@code POST /reinitialize}
 * (reference §3.4): validate the body as Patroni does, then queue the work to the HA loop through
 * {@link AdminActions}. Waiting for the loop is bounded: a restart for its start timeout plus two cycles and a
 * minute, a reinitialize for two cycles plus 30 s; past that the answer is 503 "... status unknown".
 *
 * <p>Stricter than Patroni: {@code restart_pending}, {@code force} and {@code from_leader} must be booleans (or
 * Patroni's boolean words), and {@code /reinitialize} refuses unknown keys (Patroni silently ignores
 * {@code from-leader}, the spelling its docs show).
 */
final class AdminHandler {
    private static final Logger log = LoggerFactory.getLogger(AdminHandler.class);
    private static final Set<String> ROLES = Set.of("primary", "standby_leader", "replica");
    private static final Pattern DURATION = Pattern.compile("\\s*(\\d+)\\s*(s|min|h|d)?\\s*");

    private final AdminActions admin;
    private final Supplier<DynamicConfig> dynamic;
    private final BooleanSupplier paused;
    private final Clock wallClock;

    AdminHandler(AdminActions admin, Supplier<DynamicConfig> dynamic, BooleanSupplier paused, Clock wallClock) {
        this.admin = admin;
        this.dynamic = dynamic;
        this.paused = paused;
        this.wallClock = wallClock;
    }

    Reply restart(Map<String, Object> body) throws InterruptedException {
        if (!body.isEmpty()) {
            log.debug("received restart request: {}", body.keySet());
        }
        if (paused.getAsBoolean() && body.containsKey("schedule")) {
            return Reply.message(500, "Can't schedule restart in the paused state");
        }
        OffsetDateTime schedule = null;
        String role = null;
        String version = null;
        Integer timeout = null;
        Boolean pending = null;
        for (Map.Entry<String, Object> e : body.entrySet()) {
            Object v = e.getValue();
            switch (e.getKey()) {
                case "schedule" -> {
                    Schedules.Parsed parsed = Schedules.parse(v, "restart", wallClock);
                    if (parsed.error() != null) {
                        return parsed.error();
                    }
                    schedule = parsed.at();
                }
                case "role" -> {
                    if (!(v instanceof String s) || !ROLES.contains(s)) {
                        return Reply.message(400, "PostgreSQL role should be either primary, standby_leader, or replica");
                    }
                    role = s;
                }
                case "postgres_version" -> {
                    String problem = versionProblem(v);
                    if (problem != null) {
                        return Reply.message(400, problem);
                    }
                    version = v.toString();
                }
                case "timeout" -> {
                    timeout = seconds(v);
                    if (timeout == null || timeout <= 0) {
                        return Reply.message(400, "Timeout should be a positive number of seconds");
                    }
                }
                case "restart_pending" -> {
                    pending = bool(v);
                    if (pending == null) {
                        return Reply.message(400, "restart_pending should be a boolean");
                    }
                }
                default -> {
                    return Reply.message(400, "Unknown filter for the scheduled restart: " + e.getKey());
                }
            }
        }
        RestartRequest request = new RestartRequest(schedule, role, version, timeout, pending);
        if (schedule != null) {
            return admin.scheduleRestart(request) ? Reply.message(202, "Restart scheduled")
                    : Reply.message(409, "Another restart is already scheduled");
        }
        DynamicConfig dyn = dynamic.get();
        long bound = (timeout != null ? timeout : dyn.primaryStartTimeout()) + 2L * dyn.loopWait() + 60;
        return await(admin.restart(request), bound, "restart");
    }

    Reply cancelRestart() {
        return admin.cancelScheduledRestart() ? Reply.message(200, "scheduled restart deleted")
                : Reply.message(404, "no restarts are scheduled");
    }

    /** 202 as in Patroni; 500 naming every problem when the configuration file has errors (nothing changed). */
    Reply reload() {
        java.util.Optional<String> problem = admin.reloadConfiguration();
        if (problem.isPresent()) {
            return Reply.message(500, problem.get());
        }
        return Reply.message(202, "reload scheduled");
    }

    Reply reinitialize(Map<String, Object> body) throws InterruptedException {
        Boolean force = false;
        Boolean fromLeader = false;
        for (Map.Entry<String, Object> e : body.entrySet()) {
            switch (e.getKey()) {
                case "force" -> force = bool(e.getValue());
                case "from_leader" -> fromLeader = bool(e.getValue());
                default -> {
                    return Reply.message(400, "Unknown key for reinitialize: " + e.getKey()
                            + (e.getKey().equals("from-leader") ? " (the key is from_leader)" : ""));
                }
            }
            if (force == null || fromLeader == null) {
                return Reply.message(400, e.getKey() + " should be a boolean");
            }
        }
        long bound = 2L * dynamic.get().loopWait() + 30;
        return await(admin.reinitialize(force, fromLeader), bound, "reinitialize");
    }

    private static Reply await(CompletableFuture<ActionResult> future, long seconds, String action)
            throws InterruptedException {
        try {
            ActionResult r = future.get(seconds, TimeUnit.SECONDS);
            return Reply.message(r.status(), r.message());
        } catch (TimeoutException e) {
            return Reply.message(503, action + " status unknown after " + seconds
                    + " seconds; the " + action + " may still be in progress");
        } catch (ExecutionException e) {
            log.warn("{} failed", action, e.getCause());
            return Reply.message(503, action + " failed");
        }
    }

    /** Patroni's {@code postgres_version_to_int} validation; null when fine. */
    static String versionProblem(Object value) {
        String v = String.valueOf(value);
        String[] parts = v.split("\\.", -1);
        for (String p : parts) {
            if (!p.strip().matches("[+-]?\\d{1,9}")) {
                return "Invalid PostgreSQL version: " + v;
            }
        }
        if (parts.length < 2 || parts.length == 2 && Integer.parseInt(parts[0].strip()) < 10 || parts.length > 3) {
            return "Invalid PostgreSQL version format: X.Y or X.Y.Z is accepted: " + v;
        }
        return null;
    }

    /** Patroni's {@code parse_int(value, 's')}: a whole number, or digits with a unit s, min, h or d. */
    static Integer seconds(Object value) {
        if (value instanceof Integer || value instanceof Long) {
            long l = ((Number) value).longValue();
            return l > Integer.MAX_VALUE ? null : (int) l;
        }
        if (value instanceof Double d && d == Math.rint(d) && Math.abs(d) < Integer.MAX_VALUE) {
            return d.intValue();
        }
        if (!(value instanceof String s)) {
            return null;
        }
        Matcher m = DURATION.matcher(s);
        if (!m.matches()) {
            return null;
        }
        if (m.group(1).length() > 9) {
            return null;
        }
        long n = Long.parseLong(m.group(1));
        long factor = m.group(2) == null ? 1 : switch (m.group(2)) {
            case "min" -> 60;
            case "h" -> 3600;
            case "d" -> 86400;
            default -> 1;
        };
        long total = n * factor;
        return total > Integer.MAX_VALUE ? null : (int) total;
    }

    /** A JSON boolean or one of Patroni's boolean words; null when neither. */
    static Boolean bool(Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof String || value instanceof Integer) {
            return switch (value.toString().toLowerCase(Locale.ROOT)) {
                case "on", "true", "yes", "1" -> true;
                case "off", "false", "no", "0" -> false;
                default -> null;
            };
        }
        return null;
    }
}
