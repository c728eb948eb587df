package io.bulwark.ctl;

import io.bulwark.dcs.Cluster;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** patronictl's {@code global_config.from_cluster}: the few dynamic settings the CLI itself looks at. */
record ClusterSettingsView(boolean paused, boolean synchronousMode, boolean standbyCluster, int loopWait) {

    static ClusterSettingsView of(Cluster cluster) {
        Map<String, Object> c = cluster.config() == null ? Map.of() : cluster.config().data();
        boolean standby = io.bulwark.config.DynamicConfig.isStandbyCluster(c);
        int loopWait = 10;
        if (c.get("loop_wait") instanceof Number n) {
            loopWait = n.intValue();
        } else if (c.get("loop_wait") instanceof String s && s.strip().matches("\\d+")) {
            loopWait = Integer.parseInt(s.strip());
        }
        Object sync = c.get("synchronous_mode");
        boolean syncMode = isTrue(sync) || io.bulwark.config.SyncSettings.isQuorum(sync);
        return new ClusterSettingsView(isTrue(c.get("pause")), syncMode, standby, loopWait);
    }

    static boolean isTrue(Object o) {
        return o instanceof Boolean b ? b
                : o != null && List.of("on", "true", "yes", "1").contains(o.toString().toLowerCase(Locale.ROOT));
    }
}
