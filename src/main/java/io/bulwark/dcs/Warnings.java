package io.bulwark.dcs;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns once per distinct bad DCS value. The cluster view is decoded every HA cycle, so without this a single
 * junk key written by another tool would repeat the same warning every few seconds forever.
 */
final class Warnings {
    private static final Logger LOG = LoggerFactory.getLogger(DcsCodec.class);
    private static final int MAX_REMEMBERED = 256;
    private static final Set<String> SEEN = ConcurrentHashMap.newKeySet();

    private Warnings() {
    }

    static void once(String key, String problem, String value) {
        String shown = value.length() > 120 ? value.substring(0, 120) + "..." : value;
        String message = "ignoring bad DCS value of " + key + ": " + problem + ", got " + shown;
        if (SEEN.size() > MAX_REMEMBERED) {
            SEEN.clear();
        }
        if (SEEN.add(message)) {
            LOG.warn(message);
        } else {
            LOG.debug(message);
        }
    }
}
