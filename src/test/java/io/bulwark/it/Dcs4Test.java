package io.bulwark.it;

import io.bulwark.dcs.Cluster;
import io.bulwark.dcs.DcsException;
import io.bulwark.dcs.DcsKeys;
import io.bulwark.dcs.etcd.EtcdDcs;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Reads the cluster straight from etcd (no lease, no watch), as an outside observer would. */
final class Dcs4Test {
    private Dcs4Test() {
    }

    static Cluster read(ClusterHarness h) {
        try (EtcdDcs dcs = open(h)) {
            return dcs.cluster();
        } catch (DcsException e) {
            throw new AssertionError("cannot read the cluster from etcd: " + e.getMessage(), e);
        }
    }

    /** Write the {@code failover} key as bulwarkctl or the REST API would. */
    static void writeFailover(ClusterHarness h, String json) {
        try (EtcdDcs dcs = open(h)) {
            dcs.setFailover(json, null);
        } catch (DcsException e) {
            throw new AssertionError("cannot write the failover key: " + e.getMessage(), e);
        }
    }

    /** Merge {@code key: value} into the {@code config} key (compare-and-set on its version). */
    static void patchConfig(ClusterHarness h, String key, Object value) {
        try (EtcdDcs dcs = open(h)) {
            Cluster c = dcs.cluster();
            java.util.Map<String, Object> data = new java.util.LinkedHashMap<>(c.config().data());
            data.put(key, value);
            if (!dcs.setConfig(io.bulwark.dcs.DcsCodec.encodeConfig(data), c.config().version())) {
                throw new AssertionError("config changed concurrently");
            }
        } catch (DcsException e) {
            throw new AssertionError("cannot write the config key: " + e.getMessage(), e);
        }
    }

    /** Whether the member key of {@code name} is in etcd now, read with a client the caller keeps open. */
    static boolean memberPresent(Client raw, ClusterHarness h, String name) throws Exception {
        return raw.getKVClient().get(memberKey(h, name)).get(5, TimeUnit.SECONDS).getCount() > 0;
    }

    static Client raw(ClusterHarness h) {
        return Client.builder().endpoints(h.etcd().endpoint()).build();
    }

    private static ByteSequence memberKey(ClusterHarness h, String name) {
        return ByteSequence.from(new DcsKeys("/service", h.scope()).member(name), StandardCharsets.UTF_8);
    }

    private static EtcdDcs open(ClusterHarness h) {
        return EtcdDcs.connect(List.of(h.etcd().endpoint()), null, null, new DcsKeys("/service", h.scope()),
                "it-observer", 10, Duration.ofSeconds(5), false);
    }

    static String leaderName(ClusterHarness h) {
        Cluster c = read(h);
        return c.leader() == null ? null : c.leader().name();
    }
}
