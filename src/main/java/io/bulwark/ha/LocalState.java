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
 * @param divergence          our running replica was found diverged from this leader's timeline (see
 *                            {@link TimelineWatch}), or {@code null}
 */
public record LocalState(long leaderUntilNanos, long pgDownSinceNanos, boolean justAcquired, Divergence divergence) {

    public static final LocalState INITIAL = new LocalState(Long.MIN_VALUE, Long.MIN_VALUE, false, null);

    /** The running replica cannot follow {@code leader}: {@code why}. */
    public record Divergence(String leader, String why) {
    }

    public LocalState(long leaderUntilNanos, long pgDownSinceNanos, boolean justAcquired) {
        this(leaderUntilNanos, pgDownSinceNanos, justAcquired, null);
    }

    public LocalState withDivergence(Divergence d) {
        return new LocalState(leaderUntilNanos, pgDownSinceNanos, justAcquired, d);
    }

    public boolean leaseValid(long now) {
        return leaderUntilNanos != Long.MIN_VALUE && now - leaderUntilNanos < 0;
    }

    public LocalState withLeaderUntil(long until) {
        return new LocalState(until, pgDownSinceNanos, justAcquired, divergence);
    }

    public LocalState notLeader() {
        return new LocalState(Long.MIN_VALUE, Long.MIN_VALUE, false, divergence);
    }

    public LocalState withPgDownSince(long since) {
        return new LocalState(leaderUntilNanos, since, justAcquired, divergence);
    }

    public LocalState withJustAcquired(boolean acquired) {
        return new LocalState(leaderUntilNanos, pgDownSinceNanos, acquired, divergence);
    }

}
