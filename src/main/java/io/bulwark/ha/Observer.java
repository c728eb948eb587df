package io.bulwark.ha;

import io.bulwark.dcs.Cluster;
import io.bulwark.dcs.Dcs;
import io.bulwark.dcs.DcsException;
import io.bulwark.dcs.Member;
import io.bulwark.postgres.PostgresState;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/** Gathers one {@link Observation}: the DCS view, the local PostgreSQL probe and, during a race, the peers. */
final class Observer {
    /** Peers answer {@code GET /patroni} from memory; a member that cannot answer in this time is ignored. */
    static final Duration PEER_TIMEOUT = Duration.ofMillis(1000);

    private final Dcs dcs;
    private final PostgresControl pg;
    private final PeerProbe peers;
    private final Clock clock;
    private final Supplier<HaSettings> settings;
    private final Supplier<String> longOperation;
    private final Failsafe failsafe;
    /** The {@code failsafe} key of the last successful DCS read: whom a primary asks while the DCS is down. */
    private Map<String, String> lastTopology;
    private volatile long dcsLastSeenEpoch;
    private volatile long dcsReadNanos = -1;

    Observer(Dcs dcs, PostgresControl pg, PeerProbe peers, Clock clock, Supplier<HaSettings> settings,
             Supplier<String> longOperation, Failsafe failsafe) {
        this.longOperation = longOperation;
        this.failsafe = failsafe;
        this.dcs = dcs;
        this.pg = pg;
        this.peers = peers;
        this.clock = clock;
        this.settings = settings;
    }

    Observation observe(LocalState local, boolean shuttingDown) {
        Cluster cluster = null;
        String error = null;
        long started = clock.nanoTime();
        try {
            cluster = dcs.cluster();
            dcsReadNanos = clock.nanoTime() - started;
            dcsLastSeenEpoch = System.currentTimeMillis() / 1000;
        } catch (DcsException e) {
            error = e.getMessage();
        }
        PostgresState state = pg.probe();
        HaSettings s = settings.get();
        Map<String, PeerView> answers = Map.of();
        if (cluster != null && cluster.isUnlocked() && state.running() && s.tags().canFailover() && !shuttingDown) {
            answers = peers.probe(otherApiUrls(cluster, s), PEER_TIMEOUT);
        }
        return new Observation(cluster, error, state, s, local, answers, clock.nanoTime(), shuttingDown,
                java.time.Instant.now(), longOperation.get(), failsafe(cluster, state, s, local, shuttingDown));
    }

    /**
     * A primary that could not read the DCS runs its {@code POST /failsafe} round here, while its lease lasts,
     * so the decision can keep it (see {@link FailsafeRules}).
     */
    private FailsafeView failsafe(Cluster cluster, PostgresState state, HaSettings s, LocalState local,
                                  boolean shuttingDown) {
        if (failsafe == null) {
            return FailsafeView.NONE;
        }
        FailsafeCheck check = null;
        long now = clock.nanoTime();
        if (cluster != null) {
            lastTopology = cluster.failsafe();
        } else if (s.dynamic().failsafeMode() && state.isPrimary() && !shuttingDown && local.leaseValid(now)) {
            check = failsafe.check(lastTopology, Failsafe.timeout(s, local.leaderUntilNanos(), now));
        }
        return new FailsafeView(check, failsafe.trust());
    }

    long dcsReadNanos() {
        return dcsReadNanos;
    }

    long dcsLastSeenEpoch() {
        return dcsLastSeenEpoch;
    }

    /** The members to ask in the race; with failsafe mode, also those only the {@code failsafe} key lists. */
    private static Map<String, String> otherApiUrls(Cluster cluster, HaSettings s) {
        String me = s.name();
        Map<String, String> urls = new HashMap<>();
        if (s.dynamic().failsafeMode() && cluster.failsafe() != null) {
            urls.putAll(cluster.failsafe());
            urls.remove(me);
        }
        for (Member m : cluster.members()) {
            if (!m.name().equals(me) && m.data().apiUrl() != null) {
                urls.put(m.name(), m.data().apiUrl());
            }
        }
        return urls;
    }
}
