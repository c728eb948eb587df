package io.bulwark;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.config.DynamicConfig;
import io.bulwark.dcs.Cluster;
import io.bulwark.dcs.ClusterDecoder;
import io.bulwark.dcs.DcsKeys;
import io.bulwark.dcs.StoredValue;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The dynamic configuration in force survives a config key that is junk, wrong, or was never readable. */
class DynamicConfigCacheTest {
    private static final DcsKeys KEYS = new DcsKeys("/service", "demo");

    private static Cluster withConfig(String value, long version) {
        return ClusterDecoder.decode(KEYS, List.of(new StoredValue("/service/demo/config", value, version, 0)));
    }

    @Test
    void aGoodConfigAppliesAndAnUnreadableOneKeepsIt() {
        DynamicConfigCache cache = new DynamicConfigCache(DynamicConfig.defaults());
        DynamicConfig applied = cache.apply(withConfig("{\"ttl\":20,\"loop_wait\":2}", 3));
        assertThat(applied.ttl()).isEqualTo(20);

        assertThat(cache.apply(withConfig("{\"ttl\":20,\"loop_w", 4))).isSameAs(applied);
        assertThat(cache.apply(withConfig("[1,2]", 5))).isSameAs(applied);
        assertThat(cache.apply(withConfig("", 6))).isSameAs(applied);
    }

    @Test
    void anInvalidConfigKeepsTheLastGoodOne() {
        DynamicConfigCache cache = new DynamicConfigCache(DynamicConfig.defaults());
        DynamicConfig applied = cache.apply(withConfig("{\"ttl\":20,\"loop_wait\":2}", 3));
        assertThat(cache.apply(withConfig("{\"ttl\":\"soon\"}", 4))).isSameAs(applied);
    }

    @Test
    void anUnreadableConfigAtStartKeepsTheBootstrapConfig() {
        DynamicConfig bootstrap = DynamicConfig.defaults();
        DynamicConfigCache cache = new DynamicConfigCache(bootstrap);
        assertThat(cache.apply(withConfig("junk", 3))).isSameAs(bootstrap);
    }
}
