package io.bulwark.ha;

import io.bulwark.dcs.Cluster;
import io.bulwark.postgres.PostgresState;

import java.util.Optional;

/**
 * Patroni's "am I the healthiest node" check (reference §2.3), as a pure function. Several members may each
 * conclude they are healthiest; the DCS's create-if-absent write decides among them.
 */
final class LeaderRace {
    private LeaderRace() {
    }

    /** Empty when we may race for the lock; otherwise the reason we must not. */
    static Optional<String> whyNotHealthiest(Observation o) {
        Cluster cluster = o.cluster();
        PostgresState pg = o.pg();
        HaSettings s = o.settings();
        if (!s.tags().canFailover()) {
            return Optional.of("I am not allowed to promote");
        }
        if (pg.isPrimary() && pg.timeline() < cluster.timeline() && !cluster.history().isEmpty()) {
            return Optional.of("my timeline " + pg.timeline() + " is behind the cluster timeline "
                    + cluster.timeline());
        }
        long mine = pg.walPosition();
        long optime = cluster.status().optime();
        long maxLag = s.dynamic().maximumLagOnFailover();
        if (!pg.isPrimary() && optime > 0 && optime - mine > maxLag) {
            return Optional.of("my wal position exceeds maximum replication lag (" + (optime - mine)
                    + " bytes behind the last known primary position, limit " + maxLag + ")");
        }
        int myPriority = s.tags().failoverPriority();
        for (PeerView peer : o.peers().values()) {
            if (peer.name().equals(s.name()) || peer.nofailover() || peer.failoverPriority() <= 0) {
                continue;
            }
            if (peer.primary()) {
                return Optional.of("primary (" + peer.name() + ") is still alive");
            }
            if (peer.walPosition() > mine) {
                return Optional.of("wal position of " + peer.name() + " is ahead of my wal position");
            }
            if (peer.walPosition() == mine && peer.failoverPriority() > myPriority) {
                return Optional.of(peer.name() + " has equal wal position and a higher failover priority");
            }
        }
        return Optional.empty();
    }
}
