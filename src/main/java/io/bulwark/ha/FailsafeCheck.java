package io.bulwark.ha;

import java.util.List;

/**
 * One round of {@code POST /failsafe} calls by a primary that cannot reach the DCS.
 *
 * @param sentNanos when the calls were sent (monotonic): a member that accepted did so after this instant, so it
 *                  holds back from racing until at least this instant + ttl
 * @param refused   members of the {@code failsafe} key that did not accept in time (sorted)
 * @param problem   why no round could be run ({@code null} when it ran): no usable {@code failsafe} key, or we
 *                  are not in it (Patroni's rule: then we must not stay primary)
 */
public record FailsafeCheck(long sentNanos, List<String> refused, String problem) {
    public FailsafeCheck {
        refused = List.copyOf(refused);
    }

    static FailsafeCheck impossible(long now, String problem) {
        return new FailsafeCheck(now, List.of(), problem);
    }

    public boolean allAccepted() {
        return problem == null && refused.isEmpty();
    }

    /** Why we may not stay primary, for the cycle's sentence. */
    String whyNot() {
        return problem != null ? problem : "no acknowledgment from " + String.join(", ", refused);
    }
}
