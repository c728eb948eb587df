package io.bulwark.api;

import io.bulwark.config.DynamicConfig;

import java.time.Clock;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What the REST API needs from the agent besides the {@link io.bulwark.ha.NodeStatus} snapshot. Every supplier is
 * called on request threads, so it must be cheap and thread-safe (read a volatile field, nothing more).
 *
 * @param dynamicConfig  the dynamic configuration in force (ttl, loop_wait, maximum_lag_on_failover) for
 *                       {@code /liveness}, {@code /readiness} and the DCS-view freshness rule
 * @param lastCycleNanos {@code nanoClock} time at which the HA loop last started a cycle, or
 *                       {@link Long#MIN_VALUE} before the first one (liveness then counts from server start)
 * @param wallClock      wall clock for comparing with {@code dcs_last_seen} (epoch seconds)
 * @param bulwarkVersion shown as {@code bulwark_version} in status bodies
 */
public record ApiConfigView(Supplier<DynamicConfig> dynamicConfig, LongSupplier lastCycleNanos, Clock wallClock,
                            String bulwarkVersion) {

    public ApiConfigView {
        Objects.requireNonNull(dynamicConfig, "dynamicConfig");
        Objects.requireNonNull(lastCycleNanos, "lastCycleNanos");
        Objects.requireNonNull(wallClock, "wallClock");
        Objects.requireNonNull(bulwarkVersion, "bulwarkVersion");
    }

    /** The usual wiring: system wall clock and {@link Versions#BULWARK}. */
    public static ApiConfigView of(Supplier<DynamicConfig> dynamicConfig, LongSupplier lastCycleNanos) {
        return new ApiConfigView(dynamicConfig, lastCycleNanos, Clock.systemUTC(), Versions.BULWARK);
    }
}
