package io.bulwark.ha;

import io.bulwark.dcs.Dcs;
import io.bulwark.dcs.DcsException;
import io.bulwark.dcs.FailsafeCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The executor's failsafe-mode steps: keeping leadership on the members' acknowledgments, the round run right
 * after a failed renewal, and the leader's upkeep of the {@code failsafe} key.
 */
final class FailsafeSteps {
    private static final Logger log = LoggerFactory.getLogger(FailsafeSteps.class);

    private final Dcs dcs;
    private final Clock clock;
    /** Failsafe mode's topology and calls; {@code null}: not wired (tests), failsafe mode then never keeps us. */
    private final Failsafe failsafe;
    private final BiFunction<LocalState, Long, LocalState> leading;
    private final BiFunction<Decision, Observation, Outcome> execute;

    FailsafeSteps(Dcs dcs, Clock clock, Failsafe failsafe, BiFunction<LocalState, Long, LocalState> leading,
                  BiFunction<Decision, Observation, Outcome> execute) {
        this.dcs = dcs;
        this.clock = clock;
        this.failsafe = failsafe;
        this.leading = leading;
        this.execute = execute;
    }

    /**
     * The renewal just failed (the DCS view of this cycle came from the watched cache, so the decision was an
     * ordinary renewal): with failsafe mode on, run the {@code POST /failsafe} round now rather than a cycle later,
     * when a hung DCS may already have eaten the rest of the lease, and let {@link HaDecider} decide as if the DCS
     * read had failed (keep the primary, or demote it).
     */
    Optional<Outcome> afterFailedRenewal(Observation o, LocalState local, String failed) {
        if (failsafe == null || !o.settings().dynamic().failsafeMode() || !o.pg().isPrimary()) {
            return Optional.empty();
        }
        long now = clock.nanoTime();
        FailsafeCheck check = failsafe.check(o.cluster().failsafe(),
                Failsafe.timeout(o.settings(), local.leaderUntilNanos(), now));
        Observation lost = o.withoutDcs(failed, new FailsafeView(check, o.failsafe().trust()));
        Decision next = HaDecider.decide(lost);
        Outcome done = execute.apply(next, lost);
        String said = done.reason() != null ? done.reason() : next.reason();
        return Optional.of(new Outcome(done.local(), done.reobserve(), failed + "; " + said,
                done.retrySoon() || next.action() instanceof Action.NoAction));
    }

    /** Every member accepted our failsafe call sent at {@code sent}: extend leadership, if it has not expired. */
    Outcome keep(Observation o, long sent, LocalState local, String reason) {
        if (!local.leaseValid(clock.nanoTime())) {
            return new Outcome(local, false, "the leader lock expired before the members' failsafe acknowledgments"
                    + " arrived", true);
        }
        long until = Executor.deadline(o, sent);
        LocalState kept = until - local.leaderUntilNanos() > 0 ? leading.apply(local, until) : local;
        if (failsafe != null) {
            failsafe.keptUntil(kept.leaderUntilNanos());
        }
        return new Outcome(kept, false, reason, false);
    }

    /**
     * The leader keeps the {@code failsafe} key equal to the members it must ask while the DCS is down, and
     * deletes it when failsafe mode is off (bookkeeping: a failure is logged and retried next cycle).
     */
    void publishTopology(Observation o) {
        if (failsafe == null) {
            return;
        }
        try {
            if (o.settings().dynamic().failsafeMode()) {
                Map<String, String> wanted = failsafe.topology(o.cluster());
                if (!wanted.equals(o.cluster().failsafe())) {
                    dcs.setFailsafe(FailsafeCodec.encode(wanted));
                }
            } else if (o.cluster().failsafe() != null) {
                dcs.setFailsafe(null);
            }
        } catch (DcsException e) {
            log.warn("could not update the failsafe key: {}", e.getMessage());
        }
    }
}
