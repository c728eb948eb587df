package io.bulwark.api;

import io.bulwark.dcs.Cluster;
import io.bulwark.dcs.MemberData;
import io.bulwark.dcs.SyncState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SwitchoverEndpointTest {
    private ActionServer s;

    @BeforeEach
    void start() throws Exception {
        s = new ActionServer();
    }

    @AfterEach
    void stop() {
        s.close();
    }

    private void expect(String path, String body, int code, String message) throws Exception {
        HttpResponse<String> r = s.send("POST", path, body);
        assertThat(r.body()).isEqualTo(message);
        assertThat(r.statusCode()).isEqualTo(code);
    }

    @Test
    void requestsMissingTheirMemberAreRefused() throws Exception {
        expect("/failover", "{\"leader\": \"node1\", \"candidate\": \"\"}", 400,
                "Failover could be performed only to a specific candidate");
        expect("/switchover", "{\"candidate\": \"node2\"}", 400,
                "Switchover could be performed only from a specific leader");
        expect("/switchover", "{\"leader\": \"node1\", \"candidate\": \"node1\"}", 400,
                "Switchover target and source are the same");
        assertThat(s.raw("failover")).isNull();
    }

    @Test
    void schedulesAreValidated() throws Exception {
        String future = OffsetDateTime.now(ZoneOffset.UTC).plusHours(1).toString();
        expect("/failover", "{\"candidate\": \"node2\", \"scheduled_at\": \"" + future + "\"}", 400,
                "Failover can't be scheduled");
        expect("/switchover", "{\"leader\": \"node1\", \"scheduled_at\": \"2099-01-01T10:00:00\"}", 400,
                "Timezone information is mandatory for the scheduled switchover");
        expect("/switchover", "{\"leader\": \"node1\", \"scheduled_at\": \"2001-01-01T10:00:00+00:00\"}", 422,
                "Cannot schedule switchover in the past");
        expect("/switchover", "{\"leader\": \"node1\", \"scheduled_at\": \"next tuesday\"}", 422,
                "Unable to parse scheduled timestamp. It should be in an unambiguous format, e.g. ISO 8601");
        assertThat(s.raw("failover")).isNull();
    }

    @Test
    void scheduledSwitchoverIsWrittenAndAnswered202ThenDeleted() throws Exception {
        expect("/switchover", "{\"leader\": \"node1\", \"scheduled_at\": \"2099-01-01T10:00:00+02:00\"}", 202,
                "Switchover scheduled");
        assertThat(s.raw("failover")).isEqualTo("{\"leader\":\"node1\",\"scheduled_at\":\"2099-01-01T10:00:00+02:00\"}");
        assertThat(s.wakeUps.get()).isEqualTo(1);
        HttpResponse<String> deleted = s.send("DELETE", "/switchover", null);
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(deleted.body()).isEqualTo("scheduled switchover deleted");
        assertThat(s.raw("failover")).isEqualTo("{}");
        HttpResponse<String> none = s.send("DELETE", "/switchover", null);
        assertThat(none.statusCode()).isEqualTo(404);
        assertThat(none.body()).isEqualTo("no switchover is scheduled");
    }

    @Test
    void deleteOfAScheduledSwitchoverThatChangedMeanwhileIs409() throws Exception {
        s.node1.setFailover("{\"leader\":\"node1\",\"scheduled_at\":\"2099-01-01T10:00:00+00:00\"}", null);
        s.overrides.put("cluster", (proxy, method, args) -> {
            var c = s.node1.cluster();
            s.node2.setFailover("{\"leader\":\"node1\",\"scheduled_at\":\"2099-01-02T10:00:00+00:00\"}", null);
            return c;
        });
        HttpResponse<String> r = s.send("DELETE", "/switchover", null);
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(s.raw("failover")).contains("2099-01-02");
    }

    @Test
    void pauseRestrictsSwitchovers() throws Exception {
        s.node1.setConfig("{\"ttl\":30,\"loop_wait\":10,\"retry_timeout\":10,\"pause\":true}", null);
        expect("/switchover", "{\"leader\": \"node1\", \"scheduled_at\": \"2099-01-01T10:00:00+00:00\"}", 400,
                "Can't schedule switchover in the paused state");
        expect("/switchover", "{\"leader\": \"node1\"}", 400,
                "Switchover is possible only to a specific candidate in a paused state");
    }

    @Test
    void infeasibleRequestsAre412() throws Exception {
        expect("/switchover", "{\"leader\": \"node9\"}", 412, "leader name does not match");
        expect("/switchover", "{\"leader\": \"node1\", \"candidate\": \"node9\"}", 412, "candidate does not exists");
        expect("/failover", "{\"candidate\": \"node1\"}", 412,
                "failover is not possible: candidate is already the leader");
        s.node2.touchMember(ActionServer.member("running", "replica", Map.of("nofailover", true)));
        expect("/switchover", "{\"leader\": \"node1\"}", 412,
                "switchover is not possible: no good candidates have been found");
        s.node2.touchMember(ActionServer.member("stopped", "replica", Map.of()));
        expect("/switchover", "{\"leader\": \"node1\", \"candidate\": \"node2\"}", 412,
                "switchover is not possible: no good candidates have been found");
        assertThat(s.raw("failover")).isNull();
    }

    @Test
    void clusterWithOnlyTheLeaderCannotSwitchOver() throws Exception {
        // a member without api_url cannot be asked anything: Patroni does not count it
        s.node2.touchMember(new MemberData(null, null, "running", "replica", "4.1.4", null, null, null, null, null,
                Map.of(), null, null));
        expect("/switchover", "{\"leader\": \"node1\"}", 412,
                "switchover is not possible: cluster does not have members except leader");
    }

    @Test
    void synchronousModeLimitsCandidatesToTheSyncStandby() throws Exception {
        s.node1.setConfig("{\"ttl\":30,\"loop_wait\":10,\"retry_timeout\":10,\"synchronous_mode\":true}", null);
        expect("/switchover", "{\"leader\": \"node1\", \"candidate\": \"node2\"}", 412,
                "candidate name does not match with sync_standby");
        expect("/switchover", "{\"leader\": \"node1\"}", 412,
                "switchover is not possible: can not find sync_standby");
        s.overrides.put("cluster", (proxy, method, args) -> {
            Cluster c = s.node1.cluster();
            return new Cluster(c.initialize(), c.config(), c.leader(), c.members(), c.status(), c.failover(),
                    c.history(), new SyncState(1, "node1", 0, "node2"));
        });
        s.onWakeUp.set(() -> s.takeOver(s.node2));
        expect("/switchover", "{\"leader\": \"node1\", \"candidate\": \"node2\"}", 200,
                "Successfully switched over to \"node2\"");
    }

    @Test
    void immediateSwitchoverWaitsForTheNewLeader() throws Exception {
        s.onWakeUp.set(() -> s.takeOver(s.node2));
        expect("/switchover", "{\"leader\": \"node1\", \"candidate\": \"node2\"}", 200,
                "Successfully switched over to \"node2\"");
        assertThat(s.wakeUps.get()).isEqualTo(1);
    }

    @Test
    void failoverToACandidateAnswersInFailoverWords() throws Exception {
        s.onWakeUp.set(() -> s.takeOver(s.node2));
        expect("/failover", "{\"member\": \"node2\"}", 200, "Successfully failed over to \"node2\"");
        assertThat(s.raw("failover")).isEqualTo("{}");
    }

    @Test
    void anotherWinnerIsReported() throws Exception {
        s.node3.touchMember(ActionServer.member("running", "replica", Map.of()));
        s.onWakeUp.set(() -> s.takeOver(s.node3));
        expect("/switchover", "{\"leader\": \"node1\", \"candidate\": \"node2\"}", 200,
                "Switched over to \"node3\" instead of \"node2\"");
    }

    @Test
    void clearedKeyWithoutNewLeaderIsAFailure() throws Exception {
        s.onWakeUp.set(() -> {
            try {
                s.node1.setFailover("{}", null);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        expect("/switchover", "{\"leader\": \"node1\"}", 503, "Switchover failed");
    }

    @Test
    void noOutcomeWithinThePollBudgetIsReportedAsUnknown() throws Exception {
        expect("/switchover", "{\"leader\": \"node1\", \"candidate\": \"node2\"}", 503,
                "Switchover status unknown after 20 seconds; operation may still be in progress");
        assertThat(s.raw("failover")).isEqualTo("{\"leader\":\"node1\",\"member\":\"node2\"}");
    }

    @Test
    void dcsWriteFailureIs503() throws Exception {
        s.overrides.put("setFailover", (proxy, method, args) -> false);
        expect("/switchover", "{\"leader\": \"node1\"}", 503, "failed to write failover key into DCS");
        s.overrides.put("setFailover", (proxy, method, args) -> {
            throw new io.bulwark.dcs.DcsException("etcd unreachable");
        });
        expect("/switchover", "{\"leader\": \"node1\"}", 503, "failed to write failover key into DCS");
        assertThat(s.wakeUps.get()).isZero();
    }

    @Test
    void unknownKeysAndWrongTypesAre400() throws Exception {
        expect("/switchover", "{\"leader\": \"node1\", \"force\": true}", 400, "Unknown key for switchover: force");
        expect("/switchover", "{\"leader\": 1}", 400, "leader should be a string");
        expect("/failover", "{}", 400, "Invalid JSON: expected a non-empty JSON object");
        assertThat(s.raw("failover")).isNull();
    }
}
