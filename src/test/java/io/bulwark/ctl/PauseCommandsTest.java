package io.bulwark.ctl;

import io.bulwark.dcs.DcsException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.bulwark.ctl.CtlWorld.AUTH;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code pause} / {@code resume}: PATCH /config on the leader first, and {@code --wait} on the member keys. */
class PauseCommandsTest extends CtlWorldTest {

    @Test
    void pausePatchesConfigOnTheLeader() {
        world.api.reply("PATCH /postgresql0/config", 200, "{\"pause\":true}");
        Clusters.Run r = world.run("", "pause");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("Success: cluster management is paused\n");
        FakePatroni.Request req = world.requests().getFirst();
        assertThat(req.path()).isEqualTo("/postgresql0/config");
        assertThat(req.body()).isEqualTo("{\"pause\":true}");
        assertThat(req.authorization()).isEqualTo(AUTH);
    }

    @Test
    void resumeSendsNullAndRefusesWhenNotPaused() throws Exception {
        Clusters.Run notPaused = world.run("", "resume", "batman");
        assertThat(notPaused.exitCode()).isEqualTo(1);
        assertThat(notPaused.err()).contains("Cluster is not paused");
        assertThat(world.requests()).isEmpty();

        world.agents.get("postgresql0").setConfig("{\"ttl\":30,\"pause\":true}", null);
        Clusters.Run already = world.run("", "pause", "batman");
        assertThat(already.exitCode()).isEqualTo(1);
        assertThat(already.err()).contains("Cluster is already paused");

        world.api.reply("PATCH /postgresql0/config", 200, "{\"ttl\":30}");
        Clusters.Run r = world.run("", "resume", "batman");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo("Success: cluster management is resumed\n");
        assertThat(world.requests().getFirst().body()).isEqualTo("{\"pause\":null}");
    }

    @Test
    void unreachableLeaderFallsThroughToAReplicaAndRefusalExits1() throws Exception {
        world.unreachable("postgresql0", "primary");
        world.api.reply("PATCH /postgresql1/config", 409, "Conflict");
        Clusters.Run r = world.run("", "pause");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).contains("Failed: pause cluster management status code=409, (Conflict)");
        assertThat(r.err()).contains("postgresql0").contains("not accessible");
        assertThat(world.requests()).extracting(FakePatroni.Request::path).containsExactly("/postgresql1/config");
    }

    @Test
    void waitPollsMemberKeysUntilEveryMemberIsPaused() {
        world.api.reply("PATCH /postgresql0/config", 200, "{\"pause\":true}")
                .onRequest("PATCH /postgresql0/config", req -> {
                    try {
                        world.agents.get("postgresql0").setConfig("{\"ttl\":30,\"loop_wait\":2,\"pause\":true}", null);
                        world.member("postgresql0", 5432, "primary", Map.of("pause", true));
                        world.member("postgresql1", 5433, "replica", Map.of("pause", true));
                        world.member("postgresql2", 5434, "replica", Map.of("pause", true));
                    } catch (DcsException e) {
                        throw new IllegalStateException(e);
                    }
                });
        Clusters.Run r = world.run("", "pause", "--wait");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("'pause' request sent, waiting until it is recognized by all nodes\n"
                + "Success: cluster management is paused\n");
    }

    @Test
    void waitReportsMembersThatDidNotFollow() throws Exception {
        world.agents.get("postgresql0").setConfig("{\"ttl\":30,\"loop_wait\":1}", null);
        world.api.reply("PATCH /postgresql0/config", 200, "{\"pause\":true}")
                .onRequest("PATCH /postgresql0/config", req -> {
                    try {
                        world.member("postgresql0", 5432, "primary", Map.of("pause", true));
                        world.member("postgresql1", 5433, "replica", Map.of("pause", true));
                        world.member("postgresql2", 5434, "replica", Map.of("xlog", 1));
                    } catch (DcsException e) {
                        throw new IllegalStateException(e);
                    }
                });
        Clusters.Run r = world.run("", "pause", "--wait");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).contains("postgresql2 members didn't recognized pause state after 1 seconds");
    }
}
