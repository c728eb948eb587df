package io.bulwark.ctl;

import io.bulwark.dcs.Dcs;

/**
 * Opens the real DCS for {@code bulwarkctl}. The CLI reads linearizably and holds no lease; it only reads (and, for
 * future commands, compare-and-sets) keys.
 */
public final class DcsFactory {
    private DcsFactory() {
    }

    // WIRING POINT (lead): replace this body with the etcd implementation, e.g. a read-only EtcdDcs built from
    // target.endpoints(), username/password, target.keys(), TLS verification off when target.insecure().
    public static Dcs open(CtlTarget target) {
        throw new UnsupportedOperationException("etcd DCS not wired yet");
    }
}
