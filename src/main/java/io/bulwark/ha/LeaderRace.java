package io.bulwark.ha;

import io.bulwark.dcs.Cluster;
import io.bulwark.dcs.SyncState;
import io.bulwark.postgres.PostgresState;

import java.util.Optional;
import java.util.Set;

/**
 * Patroni's "am I the healthiest node" check (reference §2.3), as a pure function. Several members may each
 * conclude they are healthiest; the DCS's create-if-absent write decides among them.
 *
 * <p>Stricter than Patroni in one way, the stale-node guard: a replica whose WAL position is behind the last
 * position the leader published in {@code /status} never races, however long it is alone, even within
 * {@code maximum_lag_on_failover}. Everything up to that position was committed on the old primary, so taking over
 * would lose acknowledged writes, and the member that has them may still return (both nodes down, the stale one
 * started first: Patroni promotes it and rewinds the newer data away, patroni#2175). A streaming replica has
 * received the published position long before the leader goes (it is published once per cycle), so a crashed
 * primary is still replaced at once. An operator who knows the newer data is gone for good forces the stale member
 * with {@code bulwarkctl failover --candidate NAME --force}.
 */
final class LeaderRace {
    static final String PRE_PROMOTE_BACKOFF = "backing off the leader race for ttl after the pre_promote script"
            + " failed and I released the lock";

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
        if (o.local().raceBackoff(o.now())) {
            return Optional.of(PRE_PROMOTE_BACKOFF);
        }
        boolean quorum = QuorumVotes.applies(o);
        if (!pg.isPrimary() && !quorum && !SyncPlanner.mayPromote(s.dynamic().sync(), cluster.sync(), s.name())) {
            return Optional.of("synchronous_mode is on and I am not a synchronous standby (the sync key names "
                    + (cluster.sync() == null || cluster.sync().syncStandby() == null ? "none"
                    : cluster.sync().syncStandby()) + ")");
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
        if (!pg.isPrimary() && optime > mine) {
            return Optional.of("my wal position is " + (optime - mine) + " bytes behind the last position the leader"
                    + " published (" + optime + "): taking over would lose acknowledged commits; waiting for a member"
                    + " that has them (to take over anyway: bulwarkctl failover --candidate " + s.name() + " --force)");
        }
        int myPriority = s.tags().failoverPriority();
        SyncState key = cluster.sync();
        boolean syncActive = s.dynamic().sync().enabled() && key != null && key.leader() != null;
        Set<String> keyMembers = QuorumVotes.members(key);
        for (PeerView peer : o.peers().values()) {
            if (peer.name().equals(s.name()) || peer.nofailover() || peer.failoverPriority() <= 0) {
                continue;
            }
            if (peer.primary()) {
                return Optional.of("primary (" + peer.name() + ") is still alive");
            }
            // in synchronous mode only the sync key's members compete (as Patroni): an asynchronous replica ahead of
            // us holds no acknowledged commit we lack and may not take over itself, so it must not stop us; nor
            // does the former leader (it cannot take over while it follows)
            if (syncActive && (!keyMembers.contains(peer.name()) || key.writtenBy(peer.name()))) {
                continue;
            }
            if (peer.walPosition() > mine) {
                return Optional.of("wal position of " + peer.name() + " is ahead of my wal position");
            }
            if (peer.walPosition() == mine && peer.failoverPriority() > myPriority) {
                return Optional.of(peer.name() + " has equal wal position and a higher failover priority");
            }
        }
        if (!pg.isPrimary() && quorum) {
            return QuorumVotes.whyNot(o, mine);
        }
        return Optional.empty();
    }
}
