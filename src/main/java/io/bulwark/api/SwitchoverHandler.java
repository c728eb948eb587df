package io.bulwark.api;

import io.bulwark.config.DynamicConfig;
import io.bulwark.dcs.Cluster;
import io.bulwark.dcs.Dcs;
import io.bulwark.dcs.DcsCodec;
import io.bulwark.dcs.DcsException;
import io.bulwark.dcs.Failover;
import io.bulwark.dcs.Member;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code POST /switchover}, {@code POST /failover} and {@code DELETE /switchover} (reference §3.4, §2.8): validate
 * the request exactly as Patroni's {@code do_POST_failover}, write the {@code failover} key, wake the loop, and for
 * an immediate request poll the cluster until the leader changed, the key vanished, or
 * {@code max(10, loop_wait) × 2} polls passed.
 *
 * <p>Feasibility (412) is judged from the DCS view instead of Patroni's REST round to every candidate: a candidate
 * counts as healthy when its member key says PostgreSQL is {@code running} and it has no {@code nofailover} tag.
 * The HA loop re-checks properly before demoting, so a stale view can only make the request fail later, never
 * promote a bad node. Unknown body keys and non-string values are refused with 400 (Patroni ignores them).
 */
final class SwitchoverHandler {
    private static final Logger log = LoggerFactory.getLogger(SwitchoverHandler.class);
    private static final Set<String> KEYS = Set.of("leader", "candidate", "member", "scheduled_at");

    private final Dcs dcs;
    private final Runnable wakeUp;
    private final Supplier<DynamicConfig> dynamic;
    private final Clock wallClock;
    private final Duration pollInterval;

    SwitchoverHandler(Dcs dcs, Runnable wakeUp, Supplier<DynamicConfig> dynamic, Clock wallClock,
                      Duration pollInterval) {
        this.dcs = dcs;
        this.wakeUp = wakeUp;
        this.dynamic = dynamic;
        this.wallClock = wallClock;
        this.pollInterval = pollInterval;
    }

    Reply post(Map<String, Object> body, String requestedAction) throws InterruptedException {
        for (Map.Entry<String, Object> e : body.entrySet()) {
            if (!KEYS.contains(e.getKey())) {
                return Reply.message(400, "Unknown key for " + requestedAction + ": " + e.getKey());
            }
            if (e.getValue() != null && !(e.getValue() instanceof String)) {
                return Reply.message(400, e.getKey() + " should be a string");
            }
        }
        String leader = text(body.get("leader"));
        String candidate = text(body.get("candidate")) != null ? text(body.get("candidate")) : text(body.get("member"));
        String scheduled = text(body.get("scheduled_at"));
        Cluster cluster;
        try {
            cluster = dcs.cluster();
        } catch (DcsException e) {
            return Reply.message(503, "failed to read the cluster from DCS: " + e.getMessage());
        }
        boolean paused = ClusterSettings.of(cluster).paused();
        log.info("received {} request with leader={} candidate={} scheduled_at={}", requestedAction, leader,
                candidate, scheduled);
        String action = requestedAction;
        if (action.equals("failover") && candidate == null) {
            return Reply.message(400, "Failover could be performed only to a specific candidate");
        }
        if (action.equals("switchover") && leader == null) {
            return Reply.message(400, "Switchover could be performed only from a specific leader");
        }
        OffsetDateTime at = null;
        if (scheduled != null) {
            if (action.equals("failover")) {
                return Reply.message(400, "Failover can't be scheduled");
            }
            if (paused) {
                return Reply.message(400, "Can't schedule switchover in the paused state");
            }
            Schedules.Parsed parsed = Schedules.parse(scheduled, action, wallClock);
            if (parsed.error() != null) {
                return parsed.error();
            }
            at = parsed.at();
        }
        if (paused && candidate == null) {
            return Reply.message(400, "Switchover is possible only to a specific candidate in a paused state");
        }
        if (action.equals("failover") && leader != null) {
            log.warn("received failover request with leader specified - performing switchover instead");
            action = "switchover";
        }
        if (candidate != null && candidate.equals(leader)) {
            return Reply.message(400, "Switchover target and source are the same");
        }
        if (at == null) {
            String infeasible = infeasible(cluster, leader, candidate, action);
            if (infeasible != null) {
                return Reply.message(412, infeasible);
            }
        }
        try {
            if (!dcs.setFailover(DcsCodec.encodeFailover(new Failover(0, leader, candidate, at)), null)) {
                return Reply.message(503, "failed to write failover key into DCS");
            }
        } catch (DcsException e) {
            log.warn("could not write the failover key: {}", e.getMessage());
            return Reply.message(503, "failed to write failover key into DCS");
        }
        wakeUp.run();
        if (at != null) {
            return Reply.message(202, title(action) + " scheduled");
        }
        return poll(cluster.leader() == null ? null : cluster.leader().name(), candidate, action);
    }

