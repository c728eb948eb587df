package io.bulwark.dcs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A key rewritten with junk (by a tool, a bad restore, a hand edit) must not change what the agent believes:
 * the cluster view keeps the key's last good value, at the key's new version.
 */
class GarbledKeysTest {
    private static final DcsKeys KEYS = new DcsKeys("/service", "demo");
    private static final String P = "/service/demo/";

    private final List<StoredValue> good = List.of(
            new StoredValue(P + "config", "{\"ttl\":20,\"loop_wait\":2,\"postgresql\":{\"parameters\":{\"max_connections\":300}}}", 3, 0),
            new StoredValue(P + "leader", "node1", 5, 0x1234),
            new StoredValue(P + "members/node1", "{\"role\":\"primary\",\"conn_url\":\"postgres://10.0.0.1:5432/postgres\",\"xlog_location\":500}", 6, 0x1234),
            new StoredValue(P + "members/node2", "{\"role\":\"replica\",\"conn_url\":\"postgres://10.0.0.2:5432/postgres\",\"xlog_location\":400}", 7, 0x99),
            new StoredValue(P + "status", "{\"optime\":500,\"slots\":{\"node2\":400},\"retain_slots\":[\"node2\"]}", 8, 0),
            new StoredValue(P + "history", "[[1,100,\"no recovery target specified\",\"2026-12-05T10:00:00+00:00\",\"node1\"]]", 4, 0),
            new StoredValue(P + "sync", "{\"leader\":\"node1\",\"quorum\":0,\"sync_standby\":\"node2\"}", 9, 0));

    @Test
    void everyGarbledKeyKeepsItsLastGoodValueAtItsNewVersion() {
        ClusterDecoder decoder = new ClusterDecoder(KEYS);
        Cluster before = decoder.decode(good);

        Cluster after = decoder.decode(replace(good,
                new StoredValue(P + "config", "{\"ttl\":20,\"loop_w", 13, 0),
                new StoredValue(P + "leader", "  ", 15, 0x1234),
                new StoredValue(P + "members/node2", "[1,2,3]", 17, 0x99),
                new StoredValue(P + "status", "{\"optime\":\"not a number\"}", 18, 0),
                new StoredValue(P + "history", "{\"timeline\":1}", 14, 0),
                new StoredValue(P + "sync", "\"node2\"", 19, 0)));

        assertThat(after.config().data()).isEqualTo(before.config().data());
        assertThat(after.config().version()).isEqualTo(13);
        assertThat(after.leader()).isEqualTo(new Leader("node1", 15, 0x1234));
        Member node2 = after.member("node2").orElseThrow();
        assertThat(node2.data()).isEqualTo(before.member("node2").orElseThrow().data());
        assertThat(node2.version()).isEqualTo(17);
        assertThat(after.status()).isEqualTo(before.status());
        assertThat(after.history()).isEqualTo(before.history());
        assertThat(after.sync()).isEqualTo(new SyncState(19, "node1", 0, "node2"));
    }

    @Test
    void aWrongTypedFieldIsGarbledTooAndACleanValueReplacesTheKeptOne() {
        ClusterDecoder decoder = new ClusterDecoder(KEYS);
        decoder.decode(good);

        Cluster wrongField = decoder.decode(replace(good, new StoredValue(P + "members/node1",
                "{\"role\":\"primary\",\"conn_url\":{\"host\":\"x\"},\"xlog_location\":900}", 20, 0x1234)));
        assertThat(wrongField.member("node1").orElseThrow().data().connUrl())
                .isEqualTo("postgres://10.0.0.1:5432/postgres");
        assertThat(wrongField.member("node1").orElseThrow().data().xlogLocation()).isEqualTo(500);

        Cluster fixed = decoder.decode(replace(good, new StoredValue(P + "members/node1",
                "{\"role\":\"primary\",\"conn_url\":\"postgres://10.0.0.9:5432/postgres\",\"xlog_location\":900}", 21, 0x1234)));
        assertThat(fixed.member("node1").orElseThrow().data().connUrl()).isEqualTo("postgres://10.0.0.9:5432/postgres");
        assertThat(fixed.member("node1").orElseThrow().data().xlogLocation()).isEqualTo(900);
    }

    @Test
    void aDeletedKeyIsForgottenSoItsOldValueNeverComesBack() {
        ClusterDecoder decoder = new ClusterDecoder(KEYS);
        decoder.decode(good);
        List<StoredValue> withoutNode2 = new ArrayList<>(good);
        withoutNode2.removeIf(v -> v.key().endsWith("node2"));
        assertThat(decoder.decode(withoutNode2).member("node2")).isEmpty();

        Cluster garbledAgain = decoder.decode(replace(good, new StoredValue(P + "members/node2", "junk", 30, 0x99)));
        assertThat(garbledAgain.member("node2").orElseThrow().data().connUrl()).isNull();
    }

    @Test
    void aConfigThatWasNeverGoodIsUnreadableNotAllDefaults() {
        Cluster c = ClusterDecoder.decode(KEYS, List.of(new StoredValue(P + "config", "not json", 3, 0)));
        assertThat(c.config().readable()).isFalse();
        assertThat(c.config().version()).isEqualTo(3);
        assertThat(ClusterDecoder.decode(KEYS, List.of(new StoredValue(P + "config", "{}", 3, 0))).config().readable())
                .isTrue();
    }

    @Test
    void aGarbledFailoverIsVoidNotTheOlderRequest() {
        ClusterDecoder decoder = new ClusterDecoder(KEYS);
        decoder.decode(replace(good, new StoredValue(P + "failover", "{\"leader\":\"node1\",\"member\":\"node2\"}", 40, 0)));
        Cluster c = decoder.decode(replace(good, new StoredValue(P + "failover", "{\"leader\":[", 41, 0)));
        assertThat(c.failover().isEmpty()).isTrue();
        assertThat(c.failover().version()).isEqualTo(41);
    }

    private static List<StoredValue> replace(List<StoredValue> base, StoredValue... changed) {
        List<StoredValue> out = new ArrayList<>(base);
        for (StoredValue c : changed) {
            out.removeIf(v -> v.key().equals(c.key()));
            out.add(c);
        }
        return out;
    }
}
