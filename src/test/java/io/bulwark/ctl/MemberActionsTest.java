package io.bulwark.ctl;

import io.bulwark.dcs.DcsCodec;
import io.bulwark.dcs.Failover;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.Map;

import static io.bulwark.ctl.CtlWorld.AUTH;
import static io.bulwark.ctl.CtlWorld.KEYS;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code restart}, {@code reload}, {@code reinit} and {@code flush} against the fake REST API. */
class MemberActionsTest extends CtlWorldTest {

    @Test
    void forcedRestartOfOneMemberSendsPatronictlsBody() {
        world.api.reply("POST /postgresql1/restart", 200, "restarted successfully");
        Clusters.Run r = world.run("", "restart", "batman", "postgresql1", "--force", "--pg-version", "15.2",
                "--timeout", "60");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("Success: restart on member postgresql1");
        FakePatroni.Request req = world.api.requests("POST /postgresql1/restart").getFirst();
        assertThat(req.body()).isEqualTo("{\"postgres_version\":\"15.2\",\"timeout\":\"60\"}");
        assertThat(req.authorization()).isEqualTo(AUTH);
        assertThat(world.requests()).hasSize(1);
    }

    @Test
    void interactiveRestartAsksWhenConfirmsAndVersion() {
        world.api.reply("POST /postgresql0/restart", 202, "Restart scheduled");
        Clusters.Run r = world.run("2030-01-02T03:04:05+00:00\ny\n\n", "restart", "batman", "--role", "leader");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("+ Cluster: batman")
                .containsPattern("When should the restart take place \\(e\\.g\\. \\S+\\)  \\[now\\]: ")
                .contains("Are you sure you want to schedule restart of members postgresql0 at"
                        + " 2030-01-02T03:04:05+00:00? [y/N]: ")
                .contains("Restart if the PostgreSQL version is less than provided (e.g. 9.5.2)  []: ")
                .contains("Success: restart scheduled on member postgresql0");
        assertThat(world.api.requests("POST /postgresql0/restart").getFirst().body())
                .isEqualTo("{\"schedule\":\"2030-01-02T03:04:05+00:00\"}");
    }

    @Test
    void restartRefusalsAndFailures() {
        Clusters.Run no = world.run("now\nn\n", "restart", "batman");
        assertThat(no.exitCode()).isEqualTo(1);
        assertThat(no.out()).contains("Are you sure you want to restart members postgresql0, postgresql1,"
                + " postgresql2? [y/N]: ");
        assertThat(no.err()).contains("Error: Aborted restart");
        assertThat(world.requests()).isEmpty();

        Clusters.Run badVersion = world.run("", "restart", "batman", "--force", "--pg-version", "15");
        assertThat(badVersion.exitCode()).isEqualTo(1);
        assertThat(badVersion.err()).contains("Invalid PostgreSQL version format: X.Y or X.Y.Z is accepted: 15");

        Clusters.Run badRole = world.run("", "restart", "batman", "--role", "boss");
        assertThat(badRole.exitCode()).isEqualTo(2);
        assertThat(badRole.err()).contains("--role").contains("boss");

        world.api.reply("POST /postgresql1/restart", 503, "restart conditions are not satisfied")
                .reply("POST /postgresql2/restart", 409, "Another restart is already scheduled");
        Clusters.Run failed = world.run("", "restart", "batman", "postgresql1", "postgresql2", "--force");
        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(failed.out()).contains("Failed: restart for member postgresql1, status code=503, (restart"
                + " conditions are not satisfied)")
                .contains("Failed: another restart is already scheduled on member postgresql2");
    }

    @Test
    void reloadReportsPerMemberAnswers() {
        world.api.reply("POST /postgresql0/reload", 202, "reload scheduled")
                .reply("POST /postgresql1/reload", 200, "")
                .reply("POST /postgresql2/reload", 401, "not authenticated");
        Clusters.Run r = world.run("y\n", "reload", "batman");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).contains("Are you sure you want to reload members postgresql0, postgresql1, postgresql2?")
                .contains("Reload request received for member postgresql0 and will be processed within 10 seconds")
                .contains("No changes to apply on member postgresql1")
                .contains("Failed: reload for member postgresql2, status code=401, (not authenticated)");
        assertThat(world.api.requests("POST /postgresql0/reload").getFirst().authorization()).isEqualTo(AUTH);

