package io.bulwark.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Dynamic configuration: the cluster-wide settings kept in the {@code config} key (reference §4.3), seeded from
 * {@code bootstrap.dcs}. Times are in seconds, as in Patroni.
 *
 * <p>Bulwark's defaults are faster than Patroni's (ttl 30, loop_wait 10, retry_timeout 10): see
 * {@link #defaults()} and docs/timing.md. The rule {@code loop_wait + 2 * retry_timeout <= ttl} holds for
 * every accepted value.
 *
 * @param ttl                   leader lease, seconds
 * @param loopWait              seconds between HA cycles
 * @param retryTimeout          budget of one DCS or PostgreSQL call, seconds
 * @param maximumLagOnFailover  bytes a replica may lag behind the last known primary position and still be
 *                              promoted automatically
 * @param primaryStartTimeout   seconds a crashed primary may take to restart before failover is allowed
 * @param usePgRewind           {@code postgresql.use_pg_rewind}
 * @param useSlots              {@code postgresql.use_slots}: one physical slot per member on the leader
 * @param removeDataDirectoryOnRewindFailure {@code postgresql.remove_data_directory_on_rewind_failure}
 * @param parameters            {@code postgresql.parameters}
 * @param pgHba                 {@code postgresql.pg_hba}, or empty
 * @param raw                   the whole JSON object as stored (unknown keys preserved)
 */
public record DynamicConfig(
        int ttl,
        int loopWait,
        int retryTimeout,
        long maximumLagOnFailover,
        int primaryStartTimeout,
        boolean usePgRewind,
        boolean useSlots,
        boolean removeDataDirectoryOnRewindFailure,
        Map<String, Object> parameters,
        List<String> pgHba,
        Map<String, Object> raw) {

    public static final int DEFAULT_TTL = 4;
    public static final int DEFAULT_LOOP_WAIT = 1;
    public static final int DEFAULT_RETRY_TIMEOUT = 1;
    public static final long DEFAULT_MAXIMUM_LAG_ON_FAILOVER = 1_048_576L;
    public static final int DEFAULT_PRIMARY_START_TIMEOUT = 300;

    /** Smallest ttl Bulwark accepts (Patroni: 20). Below 2 s an etcd lease cannot be kept reliably. */
    public static final int MIN_TTL = 2;
    public static final int MIN_LOOP_WAIT = 1;
    public static final int MIN_RETRY_TIMEOUT = 1;

    public DynamicConfig {
        parameters = Map.copyOf(parameters);
        pgHba = List.copyOf(pgHba);
        raw = Collections.unmodifiableMap(new LinkedHashMap<>(raw));
    }

    /** Is a standby cluster configured ({@code standby_cluster} with a host, port or restore_command)? */
    public boolean standbyCluster() {
        return isStandbyCluster(raw);
    }

    /** {@code standby_cluster}, or {@code null} when this is not a standby cluster. */
    public StandbyClusterConfig standby() {
        return StandbyClusterConfig.of(raw);
    }

    /**
     * Patroni's rule on a dynamic configuration tree: {@code standby_cluster} is a map whose {@code host},
     * {@code port} or {@code restore_command} is truthy.
     */
    public static boolean isStandbyCluster(Map<String, ?> data) {
        return data.get("standby_cluster") instanceof Map<?, ?> sc
                && (truthy(sc.get("host")) || truthy(sc.get("port")) || truthy(sc.get("restore_command")));
    }

    private static boolean truthy(Object value) {
        return switch (value) {
            case null -> false;
            case Boolean b -> b;
            case Number n -> n.doubleValue() != 0;
            case String s -> !s.isEmpty();
            case Map<?, ?> m -> !m.isEmpty();
            case java.util.Collection<?> c -> !c.isEmpty();
            default -> true;
        };
    }

    /**
     * {@code failsafe_mode}: while the DCS cannot be reached, the leader keeps running as primary as long as every
     * member of the {@code failsafe} key acknowledges it ({@code POST /failsafe}); see docs/safety.md.
     */
    public boolean failsafeMode() {
        return failsafeMode(new Section(raw, "", new Problems()));
    }

    /** Parses {@code failsafe_mode} (a boolean, default false); a bad value is an error naming the key. */
    static boolean failsafeMode(Section dcs) {
        return dcs.bool("failsafe_mode", false);
    }

    /**
     * {@code postgresql.remove_data_directory_on_diverged_timelines}: a replica found on a diverged timeline is
     * re-cloned (its data directory moved aside) when pg_rewind is off or fails.
     */
    public boolean removeOnDivergedTimelines() {
        return raw.get("postgresql") instanceof Map<?, ?> pg
                && Boolean.TRUE.equals(Scalars.asBoolean(pg.get("remove_data_directory_on_diverged_timelines")));
    }

    /** {@code slots}, {@code ignore_slots} and {@code member_slots_ttl}. */
    public SlotSettings slots() {
        return SlotSettings.of(raw);
    }

    /**
     * {@code synchronous_mode} and its companions; {@link SyncSettings#OFF} in a standby cluster, where Patroni
     * ignores synchronous mode (reference §2.9): the standby leader acknowledges no commits.
     */
    public SyncSettings sync() {
        return standbyCluster() ? SyncSettings.OFF : SyncSettings.of(raw);
    }

    /** As the record's own, but any key naming a password (in {@code parameters} or {@code raw}) is masked. */
    @Override
    public String toString() {
        return "DynamicConfig[ttl=" + ttl + ", loopWait=" + loopWait + ", retryTimeout=" + retryTimeout
                + ", maximumLagOnFailover=" + maximumLagOnFailover + ", primaryStartTimeout=" + primaryStartTimeout
                + ", usePgRewind=" + usePgRewind + ", useSlots=" + useSlots + ", removeDataDirectoryOnRewindFailure="
                + removeDataDirectoryOnRewindFailure + ", parameters=" + Secrets.maskTree(parameters) + ", pgHba="
                + pgHba + ", raw=" + Secrets.maskTree(raw) + "]";
    }

    public static DynamicConfig defaults() {
        return new DynamicConfig(DEFAULT_TTL, DEFAULT_LOOP_WAIT, DEFAULT_RETRY_TIMEOUT,
                DEFAULT_MAXIMUM_LAG_ON_FAILOVER, DEFAULT_PRIMARY_START_TIMEOUT, true, true, false,
                Map.of(), List.of(), Map.of());
    }
}
