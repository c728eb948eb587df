package io.bulwark.dcs;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** The DCS contract against {@link InMemoryDcs}, with lease time driven by a clock the test moves. */
class InMemoryDcsContractTest extends DcsContractTest {
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final InMemoryDcs.Store store = new InMemoryDcs.Store(clock::get);
    private final DcsKeys keys = new DcsKeys("service", "contract");

    @Override
    protected Dcs connect(String name, int ttlSeconds) {
        return new InMemoryDcs(store, keys, name, ttlSeconds);
    }

    @Override
    protected Cluster readDirect() throws DcsException {
        try (InMemoryDcs reader = new InMemoryDcs(store, keys, "reader", 30)) {
            return reader.cluster();
        }
    }

    @Override
    protected Optional<StoredValue> rawEntry(String key) {
        return store.entry(key);
    }

    @Override
    protected void letLeasesExpire(int ttlSeconds) {
        clock.addAndGet((ttlSeconds + 1) * 1_000_000_000L);
    }

    @Override
    protected void settle(Dcs dcs) {
        // no cache, nothing to wait for
    }

    @Override
    protected DcsKeys keys() {
        return keys;
    }
}
