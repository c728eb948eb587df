package io.bulwark.ha;

import io.bulwark.dcs.Member;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Starts the copy of the leader's permanent logical slots to this running replica ({@link PostgresControl#copyLogicalSlots})
 * beside the loop ({@link LongOperations}): the copy restarts the replica, which must not hold up the member key.
 * Attempts that restarted the replica are spaced by {@link #retryAfter}, so a copy that did not take is never
 * retried in a restart loop; an attempt that copied nothing (the leader's slot still needs WAL older than this
 * replica has, wal_level is not logical here, the leader did not answer) restarted nothing and is retried after
 * {@link #NOTHING_COPIED_RETRY}.
 */
final class LogicalSlotCopier {
    private static final Logger log = LoggerFactory.getLogger(LogicalSlotCopier.class);
    static final Duration MIN_RETRY = Duration.ofSeconds(60);
    static final Duration NOTHING_COPIED_RETRY = Duration.ofSeconds(10);

    private final PostgresControl pg;
    private final Clock clock;
    private final LongOperations longOperations;
    /** Clock reading before which no copy starts (the first may start at once); set by the operation's thread too. */
    private volatile long nextAttemptNanos;

    LogicalSlotCopier(PostgresControl pg, Clock clock, LongOperations longOperations) {
        this.pg = pg;
        this.clock = clock;
        this.longOperations = longOperations;
        this.nextAttemptNanos = clock.nanoTime();
    }

    /** The pause between two attempts: a minute, or ten HA cycles when that is longer. */
    static Duration retryAfter(Observation o) {
        Duration tenCycles = Executor.loopWait(o).multipliedBy(10);
        return tenCycles.compareTo(MIN_RETRY) > 0 ? tenCycles : MIN_RETRY;
    }

    /** Starts a copy of {@code missing} from the leader when due; returns whether one was started. */
    boolean consider(Observation o, List<String> missing) {
        long now = clock.nanoTime();
        Optional<Member> leader = o.cluster().leaderMember();
        if (missing.isEmpty() || leader.isEmpty() || now - nextAttemptNanos < 0 || longOperations.running() != null) {
            return false;
        }
        nextAttemptNanos = now + retryAfter(o).toNanos();
        String url = leader.get().data().connUrl();
        String host = ConnUrls.host(url);
        int port = ConnUrls.port(url);
        String what = "copy of logical slots " + missing + " from '" + leader.get().name() + "'";
        return longOperations.start(what, () -> {
            List<String> copied = pg.copyLogicalSlots(host, port, missing);
            if (copied.isEmpty()) {
                nextAttemptNanos = clock.nanoTime() + NOTHING_COPIED_RETRY.toNanos();
            } else if (!copied.containsAll(missing)) {
                log.warn("logical slots {} not copied from '{}'; next attempt in {} s at the earliest",
                        missing.stream().filter(n -> !copied.contains(n)).toList(), leader.get().name(),
                        retryAfter(o).toSeconds());
            }
        });
    }
}
