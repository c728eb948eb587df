package io.bulwark.dcs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code failsafe} key: Patroni's format, and a garbled value never shrinks the topology the leader asks. */
class FailsafeCodecTest {
    private static final DcsKeys KEYS = new DcsKeys("/service", "demo");
    private static final String P = "/service/demo/";
    private static final String PATRONI_VALUE =
            "{\"node1\":\"http://10.0.0.1:8008/patroni\",\"node2\":\"http://10.0.0.2:8008/patroni\"}";

    @Test
    void encodesCompactSortedJsonAsPatroniWritesIt() {
        assertThat(FailsafeCodec.encode(Map.of("node2", "http://10.0.0.2:8008/patroni",
                "node1", "http://10.0.0.1:8008/patroni"))).isEqualTo(PATRONI_VALUE);
        assertThat(FailsafeCodec.decode(PATRONI_VALUE)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "node1", "http://10.0.0.1:8008/patroni", "node2", "http://10.0.0.2:8008/patroni"));
    }

    @Test
    void junkOrAWrongTypedUrlIsGarbled() {
        assertThat(FailsafeCodec.decodeChecked("{\"node1\":").clean()).isFalse();
        assertThat(FailsafeCodec.decodeChecked("[\"node1\"]").clean()).isFalse();
        assertThat(FailsafeCodec.decodeChecked("{\"node1\":\"http://a/patroni\",\"node2\":7}").clean()).isFalse();
        assertThat(FailsafeCodec.decodeChecked("{\"node1\":\"http://a/patroni\",\"node2\":\" \"}").clean()).isFalse();
        assertThat(FailsafeCodec.decodeChecked("{}")).isEqualTo(new Decoded<>(Map.of(), true));
    }

    @Test
    void theClusterKeepsTheLastGoodTopologyWhenTheKeyIsGarbledAndForgetsItWhenDeleted() {
        ClusterDecoder decoder = new ClusterDecoder(KEYS);
        assertThat(decoder.decode(List.of(new StoredValue(P + "leader", "node1", 2, 1))).failsafe()).isNull();
        Cluster good = decoder.decode(List.of(new StoredValue(P + "failsafe", PATRONI_VALUE, 3, 0)));
        assertThat(good.failsafe()).containsOnlyKeys("node1", "node2");

        Cluster garbled = decoder.decode(List.of(new StoredValue(P + "failsafe", "{\"node1\":\"http://a\",\"node2\":1}",
                4, 0)));
        assertThat(garbled.failsafe()).isEqualTo(good.failsafe());

        assertThat(decoder.decode(List.of()).failsafe()).isNull();
        Cluster neverGood = decoder.decode(List.of(new StoredValue(P + "failsafe", "junk", 5, 0)));
        assertThat(neverGood.failsafe()).isEmpty();
    }
}
