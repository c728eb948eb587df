package io.bulwark.postgres;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A server's timeline history (the {@code <tli>.history} file, as {@code TIMELINE_HISTORY} returns it) and the
 * divergence rule of reference §2.6 for a running replica. Pure.
 *
 * <p>The rule (Patroni's {@code _check_timeline_and_lsn}, replica branch): on the leader's timeline, nothing to
 * do; on a newer timeline than the leader's, diverged; on an older one, find where the leader's history left our
 * timeline (the switchpoint): a replica that replayed past it holds WAL the leader never had, so it cannot follow
 * without pg_rewind; one at or before it just follows the timeline switch. A timeline the leader's history does
 * not pass through at all is diverged.
 */
final class TimelineHistory {
    /** One line: {@code parentTimeline} ended at {@code switchpoint} (bytes), when the next timeline began. */
    record Line(int parentTimeline, long switchpoint, String reason) {
    }

    private TimelineHistory() {
    }

    /** Parses "tli TAB lsn TAB reason" lines; comments and blank or malformed lines are skipped. */
    static List<Line> parse(String text) {
        List<Line> out = new ArrayList<>();
        for (String raw : text.split("\n")) {
            String line = raw.trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\\s+", 3);
            if (f.length < 2 || !f[0].matches("\\d+") || !f[1].matches("[0-9A-Fa-f]{1,8}/[0-9A-Fa-f]{1,8}")) {
                continue;
            }
            String[] lsn = f[1].split("/");
            out.add(new Line(Integer.parseInt(f[0]), (Long.parseLong(lsn[0], 16) << 32) | Long.parseLong(lsn[1], 16),
                    f.length > 2 ? f[2].trim() : ""));
        }
        return out;
    }

    /**
     * Why a replica on {@code localTimeline}, replayed up to {@code replayLsn}, cannot follow a leader on
     * {@code leaderTimeline} with {@code leaderHistory}; empty when it can.
     */
    static Optional<String> replicaDivergence(int localTimeline, long replayLsn, int leaderTimeline,
                                              List<Line> leaderHistory) {
        if (localTimeline == leaderTimeline) {
            return Optional.empty();
        }
        if (localTimeline > leaderTimeline) {
            return Optional.of("local timeline " + localTimeline + " is newer than the leader's " + leaderTimeline);
        }
        for (Line line : leaderHistory) {
            if (line.parentTimeline() == localTimeline) {
                if (replayLsn > line.switchpoint()) {
                    return Optional.of("replayed " + Slots.lsnText(replayLsn) + " on timeline " + localTimeline
                            + ", past the leader's switch to timeline " + (localTimeline + 1) + " at "
                            + Slots.lsnText(line.switchpoint()));
                }
                return Optional.empty();
            }
            if (line.parentTimeline() > localTimeline) {
                break;
            }
        }
        return Optional.of("local timeline " + localTimeline + " is not in the leader's history of timeline "
                + leaderTimeline);
    }
}
