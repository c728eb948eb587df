package io.bulwark.dcs.etcd;

import io.bulwark.dcs.Cluster;
import io.bulwark.dcs.Dcs;
import io.bulwark.dcs.DcsContractTest;
import io.bulwark.dcs.DcsException;
import io.bulwark.dcs.DcsKeys;
import io.bulwark.dcs.StoredValue;
import io.bulwark.testing.EtcdServer;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/** The DCS contract against a real etcd; raw values are read with a plain jetcd client, not through EtcdDcs. */
@Tag("integration")
class EtcdDcsContractTest extends DcsContractTest {
    private static final AtomicInteger SCOPES = new AtomicInteger();
    private static EtcdServer etcd;
    private static Client raw;

    private final DcsKeys keys = new DcsKeys("service", "contract-" + SCOPES.incrementAndGet());
    private EtcdDcs reader;

    @BeforeAll
    static void startEtcd() {
        etcd = EtcdServer.start();
        raw = Client.builder().endpoints(etcd.endpoint()).build();
    }

    @AfterAll
    static void stopEtcd() {
        raw.close();
        etcd.close();
    }

    @AfterEach
    void closeReader() {
        if (reader != null) {
            reader.close();
        }
    }

    @Override
    protected Dcs connect(String name, int ttlSeconds) {
        return EtcdDcs.connect(List.of(etcd.hostPort()), null, null, keys, name, ttlSeconds, Duration.ofSeconds(5), true);
    }

    @Override
    protected Cluster readDirect() throws DcsException {
        if (reader == null) {
            reader = EtcdDcs.connect(List.of(etcd.endpoint()), null, null, keys, "reader", 30, Duration.ofSeconds(5), false);
        }
        return reader.cluster();
    }

    @Override
    protected Optional<StoredValue> rawEntry(String key) {
        try {
            return raw.getKVClient().get(ByteSequence.from(key, StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS)
                    .getKvs().stream().findFirst().map(EtcdKv::stored);
        } catch (Exception e) {
            throw new AssertionError("raw read of " + key + " failed", e);
        }
    }

    @Override
    protected void letLeasesExpire(int ttlSeconds) {
        // real time: the caller waits for etcd to expire the lease
    }

    @Override
    protected void settle(Dcs dcs) {
        eventually("watch cache of a new member is live", ((EtcdDcs) dcs)::cacheReady);
    }

    @Override
    protected DcsKeys keys() {
        return keys;
    }
}
