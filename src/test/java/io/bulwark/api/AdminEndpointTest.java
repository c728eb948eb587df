package io.bulwark.api;

import io.bulwark.ha.AdminActions.ActionResult;
import io.bulwark.ha.AdminActions.RestartRequest;
import io.bulwark.ha.NodeStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

class AdminEndpointTest {
    private ActionServer s;

    @BeforeEach
    void start() throws Exception {
        s = new ActionServer();
    }

    @AfterEach
    void stop() {
        s.close();
    }

    private void expect(String method, String path, String body, int code, String message) throws Exception {
        HttpResponse<String> r = s.send(method, path, body);
        assertThat(r.body()).isEqualTo(message);
        assertThat(r.statusCode()).isEqualTo(code);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
    }

    @Test
    void immediateRestartPassesItsFiltersToTheLoop() throws Exception {
        expect("POST", "/restart", "{\"role\": \"replica\", \"postgres_version\": \"15.8\", \"timeout\": \"2min\", "
                + "\"restart_pending\": true}", 200, "restarted successfully");
        assertThat(s.admin.restarts).containsExactly(new RestartRequest(null, "replica", "15.8", 120, true));
    }

    @Test
    void restartWithoutBodyRestartsUnconditionally() throws Exception {
        String answer = s.rawRequest("POST /restart HTTP/1.0\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 200").endsWith("restarted successfully");
        assertThat(s.admin.restarts).containsExactly(new RestartRequest(null, null, null, null, null));
    }

    @Test
    void restartFailuresFromTheLoopAreAnsweredAsGiven() throws Exception {
        s.admin.restartResult.set(new ActionResult(503, "restart conditions are not satisfied"));
        expect("POST", "/restart", "{\"role\": \"primary\"}", 503, "restart conditions are not satisfied");
    }

    @Test
    void scheduledRestartIs202ThenConflictsThenCanBeDeleted() throws Exception {
        expect("POST", "/restart", "{\"schedule\": \"2099-05-01T03:00:00+00:00\"}", 202, "Restart scheduled");
        expect("POST", "/restart", "{\"schedule\": \"2099-05-02T03:00:00+00:00\"}", 409,
                "Another restart is already scheduled");
        assertThat(s.admin.scheduled.get().scheduleAt()).hasToString("2099-05-01T03:00Z");
        expect("DELETE", "/restart", null, 200, "scheduled restart deleted");
        expect("DELETE", "/restart", null, 404, "no restarts are scheduled");
    }

    @Test
    void restartBodiesAreValidated() throws Exception {
        expect("POST", "/restart", "{\"role\": \"master\"}", 400,
                "PostgreSQL role should be either primary, standby_leader, or replica");
        expect("POST", "/restart", "{\"postgres_version\": \"9.6\"}", 400,
                "Invalid PostgreSQL version format: X.Y or X.Y.Z is accepted: 9.6");
        expect("POST", "/restart", "{\"postgres_version\": \"a.b.c\"}", 400, "Invalid PostgreSQL version: a.b.c");
        expect("POST", "/restart", "{\"timeout\": 0}", 400, "Timeout should be a positive number of seconds");
        expect("POST", "/restart", "{\"timeout\": \"soon\"}", 400, "Timeout should be a positive number of seconds");
        expect("POST", "/restart", "{\"restart_pending\": 3.5}", 400, "restart_pending should be a boolean");
        expect("POST", "/restart", "{\"when\": \"now\"}", 400, "Unknown filter for the scheduled restart: when");
        expect("POST", "/restart", "{\"schedule\": \"2099-05-01 03:00\"}", 400,
                "Timezone information is mandatory for the scheduled restart");
        expect("POST", "/restart", "{\"schedule\": \"2001-05-01T03:00:00Z\"}", 422, "Cannot schedule restart in the past");
        assertThat(s.admin.calls).isEmpty();
    }

    @Test
    void noScheduledRestartWhilePaused() throws Exception {
        NodeStatus p = Situations.leaderPrimary();
        s.status.set(new NodeStatus(p.name(), p.scope(), p.role(), p.postgres(), p.cluster(), p.leaderUntilNanos(),
                p.dcsLastSeenEpoch(), p.replication(), p.tags(), true, p.lastReason(), java.util.Map.of()));
        expect("POST", "/restart", "{\"schedule\": \"2099-05-01T03:00:00+00:00\"}", 500,
                "Can't schedule restart in the paused state");
        assertThat(s.admin.calls).isEmpty();
    }

    @Test
    void reloadIsQueued() throws Exception {
        expect("POST", "/reload", null, 202, "reload scheduled");
        assertThat(s.admin.calls).containsExactly("reload");
    }

    @Test
    void reloadOfAnInvalidFileAnswers500NamingTheProblem() throws Exception {
        String problem = "configuration not reloaded: /etc/b.yml has 1 problem(s), the running configuration stays:"
                + " postgresql.parameters.work_mem: must be a single value, got a list";
        s.admin.reloadProblem.set(problem);
        expect("POST", "/reload", null, 500, problem);
        assertThat(s.admin.calls).containsExactly("reloadConfiguration refused");
    }

    @Test
    void reinitializeReadsForceAndFromLeader() throws Exception {
        expect("POST", "/reinitialize", "{\"force\": true, \"from_leader\": \"yes\"}", 200, "reinitialize started");
        expect("POST", "/reinitialize", null, 200, "reinitialize started");
        assertThat(s.admin.calls).containsExactly("reinitialize force=true fromLeader=true",
                "reinitialize force=false fromLeader=false");
    }

    @Test
    void reinitializeRefusalsAndBadBodies() throws Exception {
        s.admin.reinitResult.set(new ActionResult(503, "I am the leader, can not reinitialize"));
        expect("POST", "/reinitialize", "{}", 503, "I am the leader, can not reinitialize");
        expect("POST", "/reinitialize", "{\"force\": 3}", 400, "force should be a boolean");
        expect("POST", "/reinitialize", "{\"from-leader\": true}", 400,
                "Unknown key for reinitialize: from-leader (the key is from_leader)");
        assertThat(s.admin.calls).hasSize(1);
    }

    @Test
    void unknownUnsafeRouteIs501() throws Exception {
        HttpResponse<String> r = s.send("POST", "/nothing", "{}");
        assertThat(r.statusCode()).isEqualTo(501);
        assertThat(r.body()).isEqualTo("Unsupported method ('POST')");
    }
}
