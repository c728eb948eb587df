package io.bulwark.ctl;

import io.bulwark.dcs.Cluster;
import io.bulwark.dcs.ClusterConfig;
import io.bulwark.dcs.ClusterStatus;
import io.bulwark.dcs.Failover;
import io.bulwark.dcs.Leader;
import io.bulwark.dcs.Member;
import io.bulwark.dcs.MemberData;
import io.bulwark.dcs.SyncState;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static io.bulwark.ctl.Clusters.*;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code list} and {@code topology} output, byte for byte against patronictl's documented output. */
class ListCommandTest {
    private static final String DCS = "--dcs-url=etcd3://10.0.0.3:2379";

    @Test
    void prettyMatchesPatronictlDocumentation() {
        Run r = run(new FixedDcs(batman()), DCS, "list", "batman");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo("""
                + Cluster: batman (7277694203142172922) -+-----------+----+-------------+-----+------------+-----+
                | Member      | Host           | Role    | State     | TL | Receive LSN | Lag | Replay LSN | Lag |
                +-------------+----------------+---------+-----------+----+-------------+-----+------------+-----+
                | postgresql0 | 127.0.0.1:5432 | Leader  | running   |  5 |             |     |            |     |
                | postgresql1 | 127.0.0.1:5433 | Replica | streaming |  5 |   0/40004E8 |   0 |  0/40004E8 |   0 |
                | postgresql2 | 127.0.0.1:5434 | Replica | streaming |  5 |   0/40004E8 |   0 |  0/40004E8 |   0 |
                +-------------+----------------+---------+-----------+----+-------------+-----+------------+-----+
                """);
    }

    @Test
    void extendedAddsTheOptionalColumns() {
        Run r = run(new FixedDcs(batman()), DCS, "list", "-e", "batman");
        assertThat(r.out().lines().toList()).startsWith(
                "+ Cluster: batman (7277694203142172922) -+-----------+----+-------------+-----+------------+-----+"
                        + "-----------------+------------------------+-------------------+------+",
                "| Member      | Host           | Role    | State     | TL | Receive LSN | Lag | Replay LSN | Lag |"
                        + " Pending restart | Pending restart reason | Scheduled restart | Tags |");
    }

    @Test
    void jsonYamlAndTsvUsePatronisKeys() {
        FixedDcs dcs = new FixedDcs(batman());
        assertThat(run(dcs, DCS, "list", "batman", "-f", "json").out()).isEqualTo("[{\"Cluster\": \"batman\","
                + " \"Member\": \"postgresql0\", \"Host\": \"127.0.0.1:5432\", \"Role\": \"Leader\", \"State\":"
                + " \"running\", \"TL\": 5}, {\"Cluster\": \"batman\", \"Member\": \"postgresql1\", \"Host\":"
                + " \"127.0.0.1:5433\", \"Role\": \"Replica\", \"State\": \"streaming\", \"TL\": 5, \"Receive LSN\":"
                + " \"0/40004E8\", \"Receive Lag\": 0, \"Replay LSN\": \"0/40004E8\", \"Replay Lag\": 0},"
                + " {\"Cluster\": \"batman\", \"Member\": \"postgresql2\", \"Host\": \"127.0.0.1:5434\", \"Role\":"
                + " \"Replica\", \"State\": \"streaming\", \"TL\": 5, \"Receive LSN\": \"0/40004E8\", \"Receive Lag\":"
                + " 0, \"Replay LSN\": \"0/40004E8\", \"Replay Lag\": 0}]\n");
        assertThat(run(dcs, DCS, "list", "batman", "-f", "yaml").out()).startsWith("""
                - Cluster: batman
                  Host: 127.0.0.1:5432
                  Member: postgresql0
                  Role: Leader
                  State: running
                  TL: 5
                - Cluster: batman
                  Host: 127.0.0.1:5433
                  Member: postgresql1
                  Receive LSN: 0/40004E8
                  Receive Lag: 0
                  Replay LSN: 0/40004E8
                  Replay Lag: 0
                  Role: Replica
                  State: streaming
                  TL: 5
                """).endsWith("TL: 5\n\n");
        assertThat(run(dcs, DCS, "list", "batman", "-f", "tsv").out()).isEqualTo("""
                Cluster\tMember\tHost\tRole\tState\tTL\tReceive LSN\tReceive Lag\tReplay LSN\tReplay Lag
                batman\tpostgresql0\t127.0.0.1:5432\tLeader\trunning\t5\t\t\t\t
                batman\tpostgresql1\t127.0.0.1:5433\tReplica\tstreaming\t5\t0/40004E8\t0\t0/40004E8\t0
                batman\tpostgresql2\t127.0.0.1:5434\tReplica\tstreaming\t5\t0/40004E8\t0\t0/40004E8\t0
                """);
    }

