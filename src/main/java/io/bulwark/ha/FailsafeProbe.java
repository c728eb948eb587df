package io.bulwark.ha;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

/** Sends {@code POST /failsafe} to the other members in parallel (the leader, while the DCS is unreachable). */
@FunctionalInterface
public interface FailsafeProbe {
    /**
     * @param apiUrls member name to {@code api_url} (as published, usually ending in {@code /patroni})
     * @param timeout for the whole round; a member that has not answered by then has not accepted
     * @return the names of the members that answered 200 {@code Accepted} within {@code timeout}
     */
    Set<String> ask(Map<String, String> apiUrls, FailsafeCall call, Duration timeout);
}
