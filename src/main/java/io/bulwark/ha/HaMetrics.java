package io.bulwark.ha;

/**
 * Timings of the HA loop for {@code GET /metrics} (Bulwark's own metrics beside Patroni's).
 *
 * @param dcsReadNanos             how long the last cluster read from the DCS took (-1 until known)
 * @param lastRoleChangeEpochMillis wall-clock time of the last change of our role (0 if none yet)
 * @param lastRoleChangeNanos      how long that change took: from the start of the cycle that began it to the
 *                                 moment the new role was published (-1 if none yet)
 * @param lastRoleChange           e.g. {@code replica -> primary}, or {@code null}
 */
public record HaMetrics(long dcsReadNanos, long lastRoleChangeEpochMillis, long lastRoleChangeNanos,
                        String lastRoleChange) {
    public static final HaMetrics NONE = new HaMetrics(-1, 0, -1, null);
}
