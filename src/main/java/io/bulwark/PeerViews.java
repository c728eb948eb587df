package io.bulwark;

import io.bulwark.api.PeerClient;
import io.bulwark.api.PeerStatus;
import io.bulwark.ha.PeerView;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The leader race's peer probe, over {@link PeerClient}: members that did not answer are left out. */
final class PeerViews {
    private final PeerClient client;

    PeerViews(PeerClient client) {
        this.client = client;
    }

    Map<String, PeerView> probe(Map<String, String> apiUrls, Duration timeout) {
        Map<String, PeerView> views = new HashMap<>();
        for (Map.Entry<String, Optional<PeerStatus>> e : client.fetchAll(apiUrls, timeout).entrySet()) {
            e.getValue().ifPresent(s -> views.put(e.getKey(), new PeerView(e.getKey(),
                    s.isRunning() && ("primary".equals(s.role()) || "master".equals(s.role())),
                    s.walPosition(), s.nofailover(), s.failoverPriority())));
        }
        return views;
    }
}