        Clusters.Run replicasOnly = world.run("", "reload", "batman", "-r", "replica", "--force");
        assertThat(world.api.requests("POST /postgresql0/reload")).hasSize(1);
        assertThat(replicasOnly.out()).contains("No changes to apply on member postgresql1");
    }

    @Test
    void reinitSendsForceAndFromLeaderAndWaits() {
        world.api.reply("POST /postgresql1/reinitialize", 200, "reinitialize started")
                .reply("GET /postgresql1/patroni", 200, "{\"state\":\"running\",\"role\":\"replica\"}");
        Clusters.Run r = world.run("", "reinit", "batman", "postgresql1", "--force", "--from-leader", "--wait",
                "--poll-interval-ms", "10");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("Success: reinitialize for member postgresql1")
                .contains("Waiting for reinitialize to complete on: postgresql1")
                .contains("Reinitialize is completed on: postgresql1");
        assertThat(world.api.requests("POST /postgresql1/reinitialize").getFirst().body())
                .isEqualTo("{\"force\":true,\"from_leader\":true}");
    }

    @Test
    void reinitInProgressOffersToForceAndRefusesTheLeader() {
        world.api.reply("POST /postgresql2/reinitialize", 503, "reinitialize already in progress");
        Clusters.Run r = world.run("y\ny\n", "reinit", "batman", "postgresql2");
        assertThat(r.out()).contains("Are you sure you want to reinitialize members postgresql2? [y/N]: ")
                .contains("Do you want to cancel it and reinitialize anyway? [y/N]: ");
        assertThat(world.api.requests("POST /postgresql2/reinitialize")).extracting(FakePatroni.Request::body)
                .containsExactly("{\"force\":false,\"from_leader\":false}", "{\"force\":true,\"from_leader\":false}");
        assertThat(r.exitCode()).isEqualTo(1);

        Clusters.Run leader = world.run("", "reinit", "batman", "postgresql0", "--force");
        assertThat(leader.exitCode()).isEqualTo(1);
        assertThat(leader.err()).contains("No replica among provided members");
    }

    @Test
    void flushRestartDeletesOnlyScheduledOnes() throws Exception {
        world.member("postgresql1", 5433, "replica",
                Map.of("scheduled_restart", Map.of("schedule", "2030-01-01T00:00:00+00:00")));
        world.api.reply("DELETE /postgresql1/restart", 200, "scheduled restart deleted");
        Clusters.Run r = world.run("", "flush", "batman", "restart", "--force");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("No scheduled restart for member postgresql0")
                .contains("Success: flush scheduled restart for member postgresql1")
                .contains("No scheduled restart for member postgresql2");
        assertThat(world.requests()).extracting(FakePatroni.Request::method, FakePatroni.Request::path)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("DELETE", "/postgresql1/restart"));
    }

    @Test
    void flushSwitchover() throws Exception {
        Clusters.Run none = world.run("", "flush", "batman", "switchover");
        assertThat(none.exitCode()).isZero();
        assertThat(none.out()).isEqualTo("No pending scheduled switchover\n");

        world.agents.get("postgresql0").setFailover(DcsCodec.encodeFailover(new Failover(0, "postgresql0",
                "postgresql1", OffsetDateTime.parse("2030-01-01T00:00:00Z"))), null);
        world.api.reply("DELETE /postgresql0/switchover", 200, "scheduled switchover deleted");
        Clusters.Run r = world.run("", "flush", "batman", "switchover");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo("Success: scheduled switchover deleted\n");
        assertThat(world.api.requests("DELETE /postgresql0/switchover").getFirst().authorization()).isEqualTo(AUTH);

        Clusters.Run bad = world.run("", "flush", "batman", "everything");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("restart").contains("switchover").contains("everything");
    }

    @Test
    void flushSwitchoverClearsTheKeyWhenNoMemberAnswers() throws Exception {
        for (String m : new String[]{"postgresql0", "postgresql1", "postgresql2"}) {
            world.unreachable(m, m.equals("postgresql0") ? "primary" : "replica");
        }
        world.agents.get("postgresql0").setFailover(DcsCodec.encodeFailover(new Failover(0, "postgresql0",
                "postgresql1", OffsetDateTime.parse("2030-01-01T00:00:00Z"))), null);
        Clusters.Run r = world.run("", "flush", "batman", "switchover");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("Could not find any accessible member of cluster batman");
        assertThat(world.raw(KEYS.failover())).isEqualTo("{}");
    }
}
