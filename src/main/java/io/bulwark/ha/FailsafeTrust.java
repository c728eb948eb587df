package io.bulwark.ha;

/**
 * What a member remembers of the last {@code POST /failsafe} it accepted: the primary that runs without the DCS.
 * For ttl seconds after {@code receivedNanos} (our monotonic clock) the member does not race for the leader key.
 */
public record FailsafeTrust(FailsafeCall primary, long receivedNanos) {

    /** Still within ttl of the call at {@code now}. */
    public boolean holds(long now, long ttlNanos) {
        return now - receivedNanos < ttlNanos;
    }
}
