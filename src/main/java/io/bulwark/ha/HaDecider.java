package io.bulwark.ha;

import io.bulwark.dcs.Cluster;
import io.bulwark.dcs.Member;
import io.bulwark.postgres.PostgresState;

import java.time.Duration;
import java.util.Optional;

/**
 * The HA decision: one observation in, one action and its sentence out (reference §2.2). Pure: no I/O, no
 * clock reads, no logging. Sentences use Patroni's wording where Patroni has one, because operators and tests
 * grep for them.
 */
public final class HaDecider {
    private HaDecider() {
    }

    public static Decision decide(Observation o) {
        return Pause.apply(o, decideUnpaused(o));
    }

    private static Decision decideUnpaused(Observation o) {
        if (o.shuttingDown()) {
            boolean leader = o.dcsOk() ? o.iHoldLockInDcs() : o.local().leaseValid(o.now());
            return new Decision(new Action.Shutdown(leader), "shutting down");
        }
        if (!o.dcsOk()) {
            return dcsUnavailable(o);
        }
        PostgresState pg = o.pg();
        if (o.longOperation() != null && !pg.isPrimary()) {
            // a clone or rewind owns the stopped server until its replica has started: its half-copied data
            // directory must not be started, moved or cloned into (a primary's checkpoint is handled below)
            return new Decision(none(), o.longOperation() + " in progress");
        }
        if (pg.dataDir() != PostgresState.DataDirState.INITIALIZED) {
            return emptyDataDir(o);
        }
        Cluster c = o.cluster();
        if (c.isInitialized() && pg.systemId() != null && !c.initialize().equals(pg.systemId())) {
            return new Decision(pg.isPrimary() ? new Action.Demote(true, c.hasLeader(o.name())) : none(),
                    "system ID mismatch, node " + o.name() + " belongs to a different cluster: "
                            + c.initialize() + " != " + pg.systemId());
        }
        if (!pg.running()) {
            return postgresNotRunning(o);
        }
        if (c.isUnlocked()) {
            return unlocked(o);
        }
        if (c.hasLeader(o.name())) {
            return holdingLock(o);
        }
        return followOther(o);
    }

    private static Decision dcsUnavailable(Observation o) {
        if (o.pg().isPrimary()) {
            Optional<Decision> failsafe = FailsafeRules.primaryWithoutDcs(o);
            if (failsafe.isPresent()) {
                return failsafe.get();
            }
            if (o.local().leaseValid(o.now()) && FailsafeRules.whyNotKept(o).isEmpty()) {
                long left = Duration.ofNanos(o.local().leaderUntilNanos() - o.now()).toMillis();
                return new Decision(none(), "DCS is not accessible; still the leader for " + left + " ms unless "
                        + "the lock is renewed");
            }
            return new Decision(new Action.Demote(true, false),
                    "demoted self because DCS is not accessible and I was a leader" + FailsafeRules.whyNotKept(o));
        }
        return new Decision(none(), "DCS is not accessible");
    }

    private static Decision emptyDataDir(Observation o) {
        Cluster c = o.cluster();
        if (c.hasLeader(o.name())) {
            return new Decision(new Action.ReleaseLock(),
                    "released leader key voluntarily as data dir empty and currently leader");
        }
        if (c.leader() != null) {
            Optional<Member> source = cloneSource(o);
            return source.map(m -> new Decision(new Action.CloneFrom(m), c.hasLeader(m.name())
                            ? "trying to bootstrap from leader '" + m.name() + "'"
                            : "trying to bootstrap from replica '" + m.name() + "'"))
                    .orElseGet(() -> new Decision(none(), o.settings().dynamic().standbyCluster()
                            ? "waiting for standby_leader to bootstrap" : "waiting for leader to bootstrap"));
        }
        if (o.settings().dynamic().standbyCluster()) {
            return c.initialize() == null ? StandbyLeader.bootstrap(o)
                    : new Decision(none(), "waiting for standby_leader to bootstrap");
        }
        if (c.initialize() == null && o.settings().tags().canFailover()) {
            return new Decision(new Action.Bootstrap(), "trying to bootstrap a new cluster");
        }
        return new Decision(none(), "waiting for leader to bootstrap");
    }

