package io.bulwark.dcs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterDecoderTest {
    private static final DcsKeys KEYS = new DcsKeys("/service", "demo");

    @Test
    void patroniClusterDecodesWithVersionsAndSessions() {
        Cluster c = ClusterDecoder.decode(KEYS, List.of(
                new StoredValue("/service/demo/initialize", "7268616322854375442", 2, 0),
                new StoredValue("/service/demo/config", "{\"ttl\":30}", 3, 0),
                new StoredValue("/service/demo/leader", "node1", 5, 0x1234),
                new StoredValue("/service/demo/members/node2", "{\"role\":\"replica\"}", 9, 0x99),
                new StoredValue("/service/demo/members/node1", "{\"role\":\"primary\"}", 6, 0x1234),
                new StoredValue("/service/demo/members/odd/nested", "{}", 7, 0),
                new StoredValue("/service/demo/status", "{\"optime\":100}", 8, 0),
                new StoredValue("/service/demo/history", "[[1,100,\"no recovery target specified\"]]", 4, 0),
                new StoredValue("/service/demo/failover", "{}", 10, 0)));

        assertThat(c.isInitialized()).isTrue();
        assertThat(c.config().version()).isEqualTo(3);
        assertThat(c.leader()).isEqualTo(new Leader("node1", 5, 0x1234));
        assertThat(c.members()).extracting(Member::name).containsExactly("node1", "node2");
        assertThat(c.leaderMember().orElseThrow().data().isPrimaryRole()).isTrue();
        assertThat(c.status().optime()).isEqualTo(100);
        assertThat(c.timeline()).isEqualTo(2);
        assertThat(c.failover().isEmpty()).isTrue();
        assertThat(c.sync()).isNull();
    }

    @Test
    void legacyOptimeLeaderIsUsedOnlyWithoutStatus() {
        StoredValue legacy = new StoredValue("/service/demo/optime/leader", "4242", 1, 0);
        assertThat(ClusterDecoder.decode(KEYS, List.of(legacy)).status().optime()).isEqualTo(4242);
        assertThat(ClusterDecoder.decode(KEYS, List.of(legacy,
                new StoredValue("/service/demo/status", "{\"optime\":5000}", 2, 0))).status().optime()).isEqualTo(5000);
    }

    @Test
    void emptyPrefixIsAnEmptyCluster() {
        Cluster c = ClusterDecoder.decode(KEYS, List.of());
        assertThat(c.isUnlocked()).isTrue();
        assertThat(c.initialize()).isNull();
        assertThat(c.config()).isNull();
        assertThat(c.members()).isEmpty();
        assertThat(c.status()).isEqualTo(ClusterStatus.EMPTY);
    }
}
