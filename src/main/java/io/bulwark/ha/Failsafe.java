package io.bulwark.ha;

import io.bulwark.dcs.Cluster;
import io.bulwark.dcs.Member;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Failsafe mode's moving parts (Patroni's {@code failsafe_mode}; safety argument in docs/safety.md): the
 * topology the leader publishes in the {@code failsafe} key, the {@code POST /failsafe} round a primary runs when
 * the DCS cannot be reached, and, on the receiving side, the memory of the last call this member accepted.
 *
 * <p>Used by the HA loop thread ({@link Observer}, {@link Executor}) and by REST request threads
 * ({@link #accept}); the mutable state is two volatile fields.
 */
public final class Failsafe {
    /** Shortest wait for the members' answers. */
    static final Duration MIN_TIMEOUT = Duration.ofMillis(500);

    private final FailsafeCall me;
    private final FailsafeProbe probe;
    private final Clock clock;
    private volatile FailsafeTrust trust;
    private volatile long activeUntilNanos = Long.MIN_VALUE;

    public Failsafe(FailsafeCall me, FailsafeProbe probe, Clock clock) {
        this.me = me;
        this.probe = probe;
        this.clock = clock;
    }

    /**
     * The {@code failsafe} key the leader wants: every member with an {@code api_url}, and ourselves (Patroni's
     * {@code _failsafe_config}).
     */
    Map<String, String> topology(Cluster cluster) {
        Map<String, String> t = new TreeMap<>();
        for (Member m : cluster.members()) {
            if (m.data().apiUrl() != null && !m.data().apiUrl().isBlank()) {
                t.put(m.name(), m.data().apiUrl());
            }
        }
        if (me.apiUrl() != null) {
            t.putIfAbsent(me.name(), me.apiUrl());
        }
        return Map.copyOf(t);
    }

    /**
     * How long a round may wait for answers: half of ttl, at least {@link #MIN_TIMEOUT}, and never past our
     * leadership deadline (an acknowledgment after it cannot revive the lease). Zero: no time left. (A quarter of
     * ttl, 1 s at the defaults, was too short for a member's first answer on a loaded host: bench/etcd-outage.)
     */
    static Duration timeout(HaSettings s, long leaderUntilNanos, long now) {
        long base = Math.max(MIN_TIMEOUT.toNanos(), s.ttlNanos() / 2);
        long left = leaderUntilNanos == Long.MIN_VALUE ? 0 : leaderUntilNanos - now;
        return Duration.ofNanos(Math.max(0, Math.min(base, left)));
    }

    /**
     * One round over {@code topology} (the last {@code failsafe} key read, {@code null} if none): every other member
     * listed must accept. As in Patroni, a missing or empty key, or one that does not list us, fails at once; a key
     * that lists only us passes (a single-member cluster).
     */
    FailsafeCheck check(Map<String, String> topology, Duration timeout) {
        long sent = clock.nanoTime();
        if (topology == null || topology.isEmpty()) {
            return FailsafeCheck.impossible(sent, "the failsafe key is missing or empty");
        }
        if (!topology.containsKey(me.name())) {
            return FailsafeCheck.impossible(sent, "the failsafe key does not list " + me.name());
        }
        Map<String, String> others = new TreeMap<>(topology);
        others.remove(me.name());
        if (others.isEmpty()) {
            return new FailsafeCheck(sent, List.of(), null);
        }
        if (timeout.isZero()) {
            return FailsafeCheck.impossible(sent, "the leader lock has expired");
        }
        Set<String> accepted = probe.ask(others, me, timeout);
        List<String> refused = new ArrayList<>();
        for (String name : others.keySet()) {
            if (!accepted.contains(name)) {
                refused.add(name);
            }
        }
        Collections.sort(refused);
        return new FailsafeCheck(sent, refused, null);
    }

    /** A primary's call was accepted by this member (REST thread). */
    public void accept(FailsafeCall primary) {
        trust = new FailsafeTrust(primary, clock.nanoTime());
    }

    /** The last call this member accepted, or {@code null}. */
    public FailsafeTrust trust() {
        return trust;
    }

    /** Our primary stays up by failsafe until {@code until}: reported as {@code failsafe_mode_is_active}. */
    void keptUntil(long until) {
        activeUntilNanos = until;
    }

    /** The DCS answered again: failsafe is no longer what keeps us primary. */
    void inactive() {
        activeUntilNanos = Long.MIN_VALUE;
    }

    /**
     * Until when failsafe mode is active here (monotonic nanos, {@link Long#MIN_VALUE}: not active): as primary,
     * the deadline the last accepted round gave us; otherwise ttl after the last call we accepted.
     */
    long activeUntil(long ttlNanos) {
        FailsafeTrust t = trust;
        long asMember = t == null ? Long.MIN_VALUE : t.receivedNanos() + ttlNanos;
        return Math.max(activeUntilNanos, asMember);
    }
}
