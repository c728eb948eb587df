package io.bulwark.ha;

import io.bulwark.dcs.Failover;

/**
 * Maintenance mode ({@code pause: true} in the dynamic configuration, reference §2.11): the lock and member key
 * are still refreshed, but nothing starts, stops, promotes, demotes, clones or rewinds PostgreSQL on its own. A
 * switchover to a named candidate still works. Sentences get Patroni's {@code PAUSE: } prefix.
 */
final class Pause {
    private Pause() {
    }

    static boolean paused(Observation o) {
        Object v = o.settings().dynamic().raw().get("pause");
        return v instanceof Boolean b ? b : v != null && "true".equalsIgnoreCase(v.toString());
    }

    /** The decision as maintenance mode allows it. */
    static Decision apply(Observation o, Decision d) {
        if (!paused(o)) {
            return d;
        }
        boolean manual = namedCandidate(o);
        Action a = d.action();
        boolean allowed = switch (a) {
            case Action.NoAction n -> true;
            case Action.WaitBriefly w -> true;
            case Action.RenewLock r -> true;
            case Action.KeepPrimaryByFailsafe k -> true;
            case Action.ClearFailover c -> true;
            case Action.Follow f -> true;
            case Action.ReleaseLock r -> true;
            case Action.AcquireLock l -> o.pg().isPrimary() || manual;
            case Action.Promote p -> manual;
            case Action.Demote dm -> manual && !dm.immediate();
            case Action.Shutdown s -> true;
            case Action.Bootstrap b -> false;
            case Action.CloneFrom c -> false;
            case Action.StartReplica s -> false;
            case Action.RestartPrimary r -> false;
            case Action.Rejoin r -> false;
            case Action.BootstrapStandbyLeader b -> false;
            case Action.FollowRemote f -> o.pg().running(); // a renewal and a re-point, as Follow
            case Action.DemoteToStandbyLeader ds -> false;
        };
        if (a instanceof Action.Shutdown) {
            return new Decision(new Action.Shutdown(false), "PAUSE: " + d.reason() + " (PostgreSQL left running)");
        }
        if (allowed) {
            return new Decision(a, "PAUSE: " + d.reason());
        }
        return new Decision(o.iHoldLockInDcs() && o.pg().isPrimary() ? new Action.RenewLock() : new Action.NoAction(),
                "PAUSE: no action, would have: " + d.reason());
    }

    private static boolean namedCandidate(Observation o) {
        Failover f = o.cluster() == null ? null : o.cluster().failover();
        return f != null && f.candidate() != null;
    }
}
