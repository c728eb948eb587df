package io.bulwark.ha;

import io.bulwark.dcs.Member;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    /** The wait also ends this long before the leadership deadline, so the stop is clean, not the fence's kill. */
    static final long DEADLINE_SLACK_NANOS = 1_000_000_000L;
    private static final Logger LOG = LoggerFactory.getLogger(Handover.class);

    /** Sleeps between two looks at pg_stat_replication (Thread::sleep in the agent). */
    interface Pause {
        void sleep(long millis) throws InterruptedException;
    }

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

    /**
     * True at once if a candidate streams from us; else looks again every 100 ms until one does, or until
     * {@link #WAIT_NANOS} have passed or the leadership deadline {@code leaderUntilNanos} is near (whichever is
     * first): false then, and when there is no candidate at all.
     */
    static boolean awaitStreaming(Set<String> candidates, Supplier<List<Map<String, Object>>> replication,
                                  Clock clock, long leaderUntilNanos, Pause pause) throws InterruptedException {
        if (candidates.isEmpty()) {
            return false;
        }
        long now = clock.nanoTime();
        long until = leaderUntilNanos == Long.MIN_VALUE ? now + WAIT_NANOS
                : Math.min(now + WAIT_NANOS, leaderUntilNanos - DEADLINE_SLACK_NANOS);
        String names = String.join(", ", new TreeSet<>(candidates));
        boolean logged = false;
        while (true) {
            if (candidateStreaming(replication.get(), candidates)) {
                return true;
            }
            if (clock.nanoTime() - until >= 0) {
                LOG.warn("no replica that may take over ({}) is streaming; shutting down without a handover", names);
                return false;
            }
            if (!logged) {
                LOG.info("waiting up to {} ms for a replica ({}) to stream before shutting down, so that it receives"
                        + " all WAL", Math.max(0, (until - clock.nanoTime()) / 1_000_000L), names);
                logged = true;
            }
            pause.sleep(100);
        }
    }

    private static boolean mayTakeOver(Member m) {
        return m.data().mayFailover();
    }
}
