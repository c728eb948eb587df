package io.bulwark.api;

import io.bulwark.config.DynamicConfig;
import io.bulwark.dcs.Cluster;
import io.bulwark.ha.Failsafe;
import io.bulwark.ha.FailsafeCall;
import io.bulwark.ha.NodeStatus;
import io.bulwark.postgres.PostgresState;

import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code POST /failsafe} (Patroni's {@code do_POST_failsafe}): a primary that cannot reach the DCS asks this member
 * whether it may keep running. Answers as Patroni does: 502 when {@code failsafe_mode} is off; 500
 * {@code Running as a leader} when this member itself runs a primary; otherwise 200 {@code Accepted} with our WAL
 * position in the {@code lsn} header, and the call is remembered so this member does not race for the leader key
 * for ttl ({@link Failsafe}).
 *
 * <p>One refusal Patroni does not have: when our last view of the DCS shows the leader key held by another member
 * than the caller, we answer 500, so a primary that was replaced cannot be kept alive by members that know better.
 * A body that is not {@code {"name": "...", ...}} is a 400 naming the field (Patroni answers nothing).
 */
final class FailsafeHandler {
    private final Failsafe failsafe;
    private final Supplier<NodeStatus> status;
    private final Supplier<DynamicConfig> dynamic;

    FailsafeHandler(Failsafe failsafe, Supplier<NodeStatus> status, Supplier<DynamicConfig> dynamic) {
        this.failsafe = failsafe;
        this.status = status;
        this.dynamic = dynamic;
    }

    Reply post(Map<String, Object> body) {
        if (failsafe == null || !dynamic.get().failsafeMode()) {
            return Reply.message(502, "failsafe_mode is not enabled");
        }
        Object name = body.get("name");
        if (!(name instanceof String n) || n.isBlank()) {
            return Reply.message(400, "name: expected the calling primary's member name (a non-blank string), got "
                    + (name == null ? "nothing" : JsonText.write(name)));
        }
        for (String field : new String[]{"conn_url", "api_url"}) {
            Object v = body.get(field);
            if (v != null && !(v instanceof String)) {
                return Reply.message(400, field + ": expected a string, got " + JsonText.write(v));
            }
        }
        NodeStatus s = status.get();
        PostgresState pg = s == null ? null : s.postgres();
        if (pg != null && pg.running() && pg.isPrimary()) {
            return Reply.message(500, "Running as a leader");
        }
        Cluster cluster = s == null || s.cluster() == null ? Cluster.EMPTY : s.cluster();
        if (cluster.leader() != null && !cluster.leader().name().equals(n)) {
            return Reply.message(500, "the leader key names " + cluster.leader().name() + ", not " + n);
        }
        failsafe.accept(new FailsafeCall(n, (String) body.get("conn_url"), (String) body.get("api_url")));
        Reply accepted = Reply.message(200, "Accepted");
        return pg != null && pg.running() ? accepted.withHeader("lsn", Long.toString(pg.walPosition())) : accepted;
    }
}
