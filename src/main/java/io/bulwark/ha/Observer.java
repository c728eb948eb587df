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
    private volatile long dcsLastSeenEpoch;
    private volatile long dcsReadNanos = -1;

    Observer(Dcs dcs, PostgresControl pg, PeerProbe peers, Clock clock, Supplier<HaSettings> settings,
             Supplier<String> longOperation) {
        this.longOperation = longOperation;
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
            answers = peers.probe(otherApiUrls(cluster, s.name()), PEER_TIMEOUT);
        }
        return new Observation(cluster, error, state, s, local, answers, clock.nanoTime(), shuttingDown,
                java.time.Instant.now(), longOperation.get());
    }

    long dcsReadNanos() {
        return dcsReadNanos;
    }

    long dcsLastSeenEpoch() {
        return dcsLastSeenEpoch;
    }

    private static Map<String, String> otherApiUrls(Cluster cluster, String me) {
        Map<String, String> urls = new HashMap<>();
        for (Member m : cluster.members()) {
            if (!m.name().equals(me) && m.data().apiUrl() != null) {
                urls.put(m.name(), m.data().apiUrl());
            }
        }
        return urls;
    }
}
