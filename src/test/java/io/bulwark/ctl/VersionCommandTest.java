package io.bulwark.ctl;

import io.bulwark.api.ApiConfigView;
import io.bulwark.api.RestApi;
import io.bulwark.config.DynamicConfig;
import io.bulwark.dcs.Cluster;
import io.bulwark.dcs.ClusterStatus;
import io.bulwark.dcs.Member;
import io.bulwark.dcs.MemberData;
import io.bulwark.ha.NodeStatus;
import io.bulwark.postgres.PostgresState;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;

import static io.bulwark.ctl.Clusters.*;
import static org.assertj.core.api.Assertions.assertThat;

class VersionCommandTest {
    @Test
    void asksEachMembersRestApi() throws Exception {
        PostgresState pg = new PostgresState(PostgresState.DataDirState.INITIALIZED, SYSID, "running", true, false,
                1, 100, 0, 0, null, null, 150008, null, null);
        NodeStatus status = new NodeStatus("node1", "batman", "primary", pg, Cluster.EMPTY, Long.MIN_VALUE, 0,
                List.of(), Map.of(), false, "", java.util.Map.of());
        int deadPort;
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            deadPort = s.getLocalPort();
        }
        try (RestApi api = RestApi.start("127.0.0.1", 0, () -> status, System::nanoTime,
                ApiConfigView.of(DynamicConfig::defaults, () -> Long.MIN_VALUE))) {
            Cluster c = new Cluster(SYSID, null, null, List.of(member("node1", api.port()), member("node2", deadPort)),
                    ClusterStatus.EMPTY, null, List.of(), null);
            Run r = run(new FixedDcs(c), "--dcs-url=etcd3://h:2379", "version", "batman");
            assertThat(r.exitCode()).isZero();
            assertThat(r.out()).contains("\nnode1: Patroni 4.1.4 PostgreSQL 15.8 (Bulwark ");
            assertThat(r.out()).contains("\nnode2: failed to get version: ");

            Run only = run(new FixedDcs(c), "--dcs-url=etcd3://h:2379", "version", "batman", "node2");
            assertThat(only.out()).doesNotContain("node1:");
        }
    }

    private static Member member(String name, int apiPort) {
        return new Member(name, 1, 1, new MemberData("postgres://127.0.0.1:5432/postgres",
                "http://127.0.0.1:" + apiPort + "/patroni", "running", "primary", "4.1.4", 1L, null, null, null, 1,
                Map.of(), null, Map.of()));
    }
}
