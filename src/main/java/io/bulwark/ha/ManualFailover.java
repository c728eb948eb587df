package io.bulwark.ha;

import io.bulwark.dcs.Cluster;
import io.bulwark.dcs.Failover;
import io.bulwark.dcs.Member;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Switchover and manual failover through the {@code failover} key (reference §2.8), as pure rules. The leader
 * steps down (checkpoint, fast stop, explicit release) once a healthy candidate exists; the named candidate then
 * takes the free lock at once. For a switchover the candidate first waits until it has received the former
 * leader's last published position, so no acknowledged commit is lost; a manual failover (no {@code leader} in
 * the key) does not wait, as in Patroni.
 */
final class ManualFailover {
    private ManualFailover() {
    }

    /** The leader's side; empty when there is no request to act on. */
    static Optional<Decision> leaderSide(Observation o) {
        Failover f = o.cluster().failover();
        if (f == null || f.isEmpty()) {
            return Optional.empty();
        }
        String me = o.name();
        if (f.leader() != null && !f.leader().equals(me)) {
            return clear("Cleaning up failover key: it names " + f.leader() + " as the leader");
        }
        if (f.scheduledAt() != null) {
            Instant at = f.scheduledAt().toInstant();
            Duration loopWait = Duration.ofSeconds(o.settings().dynamic().loopWait());
            if (at.isBefore(o.wallNow().minus(loopWait.multipliedBy(3).dividedBy(2)))) {
                return clear("Found a stale switchover value, cleaning up: " + f.scheduledAt());
            }
            if (at.isAfter(o.wallNow())) {
                long secs = Duration.between(o.wallNow(), at).toSeconds();
                return Optional.of(new Decision(new Action.RenewLock(),
                        "Awaiting switchover at " + f.scheduledAt() + " (in " + secs + " seconds)"));
            }
        }
        if (me.equals(f.candidate())) {
            return clear("Cleaning up failover key: the candidate " + me + " is already the leader");
        }
        String kind = f.leader() != null ? "switchover" : "manual failover";
        Optional<Member> target = healthyCandidate(o, f.candidate());
        if (target.isEmpty()) {
            return clear(kind + ": no healthy candidate"
                    + (f.candidate() == null ? "" : " (" + f.candidate() + " is not running, may not be promoted or lags)")
                    + "; cleaning up the failover key");
        }
        return Optional.of(new Decision(new Action.Demote(false, true), kind + ": demoting myself"));
    }

    /** A member's side while the lock is free; empty when the normal leader race applies. */
    static Optional<Decision> replicaSide(Observation o) {
        Failover f = o.cluster().failover();
        if (f == null || f.isEmpty() || f.candidate() == null || !o.pg().running() || o.pg().isPrimary()) {
            return Optional.empty();
        }
        if (f.candidate().equals(o.name())) {
            long optime = o.cluster().status().optime();
            long mine = o.pg().walPosition();
            if (f.leader() != null && optime > mine) {
                return Optional.of(new Decision(new Action.WaitBriefly(), "waiting to receive WAL up to the former "
                        + "leader's last position before taking over (" + (optime - mine) + " bytes to go)"));
            }
            return Optional.of(new Decision(new Action.AcquireLock(), "acquiring session lock as the failover candidate"));
        }
        Optional<Member> candidate = o.cluster().member(f.candidate());
        if (candidate.isPresent() && "running".equals(candidate.get().data().state())) {
            return Optional.of(new Decision(new Action.NoAction(),
                    "following a different leader because i am not the healthiest node: a failover to "
                            + f.candidate() + " is in progress"));
        }
        return Optional.empty();
    }

    /**
     * A running replica that may be promoted and is within {@code maximum_lag_on_failover} of our position:
     * the named one, or any when none is named.
     */
    private static Optional<Member> healthyCandidate(Observation o, String named) {
        Cluster c = o.cluster();
        long maxLag = o.settings().dynamic().maximumLagOnFailover();
        long mine = o.pg().walPosition();
        return c.members().stream()
                .filter(m -> !m.name().equals(o.name()))
                .filter(m -> named == null || m.name().equals(named))
                .filter(m -> "running".equals(m.data().state()) && !m.data().isPrimaryRole())
                .filter(m -> m.data().mayFailover())
                .filter(m -> m.data().xlogLocation() != null && mine - m.data().xlogLocation() <= maxLag)
                .filter(m -> SyncPlanner.mayPromote(o.settings().dynamic().sync(), c.sync(), m.name()))
                .findFirst();
    }

    private static Optional<Decision> clear(String reason) {
        return Optional.of(new Decision(new Action.ClearFailover(), reason));
    }
}