    /** A running member tagged {@code clonefrom}, else the leader (if its member key is present). */
    private static Optional<Member> cloneSource(Observation o) {
        Cluster c = o.cluster();
        Optional<Member> tagged = c.members().stream()
                .filter(m -> !m.name().equals(o.name()) && m.data().tagTrue("clonefrom")
                        && "running".equals(m.data().state()) && m.data().connUrl() != null)
                .findFirst();
        return tagged.isPresent() ? tagged : c.leaderMember().filter(m -> m.data().connUrl() != null);
    }

    private static Decision postgresNotRunning(Observation o) {
        Cluster c = o.cluster();
        PostgresState pg = o.pg();
        if (pg.starting()) {
            return startingUp(o);
        }
        if (c.hasLeader(o.name())) {
            LocalState local = o.local();
            if (local.leaderUntilNanos() != Long.MIN_VALUE && !local.leaseValid(o.now())) {
                return new Decision(new Action.RenewLock(),
                        "not restarting PostgreSQL as primary until the leader lock is renewed");
            }
            boolean failoverPossible = failoverPossible(o);
            long timeout = o.settings().primaryStartTimeoutNanos();
            long downSince = o.local().pgDownSinceNanos();
            if (failoverPossible && timeout == 0) {
                return new Decision(new Action.ReleaseLock(), "stopped PostgreSQL to fail over after a crash");
            }
            if (failoverPossible && downSince != Long.MIN_VALUE && o.now() - downSince > timeout) {
                return new Decision(new Action.ReleaseLock(),
                        "removed leader key after trying and failing to start postgres");
            }
            if (o.settings().dynamic().standbyCluster()) {
                return StandbyLeader.start();
            }
            if (pg.stoppedAsPrimary()) {
                return new Decision(new Action.RestartPrimary(), "starting primary after failure");
            }
            return new Decision(new Action.StartReplica(null), "starting as readonly because i had the session lock");
        }
        Optional<Member> leader = c.leaderMember();
        if (leader.isPresent() && pg.stoppedAsPrimary()) {
            return new Decision(new Action.Rejoin(leader.get()), o.settings().dynamic().usePgRewind()
                    ? "running pg_rewind from " + leader.get().name()
                    : "reinitializing due to diverged timelines");
        }
        return new Decision(new Action.StartReplica(leader.orElse(null)), "starting as a secondary");
    }

    /**
     * PostgreSQL was started without waiting (a start never blocks the loop) and is not accepting connections yet.
     * The lock holder keeps renewing the lock meanwhile, and gives it up if the start outlasts
     * {@code primary_start_timeout} while another member could take over. Anyone else lets a standby start go on,
     * but stops a server that is starting as a primary: the lock was lost during its start, and it must not open
     * for writes (Patroni lets it finish and demotes it a cycle later).
     */
    private static Decision startingUp(Observation o) {
        if (!o.cluster().hasLeader(o.name())) {
            if (!o.pg().inRecovery()) {
                return new Decision(new Action.Demote(true, false), "stopping PostgreSQL, which is starting up as a"
                        + " primary, because I do not hold the leader lock");
            }
            return new Decision(none(), "PostgreSQL is still starting up");
        }
        long downSince = o.local().pgDownSinceNanos();
        long left = downSince == Long.MIN_VALUE ? o.settings().primaryStartTimeoutNanos()
                : downSince + o.settings().primaryStartTimeoutNanos() - o.now();
        if (left > 0) {
            return new Decision(new Action.RenewLock(), String.format("PostgreSQL is still starting up, %d seconds"
                    + " until timeout", Duration.ofNanos(left).toSeconds()));
        }
        if (failoverPossible(o)) {
            return new Decision(new Action.Demote(true, true), "stopped PostgreSQL because of startup timeout");
        }
        return new Decision(new Action.RenewLock(),
                "primary start has timed out, but continuing to wait because failover is not possible");
    }

