package io.bulwark.ha;

import io.bulwark.postgres.PostgresState;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * Every combination of the inputs that matter to {@link HaDecider#decide}, for invariant checks by plain loops.
 * The deciding member is node2; node1 is "the other leader"; node3 is a third member whose member key and
 * {@code GET /patroni} answer vary independently.
 */
final class DecisionSpace {
    static final long MINE = 50_000_000;
    static final long MAX_LAG = 1_048_576;

    enum LeaderKey { NONE, ME, OTHER }

    /** Our PostgreSQL; {@code REPLICA_ELSEWHERE} streams from node3 instead of node1. */
    enum Pg { PRIMARY, REPLICA, REPLICA_ELSEWHERE, STOPPED_PRIMARY, STOPPED_REPLICA, CRASHED_PRIMARY, EMPTY }

    enum Lease { VALID, EXPIRED, NEVER }

    enum Dcs { OK, ERROR }

    /** node3's answer to {@code GET /patroni} (absent: unreachable). */
    enum Peer { ABSENT, BEHIND, EQUAL, AHEAD, PRIMARY, AHEAD_NOFAILOVER, EQUAL_HIGHER_PRIORITY }

    /**
     * {@code /status.optime} relative to our position: unknown, equal to it, ahead of it by exactly
     * {@code maximum_lag_on_failover}, ahead beyond that.
     */
    enum Lag { UNKNOWN, CAUGHT_UP, AT_LIMIT, BEYOND }

    /** node3's member key: a failover candidate or not. */
    enum Third { CANDIDATE, STOPPED, NOFAILOVER, ABSENT }

    enum Init { SAME_SYSID, NO_KEY, OTHER_SYSID }

    record Combo(LeaderKey leader, Pg pg, Lease lease, Dcs dcs, Peer peer, Lag lag, Third third, Init init,
                 boolean nofailover, int primaryStartTimeout, boolean pgDownLong, boolean justAcquired,
                 boolean shuttingDown) {

        /** A replica behind the leader's last published position (the stale-node guard), within the limit or not. */
        boolean laggingReplica() {
            return (pg == Pg.REPLICA || pg == Pg.REPLICA_ELSEWHERE) && (lag == Lag.AT_LIMIT || lag == Lag.BEYOND);
        }

        Situation situation() {
            Situation s = Situation.as("node2").maximumLagOnFailover(MAX_LAG).primaryStartTimeout(primaryStartTimeout)
                    .pg(postgres());
            switch (leader) {
                case NONE -> s.noLeader();
                case ME -> s.leaderIs("node2");
                case OTHER -> s.leaderIs("node1").withPrimary("node1");
            }
            switch (lease) {
                case VALID -> s.leaseValidFor(Duration.ofSeconds(2));
                case EXPIRED -> s.leaseExpiredAgo(Duration.ofMillis(300));
                case NEVER -> s.noLease();
            }
            switch (third) {
                case CANDIDATE -> s.withReplica("node3");
                case STOPPED -> s.withMember("node3", Members.stoppedReplica("node3"));
                case NOFAILOVER -> s.withReplica("node3", "nofailover", true);
                case ABSENT -> { }
            }
            switch (init) {
                case SAME_SYSID -> s.initialize(Situation.SYSID);
                case NO_KEY -> s.notInitialized();
                case OTHER_SYSID -> s.initialize(Situation.OTHER_SYSID);
            }
            switch (lag) {
                case UNKNOWN -> s.optime(0);
                case CAUGHT_UP -> s.optime(MINE);
                case AT_LIMIT -> s.optime(MINE + MAX_LAG);
                case BEYOND -> s.optime(MINE + MAX_LAG + 1);
            }
            switch (peer) {
                case ABSENT -> { }
                case BEHIND -> s.peer("node3", false, MINE - 1);
                case EQUAL -> s.peer("node3", false, MINE);
                case AHEAD -> s.peer("node3", false, MINE + 1);
                case PRIMARY -> s.peer("node3", true, MINE);
                case AHEAD_NOFAILOVER -> s.peer(new PeerView("node3", false, MINE + 1, true, 1));
                case EQUAL_HIGHER_PRIORITY -> s.peer(new PeerView("node3", false, MINE, false, 2));
            }
            if (nofailover) {
                s.nofailover();
            }
            if (pgDownLong) {
                s.pgDownFor(Duration.ofHours(1));
            }
            if (justAcquired) {
                s.justAcquired();
            }
            if (dcs == Dcs.ERROR) {
                s.dcsError("etcd unavailable");
            }
            if (shuttingDown) {
                s.shuttingDown();
            }
            return s;
        }

        private PostgresState postgres() {
            return switch (pg) {
                case PRIMARY -> PgStates.primaryRunning(MINE);
                case REPLICA -> PgStates.replicaStreaming("node1", MINE);
                case REPLICA_ELSEWHERE -> PgStates.replicaStreaming("node3", MINE);
                case STOPPED_PRIMARY -> PgStates.stoppedCleanPrimary();
                case STOPPED_REPLICA -> PgStates.stoppedReplica();
                case CRASHED_PRIMARY -> PgStates.crashedPrimary();
                case EMPTY -> PgStates.emptyDataDir();
            };
        }
    }

    private DecisionSpace() {
    }

    /** Calls {@code check} with every combination (about 1,000,000). */
    static void forEach(Consumer<Combo> check) {
        boolean[] bools = {false, true};
        for (LeaderKey leader : LeaderKey.values())
            for (Pg pg : Pg.values())
                for (Lease lease : Lease.values())
                    for (Dcs dcs : Dcs.values())
                        for (Peer peer : Peer.values())
                            for (Lag lag : Lag.values())
                                for (Third third : Third.values())
                                    for (Init init : Init.values())
                                        for (boolean nofailover : bools)
                                            for (int timeout : new int[] {0, 300})
                                                for (boolean pgDownLong : bools)
                                                    for (boolean justAcquired : bools)
                                                        for (boolean shuttingDown : bools)
                                                            check.accept(new Combo(leader, pg, lease, dcs, peer, lag,
                                                                    third, init, nofailover, timeout, pgDownLong,
                                                                    justAcquired, shuttingDown));
    }
}
