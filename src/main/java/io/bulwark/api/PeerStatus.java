package io.bulwark.api;

/**
 * What a peer's {@code GET /patroni} told us, as the leader race reads it (reference §2.3, §3.2).
 *
 * @param role           {@code primary}, {@code replica}, {@code standby_leader}, ... ({@code master} reads as
 *                       {@code primary})
 * @param state          PostgreSQL state string ({@code running}, {@code stopped}, ...)
 * @param walPosition    {@code xlog.location} for a primary, else max({@code received_location},
 *                       {@code replayed_location}); bytes
 * @param timeline       {@code timeline}, 0 if absent
 * @param nofailover     tag {@code nofailover} true or {@code failover_priority} 0
 * @param isRunning      {@code state == "running"}
 * @param patroniVersion {@code patroni.version}, or {@code null}
 * @param failoverPriority tag {@code failover_priority}, 1 when absent
 */
public record PeerStatus(String role, String state, long walPosition, int timeline, boolean nofailover,
                         boolean isRunning, String patroniVersion, int failoverPriority) {

    public boolean isPrimary() {
        return "primary".equals(role);
    }
}
