package io.bulwark.ctl;

import io.bulwark.dcs.DcsException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code demote-cluster} / {@code promote-cluster}: PATCH /config on the leader, then wait for its new role. */
class ClusterRoleCommandsTest extends CtlWorldTest {

    @Test
    void demoteClusterPatchesStandbyClusterOnTheLeaderAndWaitsForTheStandbyLeader() {
        world.api.reply("PATCH /postgresql0/config", 200, "{}").onRequest("PATCH /postgresql0/config", req -> {
            try {
                world.agents.get("postgresql0").setConfig("{\"ttl\":30,\"standby_cluster\":{\"host\":\"10.2.0.1\","
                        + "\"port\":5433}}", null);
                world.member("postgresql0", 5432, "standby_leader", Map.of());
            } catch (DcsException e) {
                throw new IllegalStateException(e);
            }
        });
        Clusters.Run r = world.run("", "demote-cluster", "--host", "10.2.0.1", "--port", "5433",
                "--primary-slot-name", "site_a", "--force");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(world.requests().getFirst().body())
                .isEqualTo("{\"standby_cluster\":{\"host\":\"10.2.0.1\",\"port\":5433,\"primary_slot_name\":\"site_a\"}}");
        assertThat(r.out()).contains("Cluster demoted: postgresql0 is the standby leader");
    }

    @Test
    void demoteClusterNeedsARemoteAndRefusesAStandbyCluster() throws Exception {
        Clusters.Run none = world.run("", "demote-cluster", "--force");
        assertThat(none.exitCode()).isEqualTo(1);
        assertThat(none.err()).contains("At least --host, --port or --restore-command should be specified");

        Clusters.Run badPort = world.run("", "demote-cluster", "--host", "h", "--port", "70000", "--force");
        assertThat(badPort.err()).contains("--port: expected a port number 1..65535, got 70000");

        world.agents.get("postgresql0").setConfig("{\"standby_cluster\":{\"host\":\"h\"}}", null);
        Clusters.Run already = world.run("", "demote-cluster", "--host", "h", "--force");
        assertThat(already.exitCode()).isEqualTo(1);
        assertThat(already.err()).contains("Cluster is already in the standby mode");
        assertThat(world.requests()).isEmpty();
    }

    @Test
    void promoteClusterSendsNullAndRefusesAPrimaryCluster() throws Exception {
        Clusters.Run primary = world.run("", "promote-cluster", "--force");
        assertThat(primary.exitCode()).isEqualTo(1);
        assertThat(primary.err()).contains("Cluster is already in the primary mode");

        world.agents.get("postgresql0").setConfig("{\"standby_cluster\":{\"host\":\"h\"}}", null);
        world.member("postgresql0", 5432, "standby_leader", Map.of());
        world.api.reply("PATCH /postgresql0/config", 200, "{}").onRequest("PATCH /postgresql0/config", req -> {
            try {
                world.member("postgresql0", 5432, "primary", Map.of());
            } catch (DcsException e) {
                throw new IllegalStateException(e);
            }
        });
        Clusters.Run r = world.run("", "promote-cluster", "--force");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(world.requests().getFirst().body()).isEqualTo("{\"standby_cluster\":null}");
        assertThat(r.out()).contains("Cluster promoted: postgresql0 is the primary");
    }

    @Test
    void promoteClusterWaitForLsnRejectsGarbage() throws Exception {
        world.agents.get("postgresql0").setConfig("{\"standby_cluster\":{\"host\":\"h\"}}", null);
        Clusters.Run r = world.run("", "promote-cluster", "--wait-for-lsn", "zz", "--force");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("--wait-for-lsn: expected an LSN like 0/3000060, got \"zz\"");
        assertThat(world.requests()).isEmpty();
    }
}
