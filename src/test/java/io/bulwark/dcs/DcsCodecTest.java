package io.bulwark.dcs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Patroni's literal value formats (reference §1.1, §1.2), both directions, and junk written by others. */
class DcsCodecTest {

    private static final String PATRONI_REPLICA = "{\"conn_url\":\"postgres://10.0.0.2:5432/postgres\","
            + "\"api_url\":\"http://10.0.0.2:8008/patroni\",\"state\":\"running\",\"role\":\"replica\","
            + "\"version\":\"4.1.4\",\"tags\":{\"clonefrom\":true,\"nofailover\":false},\"xlog_location\":67109016,"
            + "\"timeline\":2,\"replication_state\":\"streaming\",\"replay_lsn\":67109016,\"receive_lsn\":67109100}";

    @Test
    void patroniReplicaMemberDecodesFieldByField() {
        MemberData d = DcsCodec.decodeMember(PATRONI_REPLICA);

        assertThat(d.connUrl()).isEqualTo("postgres://10.0.0.2:5432/postgres");
        assertThat(d.apiUrl()).isEqualTo("http://10.0.0.2:8008/patroni");
        assertThat(d.state()).isEqualTo("running");
        assertThat(d.role()).isEqualTo("replica");
        assertThat(d.version()).isEqualTo("4.1.4");
        assertThat(d.xlogLocation()).isEqualTo(67109016L);
        assertThat(d.replayLsn()).isEqualTo(67109016L);
        assertThat(d.receiveLsn()).isEqualTo(67109100L);
        assertThat(d.replicationState()).isEqualTo("streaming");
        assertThat(d.timeline()).isEqualTo(2);
        assertThat(d.tagTrue("clonefrom")).isTrue();
        assertThat(d.tagTrue("nofailover")).isFalse();
        assertThat(d.extra()).isEmpty();
    }

    @Test
    void memberEncodesAsCompactSnakeCaseJsonWithoutNulls() {
        assertThat(DcsCodec.encodeMember(DcsCodec.decodeMember(PATRONI_REPLICA))).isEqualTo(PATRONI_REPLICA);

        MemberData primary = new MemberData("postgres://10.0.0.1:5432/postgres", "http://10.0.0.1:8008/patroni",
                "running", "primary", "4.1.4", 50331968L, null, null, null, 1, Map.of(), "0.1.0", null);
        assertThat(DcsCodec.encodeMember(primary)).isEqualTo("{\"conn_url\":\"postgres://10.0.0.1:5432/postgres\","
                + "\"api_url\":\"http://10.0.0.1:8008/patroni\",\"state\":\"running\",\"role\":\"primary\","
                + "\"version\":\"4.1.4\",\"xlog_location\":50331968,\"timeline\":1,\"bulwark_version\":\"0.1.0\"}");
    }

    @Test
    void unknownMemberFieldsSurviveARoundTrip() {
        String value = "{\"conn_url\":\"postgres://h:5432/postgres\",\"role\":\"master\",\"pending_restart\":true,"
                + "\"pending_restart_reason\":{\"max_connections\":{\"old_value\":\"100\",\"new_value\":\"200\"}},"
                + "\"proxy_url\":null}";
        MemberData d = DcsCodec.decodeMember(value);

        assertThat(d.isPrimaryRole()).isTrue();
        assertThat(d.extra()).containsEntry("pending_restart", true).containsKey("pending_restart_reason")
                .doesNotContainKey("proxy_url");
        assertThat(DcsCodec.encodeMember(d)).contains("\"pending_restart\":true",
                "\"pending_restart_reason\":{\"max_connections\":{\"old_value\":\"100\",\"new_value\":\"200\"}}");
    }

