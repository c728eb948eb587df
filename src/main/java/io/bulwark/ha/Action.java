package io.bulwark.ha;

import io.bulwark.dcs.Member;

/**
 * What one HA cycle does. The executor switches over these exhaustively, so a new action cannot be forgotten.
 * Every action is safe to repeat after a crash between its steps.
 */
public sealed interface Action {

    /** Nothing to do (waiting, healthy replica, DCS unreachable). */
    record NoAction() implements Action {
    }

    /** Nothing to do yet, but look again in a moment (a failover candidate catching up on WAL). */
    record WaitBriefly() implements Action {
    }

    /** Clear the {@code failover} key (write {@code {}} with a compare on its version). */
    record ClearFailover() implements Action {
    }

    /** Leader with a healthy primary: keep the lease alive and publish our position. */
    record RenewLock() implements Action {
    }

    /** Race for the initialize key; the winner runs initdb, publishes the system id and takes the lock. */
    record Bootstrap() implements Action {
    }

    /**
     * Standby cluster, no cluster yet: race for the initialize key; the winner clones the remote site
     * ({@code standby_cluster} host:port), publishes the system id, takes the lock and starts as the standby leader.
     */
    record BootstrapStandbyLeader() implements Action {
    }

    /**
     * We hold the lock in a standby cluster: renew it, then start the stopped server, or re-point the running
     * standby, as the standby leader following the remote site. Never promotes.
     */
    record FollowRemote() implements Action {
    }

    /**
     * We hold the lock as a primary and {@code standby_cluster} was added (demote-cluster): CHECKPOINT, renew, stop
     * cleanly (the shutdown checkpoint ends our WAL and reaches the streaming standbys), then start in recovery as
     * the standby leader following the remote site. The lock is kept throughout.
     */
    record DemoteToStandbyLeader() implements Action {
    }

    /** Empty data directory and a cluster exists: pg_basebackup from {@code source}, then start as replica. */
    record CloneFrom(Member source) implements Action {
    }

    /** Start the stopped server as a replica of {@code upstream} ({@code null}: standby with no upstream). */
    record StartReplica(Member upstream) implements Action {
    }

    /** We hold the lock and our primary crashed: start it again in place, as primary. */
    record RestartPrimary() implements Action {
    }

    /** A stopped former primary joins {@code leader}: pg_rewind (or a fresh clone), then start as replica. */
    record Rejoin(Member leader) implements Action {
    }

    /**
     * Failsafe mode, DCS unreachable: every member accepted our {@code POST /failsafe} sent at {@code sentNanos};
     * keep running as primary until {@code sentNanos} + ttl minus the safety margin (never shortening a later
     * deadline, never reviving an expired one).
     */
    record KeepPrimaryByFailsafe(long sentNanos) implements Action {
    }

    /** Take the leader key (create-if-absent); on success the loop re-decides at once. */
    record AcquireLock() implements Action {
    }

    /** We hold the lock and run as replica: renew the lock, then promote. */
    record Promote() implements Action {
    }

    /**
     * Stop being primary. {@code immediate}: stop -m immediate (the lock is lost or about to expire);
     * otherwise a fast, checkpointed stop. {@code releaseLock}: delete the leader key afterwards, publishing our
     * last position first (a graceful demotion, as for a switchover, also runs a CHECKPOINT before stopping).
     */
    record Demote(boolean immediate, boolean releaseLock) implements Action {
    }

    /** A running replica points at the wrong upstream: re-point it at {@code leader}. */
    record Follow(Member leader) implements Action {
    }

    /** We hold the lock but PostgreSQL cannot serve as primary: delete the key so others can race. */
    record ReleaseLock() implements Action {
    }

    /** The agent is stopping: stop PostgreSQL cleanly; a leader then deletes its key. */
    record Shutdown(boolean releaseLock) implements Action {
    }
}
