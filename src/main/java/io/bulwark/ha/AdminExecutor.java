package io.bulwark.ha;

import io.bulwark.dcs.ClusterStatus;
import io.bulwark.dcs.Dcs;
import io.bulwark.dcs.Member;
import io.bulwark.ha.AdminActions.ActionResult;
import io.bulwark.ha.AdminActions.RestartRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Runs the REST API's queued requests on the HA loop thread (reference §3.4): restart (with its role, version
 * and pending filters), reinitialize (replicas only), reload. Each answers its future with Patroni's status code
 * and message and returns the cycle's sentence.
 */
final class AdminExecutor {
    private static final Logger log = LoggerFactory.getLogger(AdminExecutor.class);

    private final Dcs dcs;
    private final PostgresControl pg;
    private final Clock clock;
    private final LongOperations longOperations;
    /** A restart answered by a later cycle; only the loop thread touches it. */
    private StartingRestart startingRestart;

    /** The reply of a restart whose server is still starting, and until when to wait for it. */
    private record StartingRestart(CompletableFuture<ActionResult> reply, long deadlineNanos) {
    }

    AdminExecutor(Dcs dcs, PostgresControl pg, Clock clock, LongOperations longOperations) {
        this.longOperations = longOperations;
        this.dcs = dcs;
        this.pg = pg;
        this.clock = clock;
    }

    Outcome run(AdminQueue.Work work, Observation o) {
        if (o.longOperation() != null && !o.pg().isPrimary()) {
            // a clone or rewind owns the stopped server (LongOperations): a restart would start a half-copied one
            String busy = o.longOperation() + " in progress";
            CompletableFuture<ActionResult> reply = switch (work) {
                case AdminQueue.Restart r -> r.done();
                case AdminQueue.Reinitialize r -> r.done();
                case AdminQueue.Reload r -> null;
            };
            if (reply != null) {
                reply.complete(new ActionResult(503, busy));
                return Outcome.said(o.local(), "request refused: " + busy);
            }
        }
        return switch (work) {
            case AdminQueue.Restart r -> restart(r, o);
            case AdminQueue.Reinitialize r -> reinitialize(r, o);
            case AdminQueue.Reload r -> reload(o);
        };
    }

    private Outcome restart(AdminQueue.Restart work, Observation o) {
        RestartRequest r = work.request();
        boolean pending = Boolean.TRUE.equals(r.restartPending()) && !pg.pendingRestart().isEmpty();
        String refusal = restartRefusal(r, o, pending);
        if (refusal != null) {
            work.done().complete(new ActionResult(503, refusal));
            return Outcome.said(o.local(), "restart refused: " + refusal);
        }
        LocalState local = o.local();
        try {
            boolean leader = o.iHoldLockInDcs() && o.pg().isPrimary();
            if (leader) {
                long sent = clock.nanoTime();
                if (!dcs.updateLeader(new ClusterStatus(o.pg().walPosition(), null, null))) {
                    work.done().complete(new ActionResult(503, "restart failed"));
                    return Outcome.again(local.notLeader());
                }
                local = local.withLeaderUntil(sent + o.settings().ttlNanos() - o.settings().safetyMarginNanos());
            }
            pg.beginRestart();
            pg.stop(false);
            boolean ready;
            if (leader) {
                ready = pg.startPrimary();
            } else {
                Optional<Member> upstream = o.cluster() == null ? Optional.empty() : o.cluster().leaderMember();
                String url = upstream.map(m -> m.data().connUrl()).orElse(null);
                ready = pg.startReplica(url == null ? null : ConnUrls.host(url), url == null ? 0 : ConnUrls.port(url));
            }
            if (ready) {
                work.done().complete(new ActionResult(200, "restarted successfully"));
                return Outcome.said(local, "restarted PostgreSQL on request");
            }
            long waitSeconds = r.timeoutSeconds() != null ? r.timeoutSeconds() : o.settings().dynamic().primaryStartTimeout();
            startingRestart = new StartingRestart(work.done(), clock.nanoTime() + waitSeconds * 1_000_000_000L);
            return Outcome.said(local, "restarted PostgreSQL on request; it is still starting up");
        } catch (Exception e) {
            log.warn("restart failed", e);
            work.done().complete(new ActionResult(503, "restart failed"));
            return Outcome.said(local, "restart failed: " + e.getMessage());
        }
    }

