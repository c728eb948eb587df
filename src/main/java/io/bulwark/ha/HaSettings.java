package io.bulwark.ha;

import io.bulwark.config.DynamicConfig;
import io.bulwark.config.Tags;

import java.time.Duration;

/**
 * The settings one decision needs: who we are and the cluster-wide timings in force.
 *
 * @param name    our member name
 * @param tags    our tags
 * @param dynamic dynamic configuration currently applied
 */
public record HaSettings(String name, Tags tags, DynamicConfig dynamic) {

    public long ttlNanos() {
        return Duration.ofSeconds(dynamic.ttl()).toNanos();
    }

    /**
     * How long before our lease can expire in etcd we stop claiming leadership: the time to stop PostgreSQL
     * plus clock-rate differences. An eighth of ttl, at least half a second.
     */
    public long safetyMarginNanos() {
        return Math.max(Duration.ofMillis(500).toNanos(), ttlNanos() / 8);
    }

    public long primaryStartTimeoutNanos() {
        return Duration.ofSeconds(dynamic.primaryStartTimeout()).toNanos();
    }
}
