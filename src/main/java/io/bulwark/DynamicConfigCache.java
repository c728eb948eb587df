package io.bulwark;

import io.bulwark.config.ConfigProblem;
import io.bulwark.config.DynamicConfig;
import io.bulwark.config.DynamicConfigParser;
import io.bulwark.dcs.Cluster;
import io.bulwark.dcs.ClusterConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dynamic configuration in force: parsed from the {@code config} key when its version changes; a value that
 * fails validation is rejected with its reasons and the last good configuration stays (never crashes the loop).
 * Before the key exists, {@code bootstrap.dcs} applies.
 */
final class DynamicConfigCache {
    private static final Logger log = LoggerFactory.getLogger(DynamicConfigCache.class);

    private DynamicConfig current;
    private long version = Long.MIN_VALUE;

    DynamicConfigCache(DynamicConfig bootstrap) {
        this.current = bootstrap;
    }

    synchronized DynamicConfig apply(Cluster cluster) {
        ClusterConfig config = cluster == null ? null : cluster.config();
        if (config == null || config.version() == version) {
            return current;
        }
        version = config.version();
        if (!config.readable()) {
            log.error("the config key (version {}) holds no JSON object; keeping the last good dynamic configuration",
                    version);
            return current;
        }
        DynamicConfigParser.Result parsed = DynamicConfigParser.parse(config.data(), "config");
        if (!parsed.ok()) {
            log.error("rejected dynamic configuration (config key version {}): {}; keeping the last good one",
                    version, parsed.errors().stream().map(ConfigProblem::toString).toList());
            return current;
        }
        for (ConfigProblem w : parsed.warnings()) {
            log.warn("dynamic configuration (config key version {}): {}", version, w);
        }
        current = parsed.config();
        return current;
    }
}