    /**
     * Answers a restart whose server was still starting when its cycle ended (the loop does not wait for a
     * start): 200 once it runs, 503 "restart failed" if it stopped, 503 "postgres is still starting" after the
     * request's {@code timeout} (default {@code primary_start_timeout}), as Patroni answers. Called every cycle.
     */
    void settleStartingRestart(Observation o) {
        StartingRestart pending = startingRestart;
        if (pending == null) {
            return;
        }
        ActionResult result;
        if (o.pg().running()) {
            result = new ActionResult(200, "restarted successfully");
        } else if (!o.pg().starting()) {
            result = new ActionResult(503, "restart failed");
        } else if (clock.nanoTime() - pending.deadlineNanos() > 0) {
            result = new ActionResult(503, "postgres is still starting");
        } else {
            return;
        }
        startingRestart = null;
        pending.reply().complete(result);
    }

    /** Patroni's "restart conditions are not satisfied" and friends, or null when the restart may go ahead. */
    static String restartRefusal(RestartRequest r, Observation o, boolean restartPending) {
        if ("starting".equals(o.pg().processState())) {
            return "postgres is still starting";
        }
        String role = o.pg().isPrimary() ? "primary"
                : o.iHoldLockInDcs() && o.settings().dynamic().standbyCluster() ? "standby_leader" : "replica";
        String wanted = "master".equals(r.role()) ? "primary" : r.role();
        if (wanted != null && !wanted.equals(role)) {
            return "restart conditions are not satisfied";
        }
        if (r.postgresVersion() != null && o.pg().serverVersion() >= versionNum(r.postgresVersion())) {
            return "restart conditions are not satisfied";
        }
        if (Boolean.TRUE.equals(r.restartPending()) && !restartPending) {
            return "restart conditions are not satisfied";
        }
        return null;
    }

    /** "15.4" → 150004, "9.6.24" → 90624, as server_version_num. */
    static int versionNum(String version) {
        String[] p = version.trim().split("\\.");
        int major = Integer.parseInt(p[0]);
        if (major >= 10) {
            return major * 10000 + (p.length > 1 ? Integer.parseInt(p[1]) : 0);
        }
        return major * 10000 + (p.length > 1 ? Integer.parseInt(p[1]) * 100 : 0)
                + (p.length > 2 ? Integer.parseInt(p[2]) : 0);
    }

    private Outcome reinitialize(AdminQueue.Reinitialize work, Observation o) {
        if (o.iHoldLockInDcs()) {
            work.done().complete(new ActionResult(503, "I am the leader, can not reinitialize"));
            return Outcome.said(o.local(), "reinitialize refused: I am the leader");
        }
        Optional<Member> leader = o.cluster() == null ? Optional.empty() : o.cluster().leaderMember();
        if (leader.isEmpty() || leader.get().data().connUrl() == null) {
            work.done().complete(new ActionResult(503, "Cluster has no leader, can not reinitialize"));
            return Outcome.said(o.local(), "reinitialize refused: the cluster has no leader");
        }
        String url = leader.get().data().connUrl();
        String host = ConnUrls.host(url);
        int port = ConnUrls.port(url);
        String name = leader.get().name();
        try {
            pg.stop(true);
        } catch (Exception e) {
            log.warn("reinitialize failed", e);
            work.done().complete(new ActionResult(503, "reinitialize failed: " + e.getMessage()));
            return Outcome.said(o.local(), "reinitialize failed: " + e.getMessage());
        }
        // beside the loop, as any clone: the member key stays published while it copies (LongOperations)
        boolean started = longOperations.start("reinitialize from leader '" + name + "'", () -> {
            pg.moveDataDirAside();
            pg.cloneFrom(host, port);
            pg.startReplica(host, port);
            log.info("reinitialized from leader '{}' on request", name);
        });
        if (!started) {
            work.done().complete(new ActionResult(503, longOperations.running() + " in progress"));
            return Outcome.said(o.local(), "reinitialize refused: " + longOperations.running() + " in progress");
        }
        work.done().complete(new ActionResult(200, "reinitialize started"));
        return Outcome.said(o.local(), "reinitializing from leader '" + name + "' on request, in the background");
    }

    private Outcome reload(Observation o) {
        try {
            pg.reload();
            return Outcome.said(o.local(), "reloaded configuration on request");
        } catch (Exception e) {
            return Outcome.said(o.local(), "reload failed: " + e.getMessage());
        }
    }
}
