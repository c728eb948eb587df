package io.bulwark.api;

import io.bulwark.dcs.Dcs;
import io.bulwark.ha.AdminActions;
import io.bulwark.ha.Failsafe;
import io.bulwark.ha.HaMetrics;

import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What the REST API's unsafe endpoints act through (reference §3.4). Handlers run on request threads: they write
 * only the {@code failover} and {@code config} keys (compare-and-set where Patroni does) and queue everything else
 * to the HA loop through {@link AdminActions}.
 *
 * @param dcs             the agent's DCS (its {@link Dcs#cluster()} is read on each action request)
 * @param admin           the queue into the HA loop
 * @param wakeUp          called after a write the loop should react to at once (failover key, config)
 * @param security        allowlist, TLS and Basic auth for unsafe endpoints
 * @param lastCycleNanos  duration in nanoseconds of the last complete HA cycle, for
 *                        {@code bulwark_ha_cycle_seconds}; {@code null}: the metric reads 0
 * @param haMetrics       the loop's other timings (DCS read latency, last role change); {@code null}: none
 * @param failsafe        where {@code POST /failsafe} records an accepted call; {@code null}: answered 502
 * @param backups         what {@code POST /backup} starts ({@link BackupHandler}); {@code null}: answered 412
 */
public record ApiControls(Dcs dcs, AdminActions admin, Runnable wakeUp, RestSecurity security,
                          LongSupplier lastCycleNanos, Supplier<HaMetrics> haMetrics, Failsafe failsafe,
                          io.bulwark.postgres.Backups backups) {

    public ApiControls(Dcs dcs, AdminActions admin, Runnable wakeUp, RestSecurity security,
                       LongSupplier lastCycleNanos, Supplier<HaMetrics> haMetrics, Failsafe failsafe) {
        this(dcs, admin, wakeUp, security, lastCycleNanos, haMetrics, failsafe, null);
    }

    public ApiControls(Dcs dcs, AdminActions admin, Runnable wakeUp, RestSecurity security,
                       LongSupplier lastCycleNanos) {
        this(dcs, admin, wakeUp, security, lastCycleNanos, null, null);
    }

    public ApiControls(Dcs dcs, AdminActions admin, Runnable wakeUp, RestSecurity security,
                       LongSupplier lastCycleNanos, Supplier<HaMetrics> haMetrics) {
        this(dcs, admin, wakeUp, security, lastCycleNanos, haMetrics, null);
    }

    public ApiControls {
        Objects.requireNonNull(dcs, "dcs");
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(wakeUp, "wakeUp");
        security = security == null ? RestSecurity.NONE : security;
        lastCycleNanos = lastCycleNanos == null ? () -> 0L : lastCycleNanos;
        haMetrics = haMetrics == null ? () -> HaMetrics.NONE : haMetrics;
    }
}