    private static Decision unlocked(Observation o) {
        Optional<Decision> failsafe = FailsafeRules.holdBackFromRace(o);
        if (failsafe.isPresent()) {
            return failsafe.get();
        }
        Optional<Decision> manual = ManualFailover.replicaSide(o);
        if (manual.isPresent()) {
            return manual.get();
        }
        Optional<String> why = LeaderRace.whyNotHealthiest(o);
        if (why.isEmpty()) {
            return new Decision(new Action.AcquireLock(), "acquiring session lock");
        }
        String reason = "I am not allowed to promote".equals(why.get())
                ? "following a different leader because I am not allowed to promote"
                : "following a different leader because i am not the healthiest node: " + why.get();
        if (o.pg().isPrimary()) {
            return new Decision(new Action.Demote(false, false), "demoting self because i am not the healthiest node: "
                    + why.get());
        }
        return new Decision(none(), reason);
    }

    private static Decision holdingLock(Observation o) {
        LocalState local = o.local();
        if (o.pg().isPrimary()) {
            boolean hadLease = local.leaderUntilNanos() != Long.MIN_VALUE;
            if (hadLease && !local.leaseValid(o.now())) {
                return new Decision(new Action.Demote(true, false),
                        "demoted self because failed to update leader lock in DCS");
            }
            if (o.settings().dynamic().standbyCluster()) {
                return StandbyLeader.holdingLock(o, o.settings().dynamic().standby());
            }
            if (o.longOperation() != null) {
                // nothing that stops or restarts the server (a switchover) until it is done; only keep the lease
                return new Decision(new Action.RenewLock(), "updated leader lock during " + o.longOperation());
            }
            return ManualFailover.leaderSide(o).orElseGet(() -> new Decision(new Action.RenewLock(),
                    "no action. I am (" + o.name() + "), the leader with the lock"));
        }
        if (o.settings().dynamic().standbyCluster()) {
            return StandbyLeader.holdingLock(o, o.settings().dynamic().standby());
        }
        return new Decision(new Action.Promote(), local.justAcquired()
                ? "promoted self to leader by acquiring session lock"
                : "promoted self to leader because I had the session lock");
    }

    private static Decision followOther(Observation o) {
        Cluster c = o.cluster();
        String leaderName = c.leader().name();
        if (o.pg().isPrimary()) {
            return new Decision(new Action.Demote(true, false),
                    "demoting self because I do not have the lock and I was a leader");
        }
        Optional<Member> leader = c.leaderMember();
        LocalState.Divergence diverged = o.local().divergence();
        if (diverged != null && leader.isPresent() && diverged.leader().equals(leaderName)) {
            return new Decision(new Action.Rejoin(leader.get()), o.settings().dynamic().usePgRewind()
                    ? "running pg_rewind from " + leaderName + " (" + diverged.why() + ")"
                    : "reinitializing due to diverged timelines (" + diverged.why() + ")");
        }
        String following = "no action. I am (" + o.name() + "), a secondary, and following a leader (" + leaderName + ")";
        if (leader.isEmpty() || leader.get().data().connUrl() == null) {
            return new Decision(none(), following);
        }
        String target = ConnUrls.hostPort(leader.get().data().connUrl());
        if (target != null && !target.equals(o.pg().upstream())) {
            return new Decision(new Action.Follow(leader.get()), "following a different leader (" + leaderName + ")");
        }
        if (o.settings().dynamic().useSlots() && o.pg().streamsWithoutSlot()) {
            return new Decision(new Action.Follow(leader.get()), "streaming from the leader (" + leaderName
                    + ") without a replication slot: switching to it once it exists there");
        }
        return new Decision(none(), following);
    }

    /**
     * Some other member could take over: a running replica that may be promoted (no {@code nofailover}, priority
     * above 0) and is within {@code maximum_lag_on_failover} of the last published primary position.
     */
    static boolean failoverPossible(Observation o) {
        long optime = o.cluster().status().optime();
        long maxLag = o.settings().dynamic().maximumLagOnFailover();
        return o.cluster().members().stream().anyMatch(m -> !m.name().equals(o.name())
                && "running".equals(m.data().state())
                && m.data().mayFailover()
                && !m.data().isPrimaryRole()
                && SyncPlanner.mayPromote(o.settings().dynamic().sync(), o.cluster().sync(), m.name())
                && (optime == 0 || m.data().xlogLocation() == null || optime - m.data().xlogLocation() <= maxLag))
                && (!QuorumVotes.applies(o) || QuorumVotes.failoverPossible(o));
    }


    private static Action none() {
        return new Action.NoAction();
    }
}
