package io.bulwark.ha;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The decisions failsafe mode adds (pure; see {@link Failsafe} and docs/safety.md).
 *
 * <p>A primary that cannot reach the DCS stays primary only while every member of the {@code failsafe} key has
 * accepted its {@code POST /failsafe}, and only up to the send time of that round + ttl minus the safety margin.
 * When a round is not accepted by all, it demotes at once, as Patroni does (without failsafe mode it would serve
 * out its lease; with it, the round has already spent part of the lease and the loop may be blocked in DCS calls
 * when the lease ends, leaving only the fence to stop PostgreSQL). A member that accepted holds back from the leader race for ttl after it did. A member that is not in a non-empty
 * {@code failsafe} key never races (Patroni's rule: the leader did not ask it, so it cannot vouch that the primary
 * is gone).
 */
final class FailsafeRules {
    private FailsafeRules() {
    }

    /** Primary, DCS unreachable: keep running when the round this cycle was accepted by every member. */
    static Optional<Decision> primaryWithoutDcs(Observation o) {
        FailsafeCheck check = o.failsafe().check();
        if (!o.settings().dynamic().failsafeMode() || check == null || !check.allAccepted()
                || !o.local().leaseValid(o.now())) {
            return Optional.empty();
        }
        return Optional.of(new Decision(new Action.KeepPrimaryByFailsafe(check.sentNanos()),
                "continue to run as a leader because failsafe mode is enabled and all members are accessible"));
    }

    /**
     * Why a round this cycle did not keep the primary, appended to its demotion sentence; "" when no round ran (or
     * failsafe mode is off), and then the primary serves out its lease as without failsafe mode.
     */
    static String whyNotKept(Observation o) {
        FailsafeCheck check = o.failsafe().check();
        return !o.settings().dynamic().failsafeMode() || check == null || check.allAccepted() ? ""
                : " (failsafe mode: " + check.whyNot() + ")";
    }

    /** No leader key: a replica that must not race because of failsafe mode, and why. */
    static Optional<Decision> holdBackFromRace(Observation o) {
        if (!o.settings().dynamic().failsafeMode() || o.pg().isPrimary()) {
            return Optional.empty();
        }
        FailsafeTrust trust = o.failsafe().trust();
        if (trust != null && !trust.primary().name().equals(o.name()) && trust.holds(o.now(), o.settings().ttlNanos())) {
            long ago = Duration.ofNanos(o.now() - trust.receivedNanos()).toMillis();
            return Optional.of(new Decision(new Action.NoAction(), "following the primary (" + trust.primary().name()
                    + ") that runs in failsafe mode: not racing for the leader key (its last failsafe call was "
                    + ago + " ms ago)"));
        }
        Map<String, String> topology = o.cluster().failsafe();
        if (topology != null && !topology.isEmpty() && !topology.containsKey(o.name())) {
            return Optional.of(new Decision(new Action.NoAction(), "following a different leader because I am not"
                    + " listed in the failsafe key"));
        }
        return Optional.empty();
    }
}