    @Test
    void topologyDrawsCascadingReplicasAsATree() {
        Cluster c = new Cluster(SYSID, null, new Leader("postgresql0", 4, 7),
                List.of(leader("postgresql0", 5432), replica("postgresql1", 5433, LSN, LSN, Map.of()),
                        replica("postgresql2", 5434, LSN, LSN, Map.of("replicatefrom", "postgresql1"))),
                new ClusterStatus(LSN, Map.of(), List.of()), null, List.of(), null);
        Run r = run(new FixedDcs(c), DCS, "topology", "batman");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo("""
                + Cluster: batman (7277694203142172922) -----+-----------+----+-------------+-----+------------+-----+------------------------------+
                | Member          | Host           | Role    | State     | TL | Receive LSN | Lag | Replay LSN | Lag | Tags                         |
                +-----------------+----------------+---------+-----------+----+-------------+-----+------------+-----+------------------------------+
                | postgresql0     | 127.0.0.1:5432 | Leader  | running   |  5 |             |     |            |     |                              |
                | + postgresql1   | 127.0.0.1:5433 | Replica | streaming |  5 |   0/40004E8 |   0 |  0/40004E8 |   0 |                              |
                |   + postgresql2 | 127.0.0.1:5434 | Replica | streaming |  5 |   0/40004E8 |   0 |  0/40004E8 |   0 | {replicatefrom: postgresql1} |
                +-----------------+----------------+---------+-----------+----+-------------+-----+------------+-----+------------------------------+
                """);
    }

    @Test
    void rolesLagStatesTitleAndFooterFollowPatronictl() {
        long mb = 1 << 20;
        Member sync = replica("node2", 5432, 10 * mb, 10 * mb, Map.of("nofailover", true));
        Member lagging = replica("node3", 5432, 10 * mb, 10 * mb - 3 * mb / 2, Map.of());
        Member stopped = new Member("node4", 1, 1, new MemberData("postgres://10.0.0.4:5432/postgres",
                "http://10.0.0.4:8008/patroni", "stopped", "replica", "4.1.4", null, null, null, null, null,
                Map.of(), null, Map.of()));
        Member primary = new Member("node1", 1, 1, new MemberData("postgres://10.0.0.1:5432/postgres",
                "http://10.0.0.1:8008/patroni", "running", "primary", "4.1.4", 10 * mb, null, null, null, 2,
                Map.of(), null, Map.of()));
        Failover scheduled = new Failover(1, "node1", "node2",
                OffsetDateTime.of(2025, 3, 23, 18, 0, 0, 0, ZoneOffset.ofHours(-3)));
        Cluster c = new Cluster("", new ClusterConfig(1, Map.of("pause", true, "synchronous_mode", "on")),
                new Leader("node1", 1, 1), List.of(primary, sync, lagging, stopped),
                new ClusterStatus(10 * mb, Map.of(), List.of()), scheduled, List.of(),
                new SyncState(1, "node1", 0, "node2"));
        String out = run(new FixedDcs(c), DCS, "list", "batman").out();
        assertThat(out).startsWith("+ Cluster: batman (initializing) ");
        // hosts repeat, so every Host shows host:port
        assertThat(out).contains("| node1  | 10.0.0.1:5432  | Leader       | running   |  2 |             |     |");
        assertThat(out).contains("| node2  | 127.0.0.1:5432 | Sync Standby | streaming |  5 |");
        // 1.5 MB replay lag rounds half-to-even to 2, as Python's round()
        assertThat(out).contains("| node3  | 127.0.0.1:5432 | Replica      | streaming |  5 |    0/A00000 |   0 |"
                + "   0/880000 |   2 |");
        assertThat(out).contains("| node4  | 10.0.0.4:5432  | Replica      | stopped   |    |     unknown |     |"
                + "    unknown |     |");
        assertThat(out).contains("nofailover: true");
        assertThat(out).endsWith("""
                 Maintenance mode: on
                 Switchover scheduled at: 2025-03-23T18:00:00-03:00
                                    from: node1
                                      to: node2
                """);
        assertThat(run(new FixedDcs(Cluster.EMPTY), DCS, "list", "x").out())
                .isEqualTo("""
                        + Cluster: x (uninitialized) --+----+-------------+-----+------------+-----+
                        | Member | Host | Role | State | TL | Receive LSN | Lag | Replay LSN | Lag |
                        +--------+------+------+-------+----+-------------+-----+------------+-----+
                        +--------+------+------+-------+----+-------------+-----+------------+-----+
                        """);
    }
}
