package io.bulwark.it;

import io.bulwark.dcs.Cluster;
import io.bulwark.dcs.DcsException;
import io.bulwark.dcs.DcsKeys;
import io.bulwark.dcs.etcd.EtcdDcs;

import java.time.Duration;
import java.util.List;

/** Reads the cluster straight from etcd (no lease, no watch), as an outside observer would. */
final class Dcs4Test {
    private Dcs4Test() {
    }

    static Cluster read(ClusterHarness h) {
        try (EtcdDcs dcs = EtcdDcs.connect(List.of(h.etcd().endpoint()), null, null,
                new DcsKeys("/service", h.scope()), "it-observer", 10, Duration.ofSeconds(5), false)) {
            return dcs.cluster();
        } catch (DcsException e) {
            throw new AssertionError("cannot read the cluster from etcd: " + e.getMessage(), e);
        }
    }

    static String leaderName(ClusterHarness h) {
        Cluster c = read(h);
        return c.leader() == null ? null : c.leader().name();
    }
}
