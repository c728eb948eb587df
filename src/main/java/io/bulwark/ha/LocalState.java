package io.bulwark.ha;

/**
 * What the HA loop remembers between cycles: the only mutable knowledge outside the DCS and PostgreSQL,
 * carried as a value and replaced after each action.
 *
 * @param leaderUntilNanos    we may act as primary until this monotonic instant: the send time of the last
 *                            successful renewal + ttl - safety margin; {@link Long#MIN_VALUE} when not leader
 * @param pgDownSinceNanos    when we first saw our PostgreSQL down while holding the lock (crash handling),
 *                            {@link Long#MIN_VALUE} when it is up
 * @param justAcquired        the lock was taken by this process in the current cycle (wording only)
 * @param raceBackoffUntilNanos no leader race before this monotonic instant: we released the lock because the
 *                            {@code pre_promote} script failed (Patroni backs off for ttl, so another member may
 *                            take over); {@link Long#MIN_VALUE} when none
 * @param divergence          our running replica was found diverged from this leader's timeline (see
 *                            {@link TimelineWatch}), or {@code null}
 */
public record LocalState(long leaderUntilNanos, long pgDownSinceNanos, boolean justAcquired,
                         long raceBackoffUntilNanos, Divergence divergence) {

    public static final LocalState INITIAL = new LocalState(Long.MIN_VALUE, Long.MIN_VALUE, false, Long.MIN_VALUE,
            null);

    /** The running replica cannot follow {@code leader}: {@code why}. */
    public record Divergence(String leader, String why) {
    }

    public LocalState(long leaderUntilNanos, long pgDownSinceNanos, boolean justAcquired) {
        this(leaderUntilNanos, pgDownSinceNanos, justAcquired, Long.MIN_VALUE, null);
    }

    /** Whether the leader race is still held off after a failed {@code pre_promote}. */
    public boolean raceBackoff(long now) {
        return raceBackoffUntilNanos != Long.MIN_VALUE && now - raceBackoffUntilNanos < 0;
    }

    public LocalState withRaceBackoffUntil(long until) {
        return new LocalState(leaderUntilNanos, pgDownSinceNanos, justAcquired, until, divergence);
    }

    public LocalState withDivergence(Divergence d) {
        return new LocalState(leaderUntilNanos, pgDownSinceNanos, justAcquired, raceBackoffUntilNanos, d);
    }

    public boolean leaseValid(long now) {
        return leaderUntilNanos != Long.MIN_VALUE && now - leaderUntilNanos < 0;
    }

    public LocalState withLeaderUntil(long until) {
        return new LocalState(until, pgDownSinceNanos, justAcquired, raceBackoffUntilNanos, divergence);
    }

    public LocalState notLeader() {
        return new LocalState(Long.MIN_VALUE, Long.MIN_VALUE, false, raceBackoffUntilNanos, divergence);
    }

    public LocalState withPgDownSince(long since) {
        return new LocalState(leaderUntilNanos, since, justAcquired, raceBackoffUntilNanos, divergence);
    }

    public LocalState withJustAcquired(boolean acquired) {
        return new LocalState(leaderUntilNanos, pgDownSinceNanos, acquired, raceBackoffUntilNanos, divergence);
    }

}
