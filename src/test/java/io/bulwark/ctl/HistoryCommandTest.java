package io.bulwark.ctl;

import io.bulwark.dcs.Cluster;
import io.bulwark.dcs.ClusterStatus;
import io.bulwark.dcs.HistoryEntry;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.bulwark.ctl.Clusters.*;
import static org.assertj.core.api.Assertions.assertThat;

class HistoryCommandTest {
    private static final String DCS = "--dcs-url=etcd3://10.0.0.3:2379";

    @Test
    void prettyMatchesPatronictlDocumentation() {
        Run r = run(new FixedDcs(batman()), DCS, "history", "batman");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo("""
                +----+----------+------------------------------+----------------------------------+-------------+
                | TL |      LSN | Reason                       | Timestamp                        | New Leader  |
                +----+----------+------------------------------+----------------------------------+-------------+
                |  1 | 24392648 | no recovery target specified | 2023-09-11T22:11:27.125527+00:00 | postgresql0 |
                |  2 | 50331864 | no recovery target specified | 2023-09-12T11:34:03.148097+00:00 | postgresql0 |
                |  3 | 83886704 | no recovery target specified | 2023-09-12T11:52:26.948134+00:00 | postgresql2 |
                |  4 | 83887280 | no recovery target specified | 2023-09-12T11:53:09.620136+00:00 | postgresql0 |
                +----+----------+------------------------------+----------------------------------+-------------+
                """);
    }

    @Test
    void yamlMatchesPatronictlDocumentationAndJsonKeepsTypes() {
        FixedDcs dcs = new FixedDcs(batman());
        assertThat(run(dcs, DCS, "history", "batman", "-f", "yaml").out()).startsWith("""
                - LSN: 24392648
                  New Leader: postgresql0
                  Reason: no recovery target specified
                  TL: 1
                  Timestamp: '2023-09-11T22:11:27.125527+00:00'
                - LSN: 50331864
                """);
        assertThat(run(dcs, DCS, "history", "batman", "-f", "json").out()).startsWith("[{\"TL\": 1, \"LSN\": 24392648,"
                + " \"Reason\": \"no recovery target specified\", \"Timestamp\": \"2023-09-11T22:11:27.125527+00:00\","
                + " \"New Leader\": \"postgresql0\"}, {\"TL\": 2,");
    }

    @Test
    void shortLinesArePaddedWithEmptyCells() {
        Cluster c = new Cluster(SYSID, null, null, List.of(), ClusterStatus.EMPTY, null,
                List.of(new HistoryEntry(1, 100, "no recovery target specified", null, null)), null);
        FixedDcs dcs = new FixedDcs(c);
        assertThat(run(dcs, DCS, "history", "batman", "-f", "tsv").out())
                .isEqualTo("TL\tLSN\tReason\tTimestamp\tNew Leader\n1\t100\tno recovery target specified\t\t\n");
        assertThat(run(dcs, DCS, "history", "batman", "-f", "json").out()).isEqualTo("[{\"TL\": 1, \"LSN\": 100,"
                + " \"Reason\": \"no recovery target specified\", \"Timestamp\": \"\", \"New Leader\": \"\"}]\n");
        assertThat(run(new FixedDcs(Cluster.EMPTY), DCS, "history", "batman", "-f", "yaml").out())
                .isEqualTo("[]\n\n");
    }

    @Test
    void clusterNameDefaultsToScopeFromTheEnvironment() {
        FixedDcs dcs = new FixedDcs(batman());
        Run r = run(dcs, Map.of("PATRONI_SCOPE", "batman", "DCS_URL", "etcd3://10.0.0.3:2379/pg"), "history");
        assertThat(r.exitCode()).isZero();
        assertThat(dcs.opened).singleElement().satisfies(t -> {
            assertThat(t.scope()).isEqualTo("batman");
            assertThat(t.namespace()).isEqualTo("/pg");
            assertThat(t.endpoints()).containsExactly("http://10.0.0.3:2379");
        });
        assertThat(dcs.closed).isEqualTo(1);
    }
}
