package io.bulwark.ha;

import io.bulwark.dcs.ClusterStatus;
import io.bulwark.dcs.Dcs;
import io.bulwark.dcs.DcsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.LongConsumer;

/**
 * Keeps the leader lock while {@code pre_promote} runs, as Patroni does (its script runs on the async executor
 * while the loop goes on renewing): polled about once a second by the waiting side, it renews the lock every
 * {@code loop_wait} and says to give up (the script is killed, the promotion cancelled) once the lock is lost or
 * cannot be renewed before it expires. Each renewal's deadline reaches the fence at once, so the fence never
 * stops a replica whose script is still running under a valid lease.
 */
final class PrePromoteLease {
    private static final Logger log = LoggerFactory.getLogger(PrePromoteLease.class);

    private final Dcs dcs;
    private final Clock clock;
    private final Observation o;
    private final LongConsumer leaderKeyWritten;
    private long until;
    private long lastRenewal;

    PrePromoteLease(Dcs dcs, Clock clock, Observation o, long until, LongConsumer leaderKeyWritten) {
        this.dcs = dcs;
        this.clock = clock;
        this.o = o;
        this.until = until;
        this.lastRenewal = clock.nanoTime();
        this.leaderKeyWritten = leaderKeyWritten;
    }

    /** True while the script may go on: the lock is ours and valid (renewed here when due). */
    boolean keep() {
        long now = clock.nanoTime();
        if (now - lastRenewal >= o.settings().dynamic().loopWait() * 1_000_000_000L) {
            try {
                if (!dcs.updateLeader(new ClusterStatus(o.pg().walPosition(), null, null))) {
                    log.warn("lost the leader lock while the pre_promote script ran");
                    return false;
                }
                lastRenewal = now;
                until = now + o.settings().ttlNanos() - o.settings().safetyMarginNanos();
                leaderKeyWritten.accept(until);
            } catch (DcsException e) {
                log.warn("could not renew the leader lock while the pre_promote script ran: {}", e.getMessage());
            }
        }
        return clock.nanoTime() - until < 0;
    }

    /** The leadership deadline after the last renewal. */
    long until() {
        return until;
    }
}
