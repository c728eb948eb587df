package io.bulwark.ctl;

import io.bulwark.dcs.Dcs;
import io.bulwark.dcs.etcd.EtcdDcs;

import java.time.Duration;

/**
 * Opens the real DCS for {@code bulwarkctl}. The CLI reads linearizably and holds no lease; it only reads (and, for
 * future commands, compare-and-sets) keys.
 */
public final class DcsFactory {
    /** A CLI call may wait this long for etcd before it reports an error. */
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private DcsFactory() {
    }

    public static Dcs open(CtlTarget target) {
        try {
            return EtcdDcs.connect(target.endpoints(), target.username(), target.password(), target.etcdTls(),
                    target.keys(), "bulwarkctl", 30, TIMEOUT, false);
        } catch (IllegalArgumentException e) {
            throw new CtlException(e.getMessage(), e);
        }
    }
}
