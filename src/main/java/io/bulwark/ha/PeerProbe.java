package io.bulwark.ha;

import java.time.Duration;
import java.util.Map;

/** Asks other members for their state ({@code GET /patroni}) in parallel during the leader race. */
@FunctionalInterface
public interface PeerProbe {
    /**
     * @param apiUrls member name to {@code api_url}
     * @return answers of the members that answered within {@code timeout}
     */
    Map<String, PeerView> probe(Map<String, String> apiUrls, Duration timeout);
}