    @Test
    void legacyBareUrlMemberGivesConnUrlAndApiUrlFromApplicationName() {
        MemberData d = DcsCodec.decodeMember(
                "postgres://replicator:pw@10.0.0.3:5433/postgres?application_name=http%3A//10.0.0.3:8009/patroni");

        assertThat(d.connUrl()).isEqualTo("postgres://replicator:pw@10.0.0.3:5433/postgres");
        assertThat(d.apiUrl()).isEqualTo("http://10.0.0.3:8009/patroni");
        assertThat(d.state()).isNull();
        assertThat(DcsCodec.decodeMember("postgres://10.0.0.3:5433/postgres").apiUrl()).isNull();
    }

    @Test
    void badMemberValuesBecomeEmptyMembersAndBadFieldsBecomeNull() {
        assertThat(DcsCodec.decodeMember("{oops").connUrl()).isNull();
        assertThat(DcsCodec.decodeMember("[1,2]").state()).isNull();
        assertThat(DcsCodec.decodeMember("").role()).isNull();

        MemberData partly = DcsCodec.decodeMember("{\"state\":\"running\",\"xlog_location\":\"abc\",\"timeline\":[1],"
                + "\"tags\":\"x\",\"replay_lsn\":\"123\"}");
        assertThat(partly.state()).isEqualTo("running");
        assertThat(partly.xlogLocation()).isNull();
        assertThat(partly.timeline()).isNull();
        assertThat(partly.tags()).isEmpty();
        assertThat(partly.replayLsn()).isEqualTo(123L);
    }

    @Test
    void statusWritesOptimeAndOmitsEmptySlots() {
        assertThat(DcsCodec.encodeStatus(new ClusterStatus(123, null, null))).isEqualTo("{\"optime\":123}");
        assertThat(DcsCodec.encodeStatus(new ClusterStatus(67108960, Map.of("node2", 67108960L, "a_slot", 1L),
                List.of("node2")))).isEqualTo(
                "{\"optime\":67108960,\"slots\":{\"a_slot\":1,\"node2\":67108960},\"retain_slots\":[\"node2\"]}");
    }

    @Test
    void statusReadsPatroniJsonTheLegacyIntegerAndJunk() {
        ClusterStatus s = DcsCodec.decodeStatus(
                "{\"optime\":67108960,\"slots\":{\"node2\":67108960,\"bad\":\"x\"},\"retain_slots\":[\"node2\"]}");
        assertThat(s).isEqualTo(new ClusterStatus(67108960, Map.of("node2", 67108960L), List.of("node2")));
        assertThat(DcsCodec.decodeStatus("67108960").optime()).isEqualTo(67108960);
        assertThat(DcsCodec.decodeStatus("garbage")).isEqualTo(ClusterStatus.EMPTY);
        assertThat(DcsCodec.decodeStatus("{\"optime\":\"x\"}").optime()).isZero();
    }

    @Test
    void failoverUsesMemberForTheCandidateAndEmptyObjectForCleared() {
        OffsetDateTime at = OffsetDateTime.of(2024, 5, 1, 10, 0, 0, 0, ZoneOffset.UTC);
        assertThat(DcsCodec.encodeFailover(new Failover(0, "node1", "node2", at)))
                .isEqualTo("{\"leader\":\"node1\",\"member\":\"node2\",\"scheduled_at\":\"2024-05-01T10:00:00+00:00\"}");
        assertThat(DcsCodec.encodeFailover(new Failover(0, null, null, null))).isEqualTo("{}");

        Failover f = DcsCodec.decodeFailover(7, "{\"leader\":\"node1\",\"member\":\"node2\","
                + "\"scheduled_at\":\"2024-05-01T12:00:00.250000+02:00\"}");
        assertThat(f).isEqualTo(new Failover(7, "node1", "node2",
                OffsetDateTime.of(2024, 5, 1, 12, 0, 0, 250_000_000, ZoneOffset.ofHours(2))));
        assertThat(DcsCodec.decodeFailover(8, "{}").isEmpty()).isTrue();
        assertThat(DcsCodec.decodeFailover(8, "").isEmpty()).isTrue();
    }

