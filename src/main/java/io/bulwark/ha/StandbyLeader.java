package io.bulwark.ha;

import io.bulwark.config.StandbyClusterConfig;

import java.util.Objects;

/**
 * The decisions of the lock holder of a standby cluster (reference §6), as pure functions. A standby leader holds
 * the leader key and keeps its PostgreSQL in recovery following the remote site named by {@code standby_cluster}; it
 * never promotes, so a standby cluster never has a writable primary. The other members cascade from it with the
 * ordinary follow logic, and a member that takes the lock after it fails becomes the standby leader in turn.
 *
 * <p>Demote-cluster: a primary holding the lock when {@code standby_cluster} appears is stopped cleanly (fast
 * shutdown, after a CHECKPOINT) and started again in recovery following the remote. Its shutdown checkpoint is the
 * end of its WAL, and PostgreSQL's walsenders send everything up to it before they exit, so a standby of the remote
 * site that was streaming from it has every acknowledged commit. The lock is kept meanwhile: no member of this site
 * can take over and promote while the demotion runs.
 */
final class StandbyLeader {
    private StandbyLeader() {
    }

    /** We hold the lock in a standby cluster and PostgreSQL runs. */
    static Decision holdingLock(Observation o, StandbyClusterConfig remote) {
        if (o.pg().isPrimary()) {
            if (o.longOperation() != null) {
                return new Decision(new Action.RenewLock(), "updated leader lock during " + o.longOperation()
                        + "; demoting to a standby leader afterwards");
            }
            return new Decision(new Action.DemoteToStandbyLeader(), "demoting self to a standby leader because"
                    + " standby_cluster is configured (following " + describe(remote) + ")");
        }
        if (!Objects.equals(o.pg().upstream(), remote.hostPort())) {
            return new Decision(new Action.FollowRemote(), o.local().justAcquired()
                    ? "promoted self to a standby leader by acquiring session lock"
                    : "following the remote primary " + describe(remote) + " as the standby leader");
        }
        return new Decision(new Action.RenewLock(), "no action. I am (" + o.name()
                + "), the standby leader with the lock");
    }

    /** We hold the lock in a standby cluster and PostgreSQL is stopped (after a crash, or mid demote-cluster). */
    static Decision start() {
        return new Decision(new Action.FollowRemote(), "starting as a standby leader because i had the session lock");
    }

    /** Nobody holds the lock, the cluster has no initialize key and our data directory is empty. */
    static Decision bootstrap(Observation o) {
        if (!o.settings().tags().canFailover()) {
            return new Decision(new Action.NoAction(), "waiting for standby_leader to bootstrap");
        }
        return new Decision(new Action.BootstrapStandbyLeader(), "trying to bootstrap a new standby leader");
    }

    static String describe(StandbyClusterConfig remote) {
        return remote.host() == null ? "(archive only: restore_command)" : remote.hostPort();
    }
}
