package io.bulwark.ha;

import io.bulwark.dcs.MemberData;
import io.bulwark.postgres.PostgresState;

import java.util.Map;

/** Builds our {@code members/<name>} value (reference §1.2) from the latest observation. */
public final class MemberPublisher {
    /** The Patroni protocol version peers see in our member key and {@code GET /patroni}; they parse it. */
    public static final String PATRONI_PROTOCOL_VERSION = "4.1.4";

    private final String connUrl;
    private final String apiUrl;
    private final String bulwarkVersion;

    MemberPublisher(String connUrl, String apiUrl, String bulwarkVersion) {
        this.connUrl = connUrl;
        this.apiUrl = apiUrl;
        this.bulwarkVersion = bulwarkVersion;
    }

    MemberData memberData(PostgresState pg, String role, Map<String, Object> tags, boolean paused,
                          Map<String, String> pendingRestart, String scheduledRestartAt) {
        Map<String, Object> extra = new java.util.LinkedHashMap<>();
        if (paused) {
            extra.put("pause", true);
        }
        if (!pendingRestart.isEmpty()) {
            extra.put("pending_restart", true);
            Map<String, Object> reasons = new java.util.TreeMap<>();
            pendingRestart.forEach((k, v) -> reasons.put(k, Map.of("new_value", v)));
            extra.put("pending_restart_reason", reasons);
        }
        if (scheduledRestartAt != null) {
            extra.put("scheduled_restart", Map.of("schedule", scheduledRestartAt));
        }
        boolean replica = pg.running() && pg.inRecovery();
        return new MemberData(connUrl, apiUrl, pg.processState(), role, PATRONI_PROTOCOL_VERSION,
                pg.running() ? pg.walPosition() : null,
                replica ? pg.replayLsn() : null,
                replica ? pg.receiveLsn() : null,
                replica ? pg.replicationState() : null,
                pg.timeline() > 0 ? pg.timeline() : null,
                tags, bulwarkVersion, extra);
    }

    /**
     * Patroni's role word for what we are right now; {@code standby_leader} for the lock holder of a standby
     * cluster ({@code standbyCluster}) whose server is in recovery.
     */
    static String role(PostgresState pg, boolean holdsLock, boolean standbyCluster) {
        String role = role(pg, holdsLock);
        return standbyCluster && holdsLock && "replica".equals(role) && pg.running() ? "standby_leader" : role;
    }

    /** Patroni's role word for what we are right now. */
    static String role(PostgresState pg, boolean holdsLock) {
        if (pg.dataDir() != PostgresState.DataDirState.INITIALIZED) {
            return "uninitialized";
        }
        if (pg.running()) {
            return pg.inRecovery() ? "replica" : "primary";
        }
        if (pg.stoppedAsPrimary()) {
            return holdsLock ? "primary" : "demoted";
        }
        return "replica";
    }
}
