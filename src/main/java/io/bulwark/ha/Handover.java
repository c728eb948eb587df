package io.bulwark.ha;

import io.bulwark.dcs.Member;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Whether a leader that is shutting down can hand over without losing WAL. A fast shutdown sends the remaining WAL
 * (up to the shutdown checkpoint) only to standbys connected at that moment, so the key is released at once only
 * when a member that may take over is streaming from us; otherwise the agent first waits a little for one to
 * reconnect (a replica retries every {@code wal_retrieve_retry_interval}, 5 s by default, for example after a
 * crash restart of this primary), and if none does, it leaves the key to expire after ttl with its final position
 * published, so the leader race checks every candidate against it (Patroni releases the key on shutdown only when
 * a replica has received the shutdown checkpoint, for the same reason).
 */
final class Handover {
    /** Longest wait for a candidate to stream; below Docker's default stop timeout (10 s). */
    static final long WAIT_NANOS = 8_000_000_000L;

    private Handover() {
    }

    /**
     * Running replicas other than us that may be promoted (no {@code nofailover}, priority above 0). A replica that
     * was stopped publishes state "stopped" and is not waited for.
     */
    static Set<String> candidates(Observation o) {
        return o.cluster().members().stream()
                .filter(m -> !m.name().equals(o.name()) && "running".equals(m.data().state())
                        && !m.data().isPrimaryRole() && mayTakeOver(m))
                .map(Member::name)
                .collect(Collectors.toSet());
    }

    /** Some {@code pg_stat_replication} row is a candidate (by application_name, the member name) streaming. */
    static boolean candidateStreaming(List<Map<String, Object>> replication, Set<String> candidates) {
        return replication.stream().anyMatch(r -> "streaming".equals(r.get("state"))
                && candidates.contains(String.valueOf(r.get("application_name"))));
    }

    private static boolean mayTakeOver(Member m) {
        if (m.data().tagTrue("nofailover")) {
            return false;
        }
        Object priority = m.data().tags().get("failover_priority");
        try {
            return priority == null || Integer.parseInt(String.valueOf(priority).trim()) > 0;
        } catch (NumberFormatException e) {
            return true;
        }
    }
}
