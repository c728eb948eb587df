package io.bulwark.ctl;

import io.bulwark.dcs.Cluster;
import io.bulwark.dcs.ClusterStatus;
import io.bulwark.dcs.Leader;
import io.bulwark.dcs.Member;
import io.bulwark.dcs.MemberData;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.bulwark.ctl.Clusters.*;
import static org.assertj.core.api.Assertions.assertThat;

class HaproxyConfigTest {
    private static final String DCS = "--dcs-url=etcd3://10.0.0.3:2379";

    @TempDir
    Path dir;

    static Cluster seedLayout() {
        Member node1 = new Member("node1", 1, 1, new MemberData("postgres://10.0.0.1:5432/postgres",
                "http://10.0.0.1:8008/patroni", "running", "primary", "4.1.4", 1L, null, null, null, 1, Map.of(),
                null, Map.of()));
        Member node2 = new Member("node2", 1, 1, new MemberData("postgres://10.0.0.2:5432/postgres",
                "http://10.0.0.12:8009/patroni", "running", "replica", "4.1.4", 1L, 1L, 1L, "streaming", 1,
                Map.of(), null, Map.of()));
        Member node3 = new Member("node3", 1, 1, new MemberData("postgres://patroni-replica:5432/postgres",
                "http://patroni-replica:8008/patroni", "running", "replica", "4.1.4", 1L, 1L, 1L, "streaming", 1,
                Map.of(), null, Map.of()));
        Member broken = new Member("weird name", 1, 1, new MemberData(null, null, "stopped", "replica", "4.1.4",
                null, null, null, null, null, Map.of(), null, Map.of()));
        return new Cluster(SYSID, null, new Leader("node1", 1, 1), List.of(node1, node2, node3, broken),
                ClusterStatus.EMPTY, null, List.of(), null);
    }

    @Test
    void routesByRestHealthChecksWithFastFailover() {
        Run r = run(new FixedDcs(seedLayout()), DCS, "haproxy-config", "batman", "--bind", "127.0.0.1");
        assertThat(r.exitCode()).isZero();
        String cfg = r.out();
        assertThat(cfg).contains("bind 127.0.0.1:5000", "bind 127.0.0.1:5001", "bind 127.0.0.1:7000");
        assertThat(cfg).contains("option httpchk OPTIONS /primary", "option httpchk OPTIONS /replica",
                "http-check expect status 200", "balance roundrobin", "stats uri /",
                "timeout connect 4s", "timeout client 30m", "timeout server 30m");
        assertThat(cfg).contains("default-server inter 200ms fall 2 rise 1 fastinter 100ms downinter 200ms"
                + " on-marked-down shutdown-sessions init-addr last,libc,none");
        assertThat(cfg).contains("    server node1 10.0.0.1:5432 maxconn 100 check port 8008\n");
        assertThat(cfg).contains("    server node2 10.0.0.2:5432 maxconn 100 check port 8009 addr 10.0.0.12\n");
        assertThat(cfg).contains("    server node3 patroni-replica:5432 maxconn 100 check port 8008\n");
        assertThat(cfg).contains("# member weird name skipped: no usable conn_url");
        assertThat(cfg).doesNotContain("option tcp-check");
        assertThat(cfg.split("server node1 ", -1)).as("in both listeners").hasSize(3);
    }

    @Test
    void defaultsBindEverywhereOnThePatroniPorts() {
        String cfg = run(new FixedDcs(seedLayout()), DCS, "haproxy-config", "batman", "--primary-port", "6000")
                .out();
        assertThat(cfg).contains("bind *:6000", "bind *:5001", "bind *:7000");
    }

    @Test
    @Tag("integration")
    void haproxyAcceptsTheGeneratedConfiguration() throws Exception {
        Run r = run(new FixedDcs(seedLayout()), DCS, "haproxy-config", "batman", "--bind", "127.0.0.1");
        Path file = dir.resolve("haproxy.cfg");
        Files.writeString(file, r.out());
        Process p = new ProcessBuilder("haproxy", "-c", "-f", file.toString()).redirectErrorStream(true).start();
        try {
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(output).isZero();
            assertThat(output).contains("Configuration file is valid");
        } finally {
            p.destroy();
        }
    }
}
