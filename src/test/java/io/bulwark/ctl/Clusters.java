package io.bulwark.ctl;

import io.bulwark.dcs.Cluster;
import io.bulwark.dcs.ClusterConfig;
import io.bulwark.dcs.ClusterStatus;
import io.bulwark.dcs.Failover;
import io.bulwark.dcs.HistoryEntry;
import io.bulwark.dcs.Leader;
import io.bulwark.dcs.Member;
import io.bulwark.dcs.MemberData;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** The cluster of patronictl's documentation examples ("batman"), and a helper to run the CLI against one. */
final class Clusters {
    static final String SYSID = "7277694203142172922";
    static final long LSN = 0x40004E8L;

    private Clusters() {
    }

    static Member leader(String name, int port) {
        return new Member(name, 1, 7, new MemberData("postgres://127.0.0.1:" + port + "/postgres",
                "http://127.0.0.1:" + (8008 + port - 5432) + "/patroni", "running", "primary", "4.1.4", LSN, null,
                null, null, 5, Map.of(), null, Map.of()));
    }

    static Member replica(String name, int port, long receive, long replay, Map<String, Object> tags) {
        return new Member(name, 2, 7, new MemberData("postgres://127.0.0.1:" + port + "/postgres",
                "http://127.0.0.1:" + (8008 + port - 5432) + "/patroni", "running", "replica", "4.1.4",
                Math.max(receive, replay), replay, receive, "streaming", 5, tags, null, Map.of()));
    }

    static List<HistoryEntry> history() {
        return List.of(
                new HistoryEntry(1, 24392648, "no recovery target specified", "2023-09-11T22:11:27.125527+00:00",
                        "postgresql0"),
                new HistoryEntry(2, 50331864, "no recovery target specified", "2023-09-12T11:34:03.148097+00:00",
                        "postgresql0"),
                new HistoryEntry(3, 83886704, "no recovery target specified", "2023-09-12T11:52:26.948134+00:00",
                        "postgresql2"),
                new HistoryEntry(4, 83887280, "no recovery target specified", "2023-09-12T11:53:09.620136+00:00",
                        "postgresql0"));
    }

    static Cluster batman() {
        return batman(Map.of("ttl", 30), null);
    }

    static Cluster batman(Map<String, Object> config, Failover failover) {
        return new Cluster(SYSID, new ClusterConfig(3, config), new Leader("postgresql0", 4, 7),
                List.of(leader("postgresql0", 5432), replica("postgresql1", 5433, LSN, LSN, Map.of()),
                        replica("postgresql2", 5434, LSN, LSN, Map.of())),
                new ClusterStatus(LSN, Map.of(), List.of()), failover, history(), null);
    }

    record Run(int exitCode, String out, String err) {
    }

    static Run run(FixedDcs dcs, Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = BulwarkCtl.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env, dcs::open);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Run run(FixedDcs dcs, String... args) {
        return run(dcs, Map.of(), args);
    }
}
