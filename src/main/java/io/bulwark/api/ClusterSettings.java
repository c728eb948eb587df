package io.bulwark.api;

import io.bulwark.dcs.Cluster;
import io.bulwark.dcs.SyncState;

import java.util.Locale;
import java.util.Map;

/**
 * The few dynamic-config facts the REST API and the CLI derive from a cluster's {@code config} key, read the way
 * Patroni's {@code global_config} reads them (booleans accept on/true/yes/1).
 *
 * @param paused          {@code pause}
 * @param standbyCluster  {@code standby_cluster} has a truthy {@code host}, {@code port} or {@code restore_command}
 * @param synchronousMode {@code synchronous_mode} on (or {@code quorum}) and not a standby cluster
 * @param quorumMode      {@code synchronous_mode: quorum}
 */
record ClusterSettings(boolean paused, boolean standbyCluster, boolean synchronousMode, boolean quorumMode) {

    static ClusterSettings of(Cluster cluster) {
        Map<String, Object> data = cluster == null || cluster.config() == null ? Map.of() : cluster.config().data();
        boolean standby = io.bulwark.config.DynamicConfig.isStandbyCluster(data);
        Object mode = data.get("synchronous_mode");
        boolean quorum = io.bulwark.config.SyncSettings.isQuorum(mode);
        boolean sync = (isTrue(mode) || quorum) && !standby;
        return new ClusterSettings(isTrue(data.get("pause")), standby, sync, quorum);
    }

    /** Is {@code name} listed in the {@code sync} key's {@code sync_standby} (case-insensitive, as PostgreSQL)? */
    static boolean isSyncStandby(SyncState sync, String name) {
        return sync != null && sync.lists(name);
    }

    /** Patroni's {@code parse_bool(value) is True}. */
    static boolean isTrue(Object value) {
        if (value == null) {
            return false;
        }
        String v = value.toString().toLowerCase(Locale.ROOT);
        return v.equals("on") || v.equals("true") || v.equals("yes") || v.equals("1");
    }

}