    Reply delete() {
        try {
            Failover f = dcs.cluster().failover();
            if (f == null || f.scheduledAt() == null) {
                return Reply.message(404, "no switchover is scheduled");
            }
            if (!dcs.setFailover("{}", f.version())) {
                return Reply.message(409, "Conflict: the failover key changed meanwhile");
            }
            wakeUp.run();
            return Reply.message(200, "scheduled switchover deleted");
        } catch (DcsException e) {
            return Reply.message(503, "failed to update failover key in DCS: " + e.getMessage());
        }
    }

    /** Patroni's {@code is_failover_possible}, on the DCS view; null when some healthy candidate exists. */
    static String infeasible(Cluster cluster, String leader, String candidate, String action) {
        ClusterSettings settings = ClusterSettings.of(cluster);
        boolean strictSync = settings.synchronousMode() && !settings.quorumMode();
        if (leader != null && !cluster.hasLeader(leader)) {
            return "leader name does not match";
        }
        List<Member> members;
        if (candidate != null) {
            if (action.equals("switchover") && strictSync && !ClusterSettings.isSyncStandby(cluster.sync(), candidate)) {
                return "candidate name does not match with sync_standby";
            }
            members = cluster.member(candidate).stream().toList();
            if (members.isEmpty()) {
                return "candidate does not exists";
            }
            if (cluster.hasLeader(candidate)) {
                return action + " is not possible: candidate is already the leader";
            }
        } else if (strictSync) {
            members = cluster.members().stream()
                    .filter(m -> ClusterSettings.isSyncStandby(cluster.sync(), m.name())).toList();
            if (members.isEmpty()) {
                return action + " is not possible: can not find sync_standby";
            }
        } else {
            members = cluster.members().stream()
                    .filter(m -> !cluster.hasLeader(m.name()) && m.data() != null && m.data().apiUrl() != null)
                    .toList();
            if (members.isEmpty()) {
                return action + " is not possible: cluster does not have members except leader";
            }
        }
        for (Member m : members) {
            if (!cluster.hasLeader(m.name()) && m.data() != null && "running".equals(m.data().state())
                    && m.data().mayFailover()) {
                return null;
            }
        }
        return action + " is not possible: no good candidates have been found";
    }

    /** Patroni's {@code poll_failover_result}. */
    private Reply poll(String oldLeader, String candidate, String action) throws InterruptedException {
        int seconds = Math.max(10, dynamic.get().loopWait());
        String verb = action.substring(0, action.length() - 4);
        for (int i = 0; i < seconds * 2; i++) {
            Thread.sleep(pollInterval);
            try {
                Cluster c = dcs.cluster();
                if (c.leader() != null && !c.leader().name().equals(oldLeader)) {
                    String now = c.leader().name();
                    if (candidate == null || candidate.equals(now)) {
                        return Reply.message(200, "Successfully " + verb + "ed over to \"" + now + "\"");
                    }
                    return Reply.message(200, title(verb) + "ed over to \"" + now + "\" instead of \"" + candidate
                            + "\"");
                }
                if (c.failover() == null || c.failover().isEmpty()) {
                    return Reply.message(503, title(action) + " failed");
                }
            } catch (DcsException e) {
                log.debug("polling the {} result: {}", action, e.getMessage());
            }
        }
        return Reply.message(503, title(action) + " status unknown after " + seconds * 2
                + " seconds; operation may still be in progress");
    }

    private static String title(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static String text(Object value) {
        return value instanceof String s && !s.isEmpty() ? s : null;
    }
}
