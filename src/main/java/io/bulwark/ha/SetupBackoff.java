package io.bulwark.ha;

import java.time.Duration;
import java.util.Optional;

/**
 * Exponential backoff between failed attempts to set up a data directory (bootstrap a new cluster or clone from a
 * member). Each failed attempt leaves a moved-aside directory or a partial copy and load on the source; retried
 * every loop_wait, a bootstrap that cannot succeed (a bad {@code initdb} option, a full disk) left ~40 MB a second.
 * The first retry waits {@code loop_wait}, each further one twice as long, at most {@link #MAX}; a success resets it.
 * Synchronized: a clone runs beside the HA loop ({@link LongOperations}) and reports its failure from there.
 */
final class SetupBackoff {
    static final Duration MAX = Duration.ofMinutes(5);

    private int failures;
    private long notBeforeNanos;

    /** Empty when an attempt may start now; otherwise what we are waiting for. */
    synchronized Optional<String> holdOff(String what, long nowNanos) {
        if (failures == 0 || nowNanos - notBeforeNanos >= 0) {
            return Optional.empty();
        }
        long left = (notBeforeNanos - nowNanos + 999_999_999L) / 1_000_000_000L;
        return Optional.of(String.format("not retrying to %s for %d more seconds: %d attempt%s failed in a row",
                what, left, failures, failures == 1 ? "" : "s"));
    }

    /** Records a failed attempt; returns the wait before the next one. */
    synchronized Duration failed(long nowNanos, Duration loopWait) {
        failures++;
        Duration wait = loopWait.isZero() || loopWait.isNegative() ? Duration.ofSeconds(1) : loopWait;
        for (int i = 1; i < failures && wait.compareTo(MAX) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        if (wait.compareTo(MAX) > 0) {
            wait = MAX;
        }
        notBeforeNanos = nowNanos + wait.toNanos();
        return wait;
    }

    synchronized void succeeded() {
        failures = 0;
    }

    synchronized int failures() {
        return failures;
    }
}
