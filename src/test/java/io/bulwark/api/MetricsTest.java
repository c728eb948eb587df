package io.bulwark.api;

import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MetricsTest {
    private static final String LABELS = "{scope=\"batman\",name=\"%s\"}";

    /** metric name → value, from the sample lines; also checks each sample follows its HELP and TYPE lines. */
    private static Map<String, String> samples(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("#")) {
                continue;
            }
            String name = line.substring(0, line.indexOf('{'));
            assertThat(lines.get(i - 1)).startsWith("# TYPE " + name + " ");
            assertThat(lines.subList(Math.max(0, i - 3), i)).anyMatch(l -> l.startsWith("# HELP " + name + " "));
            out.put(name, line.substring(line.lastIndexOf(' ') + 1));
        }
        return out;
    }

    @Test
    void primaryMetricsHavePatronisNamesLabelsAndValues() throws Exception {
        try (ActionServer s = new ActionServer()) {
            HttpResponse<String> r = s.send("GET", "/metrics", null);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
            String text = r.body();
            assertThat(text).contains("patroni_primary" + LABELS.formatted("node1") + " 1\n");
            assertThat(text).contains("# TYPE patroni_xlog_location counter\n");
            assertThat(text).contains("# Values: 0=initdb, 1=initdb_failed,").contains("14=crashed\n");
            Map<String, String> m = samples(text);
            assertThat(m).containsEntry("patroni_version", "040104")
                    .containsEntry("patroni_postgres_running", "1")
                    .containsEntry("patroni_postmaster_start_time", "1724873966.352526")
                    .containsEntry("patroni_primary", "1")
                    .containsEntry("patroni_replica", "0")
                    .containsEntry("patroni_xlog_location", Long.toString(0x4000_4E8L))
                    .containsEntry("patroni_xlog_received_location", "0")
                    .containsEntry("patroni_postgres_streaming", "0")
                    .containsEntry("patroni_postgres_server_version", "150008")
                    .containsEntry("patroni_cluster_unlocked", "0")
                    .containsEntry("patroni_postgres_timeline", "3")
                    .containsEntry("patroni_is_paused", "0")
                    .containsEntry("patroni_postgres_state", "5")
                    .containsEntry("patroni_failover_priority", "1")
                    .containsEntry("bulwark_ha_cycle_seconds", "0.25")
                    .containsEntry("bulwark_leader_deadline_seconds", "10");
            assertThat(m.keySet()).startsWith("patroni_version", "patroni_postgres_running",
                    "patroni_postmaster_start_time", "patroni_primary", "patroni_xlog_location");
            assertThat(m).hasSize(26 + 5);
        }
    }

    @Test
    void replicaMetrics() throws Exception {
        try (ActionServer s = new ActionServer()) {
            s.status.set(Situations.status("node2", "replica", Situations.replicaPg(5000, 4000),
                    Situations.cluster("node1", 5000), Long.MIN_VALUE, Map.of("nofailover", true)));
            Map<String, String> m = samples(s.send("GET", "/metrics", null).body());
            assertThat(m).containsEntry("patroni_primary", "0")
                    .containsEntry("patroni_replica", "1")
                    .containsEntry("patroni_xlog_location", "0")
                    .containsEntry("patroni_xlog_received_location", "5000")
                    .containsEntry("patroni_xlog_replayed_location", "4000")
                    .containsEntry("patroni_postgres_streaming", "1")
                    .containsEntry("patroni_postgres_in_archive_recovery", "0")
                    .containsEntry("patroni_failover_priority", "0")
                    .containsEntry("bulwark_leader_deadline_seconds", "0");
        }
    }

    @Test
    void stoppedPostgresAndUnknownStates() throws Exception {
        try (ActionServer s = new ActionServer()) {
            s.status.set(Situations.status("node2", "replica", Situations.stoppedPg(), Situations.cluster(null, 0),
                    Long.MIN_VALUE, Map.of("failover_priority", 7)));
            Map<String, String> m = samples(s.send("GET", "/metrics", null).body());
            assertThat(m).containsEntry("patroni_postgres_running", "0")
                    .containsEntry("patroni_postgres_state", "12")
                    .containsEntry("patroni_postmaster_start_time", "0")
                    .containsEntry("patroni_cluster_unlocked", "1")
                    .containsEntry("patroni_failover_priority", "7")
                    .doesNotContainKey("patroni_postgres_streaming");
        }
    }

    @Test
    void metricsBeforeTheFirstCycleAre503() throws Exception {
        try (ActionServer s = new ActionServer()) {
            s.status.set(null);
            assertThat(s.send("GET", "/metrics", null).statusCode()).isEqualTo(503);
        }
    }

    @Test
    void bulwarksOwnTimingsOfTheLoop() {
        String text = MetricsText.render(Situations.leaderPrimary(), Situations.NOW, 250_000_000L,
                new io.bulwark.ha.HaMetrics(3_000_000L, 1_795_000_000_000L, 420_000_000L, "replica -> primary"),
                "0.1.0");
        assertThat(text).contains("bulwark_ha_cycle_seconds{scope=\"batman\",name=\"node1\"} 0.25")
                .contains("bulwark_dcs_read_seconds{scope=\"batman\",name=\"node1\"} 0.003")
                .contains("bulwark_last_role_change_timestamp_seconds{scope=\"batman\",name=\"node1\"} 1.795E9")
                .contains("bulwark_last_role_change_duration_seconds{scope=\"batman\",name=\"node1\"} 0.42");
        String none = MetricsText.render(Situations.leaderPrimary(), Situations.NOW, 0, io.bulwark.ha.HaMetrics.NONE,
                "0.1.0");
        assertThat(none).contains("bulwark_dcs_read_seconds{scope=\"batman\",name=\"node1\"} -1")
                .contains("bulwark_last_role_change_duration_seconds{scope=\"batman\",name=\"node1\"} -1");
    }

    @Test
    void helpers() {
        assertThat(MetricsText.paddedSemver("4.1.4")).isEqualTo("040104");
        assertThat(MetricsText.paddedSemver("3.10.2")).isEqualTo("031002");
        assertThat(MetricsText.epochSeconds("1970-01-01 00:00:10+00:00")).isEqualTo("10.0");
        assertThat(MetricsText.STATES).hasSize(15).startsWith("initializing new cluster").endsWith("crashed");
    }
}