    @Test
    void failoverAcceptsLegacyTextAndVoidsAGarbledSchedule() {
        assertThat(DcsCodec.decodeFailover(1, "node1:node2")).isEqualTo(new Failover(1, "node1", "node2", null));
        assertThat(DcsCodec.decodeFailover(1, ":node2")).isEqualTo(new Failover(1, null, "node2", null));
        assertThat(DcsCodec.decodeFailover(1, "{\"member\":\"node2\",\"scheduled_at\":\"soon\"}").isEmpty()).isTrue();
        assertThat(DcsCodec.decodeFailover(1, "{broken").isEmpty()).isTrue();
    }

    @Test
    void timestampsFollowPythonIsoformat() {
        assertThat(DcsCodec.formatTimestamp(OffsetDateTime.of(2024, 5, 1, 10, 0, 0, 123_456_000, ZoneOffset.ofHours(-5))))
                .isEqualTo("2024-05-01T10:00:00.123456-05:00");
    }

    @Test
    void historyRoundTripsAndToleratesShortLines() {
        String patroni = "[[1,25165984,\"no recovery target specified\",\"2024-05-01T10:00:00.123456+00:00\",\"node2\"],"
                + "[2,50331808,\"no recovery target specified\"]]";
        List<HistoryEntry> h = DcsCodec.decodeHistory(patroni);

        assertThat(h).containsExactly(
                new HistoryEntry(1, 25165984, "no recovery target specified", "2024-05-01T10:00:00.123456+00:00", "node2"),
                new HistoryEntry(2, 50331808, "no recovery target specified", null, null));
        assertThat(DcsCodec.encodeHistory(h)).isEqualTo(patroni);
        assertThat(DcsCodec.decodeHistory("[[1,2,\"ok\"],\"junk\",[\"x\",1,\"r\"],[3]]"))
                .containsExactly(new HistoryEntry(1, 2, "ok", null, null));
        assertThat(DcsCodec.decodeHistory("{}")).isEmpty();
        assertThat(DcsCodec.decodeHistory("[]")).isEmpty();
    }

    @Test
    void syncStateIsWrittenAsPatroniDoesAndJunkReadsAsEmpty() {
        assertThat(DcsCodec.encodeSyncState(new SyncState(0, "node1", 0, "node2,node3")))
                .isEqualTo("{\"leader\":\"node1\",\"quorum\":0,\"sync_standby\":\"node2,node3\"}");
        assertThat(DcsCodec.encodeSyncState(new SyncState(0, "node1", 0, null)))
                .isEqualTo("{\"leader\":\"node1\",\"quorum\":0,\"sync_standby\":null}");
        assertThat(DcsCodec.decodeSyncState(4, "{\"leader\":\"node1\",\"sync_standby\":\"node2\"}"))
                .isEqualTo(new SyncState(4, "node1", null, "node2"));
        assertThat(DcsCodec.decodeSyncState(4, "7")).isEqualTo(new SyncState(4, null, null, null));
    }

    @Test
    void configRoundTripsAsCompactJsonAndJunkGivesAnEmptyConfig() {
        String patroni = "{\"ttl\":30,\"loop_wait\":10,\"retry_timeout\":10,\"maximum_lag_on_failover\":1048576,"
                + "\"postgresql\":{\"use_pg_rewind\":true,\"parameters\":{\"max_connections\":100}}}";
        ClusterConfig c = DcsCodec.decodeConfig(12, patroni);

        assertThat(c.version()).isEqualTo(12);
        assertThat(c.data()).containsEntry("ttl", 30).containsKey("postgresql");
        assertThat(DcsCodec.encodeConfig(c.data())).isEqualTo(patroni);
        assertThat(DcsCodec.decodeConfig(13, "ttl: 30").data()).isEmpty();
        assertThat(DcsCodec.decodeConfig(13, "[1]").data()).isEmpty();
    }
}
