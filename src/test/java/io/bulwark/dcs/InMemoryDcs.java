package io.bulwark.dcs;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Dcs} over an in-process {@link Store}, with the same lease and compare-and-set semantics as
 * {@code EtcdDcs} (the shared contract test suite keeps the two honest). For tests of HA decisions: several
 * members share one store, lease expiry follows the store's injectable clock, and {@link Store#failWith}
 * makes every call throw {@link DcsException} as an unreachable etcd would.
 *
 * <p>Differences from etcd, by design: expiry happens when someone next touches the store (not in the
 * background), and there is no watch lag: {@link #cluster()} always reads the store directly.
 */
public final class InMemoryDcs implements Dcs {
    private static final Logger LOG = LoggerFactory.getLogger(InMemoryDcs.class);
    private static final long TOUCH_REFRESH_NANOS = 1_000_000_000L;

    /** The shared keyspace several {@link InMemoryDcs} members talk to, like one etcd cluster. */
    public static final class Store {
        final MemoryKeyspace keyspace;

        /** @param nanoClock monotonic nanoseconds driving lease expiry; tests pass a clock they can move */
        public Store(LongSupplier nanoClock) {
            keyspace = new MemoryKeyspace(nanoClock);
        }

        public Store() {
            this(System::nanoTime);
        }

        /** The raw value of a key as a Patroni reader would see it, expired leases applied. */
        public Optional<String> raw(String key) {
            return Optional.ofNullable(keyspace.rawGet(key)).map(StoredValue::value);
        }

        /** The raw entry (value, mod revision, lease) of a key, expired leases applied. */
        public Optional<StoredValue> entry(String key) {
            return Optional.ofNullable(keyspace.rawGet(key));
        }

        /** From now on every call of every member throws {@link DcsException} naming {@code reason}. */
        public void failWith(String reason) {
            keyspace.failWith(Objects.requireNonNull(reason, "reason"));
        }

        /** Undo {@link #failWith}. */
        public void recover() {
            keyspace.failWith(null);
        }
    }

    private final MemoryKeyspace store;
    private final DcsKeys keys;
    private final ClusterDecoder decoder;
    private final String name;
    private final ChangeSignal signal = new ChangeSignal();
    private final Set<String> wakingKeys;
    private int ttlSeconds;
    private long lease;
    private long lastRefresh;
    private String lastStatus;
    private String lastMember;
    private long lastMemberLease;

    public InMemoryDcs(Store store, DcsKeys keys, String memberName, int ttlSeconds) {
        this.store = store.keyspace;
        this.keys = keys;
        this.decoder = new ClusterDecoder(keys);
        this.name = memberName;
        this.ttlSeconds = ttlSeconds;
        this.wakingKeys = keys.wakingKeys();
        this.store.register(this);
    }

    @Override
    public Cluster cluster() throws DcsException {
        return decoder.decode(store.list(keys.prefix()));
    }

    @Override
    public synchronized boolean attemptToAcquireLeader() throws DcsException {
        refreshLease(true);
        boolean won = putWithLease(keys.leader(), Objects::isNull, name) > 0;
        if (!won) {
            LOG.info("Could not take out TTL lock");
        }
        return won;
    }

    @Override
    public synchronized boolean updateLeader(ClusterStatus status) throws DcsException {
        refreshLease(true);
        StoredValue current = store.get(keys.leader());
        boolean ours = current != null && current.value().equals(name) && current.lease() == lease;
        if (!ours) {
            ours = putWithLease(keys.leader(), v -> v != null && v.value().equals(name), name) > 0
                    || putWithLease(keys.leader(), Objects::isNull, name) > 0;
        }
        if (ours && status.optime() > 0) {
            writeStatus(DcsCodec.encodeStatus(status));
        }
        return ours;
    }

    @Override
    public synchronized void takeLeader() throws DcsException {
        refreshLease(false);
        putWithLease(keys.leader(), v -> true, name);
    }

    @Override
    public synchronized boolean deleteLeader(long lastOptime) throws DcsException {
        if (lastOptime > 0) {
            writeStatus(DcsCodec.encodeStatus(new ClusterStatus(lastOptime, null, null)));
        }
        return store.deleteIf(keys.leader(), v -> v.value().equals(name), this);
    }

    @Override
    public synchronized void touchMember(MemberData data) throws DcsException {
        refreshLease(false);
        String json = DcsCodec.encodeMember(data);
        StoredValue current = store.get(keys.member(name));
        if (json.equals(lastMember) && lastMemberLease == lease && current != null && current.lease() == lease) {
            return;
        }
        putWithLease(keys.member(name), v -> true, json);
        lastMember = json;
        lastMemberLease = lease;
    }

    @Override
    public synchronized boolean initialize(String sysid, boolean create) throws DcsException {
        return put(keys.initialize(), create ? Objects::isNull : v -> true, sysid);
    }

    @Override
    public void cancelInitialization() throws DcsException {
        store.deleteIf(keys.initialize(), v -> true, this);
    }

    @Override
    public boolean setConfig(String json, Long expectedVersion) throws DcsException {
        return put(keys.config(), versionIs(expectedVersion), json);
    }

    @Override
    public boolean setFailover(String json, Long expectedVersion) throws DcsException {
        return put(keys.failover(), versionIs(expectedVersion), json);
    }

    @Override
    public boolean setSync(String json, Long expectedVersion) throws DcsException {
        return put(keys.sync(), versionIs(expectedVersion), json);
    }

    @Override
    public void deleteSync() throws DcsException {
        store.deleteIf(keys.sync(), v -> true, this);
    }

    @Override
    public void setFailsafe(String json) throws DcsException {
        if (json == null) {
            store.deleteIf(keys.failsafe(), v -> true, this);
        } else {
            put(keys.failsafe(), v -> true, json);
        }
    }

    @Override
    public void setHistory(String json) throws DcsException {
        put(keys.history(), v -> true, json);
    }

    @Override
    public void deleteCluster() throws DcsException {
        store.deletePrefix(keys.prefix(), this);
    }

    @Override
    public boolean awaitChange(Duration timeout) throws InterruptedException {
        return signal.await(timeout);
    }

    @Override
    public void wakeUp() {
        signal.signal();
    }

    @Override
    public synchronized void setTtl(int ttlSeconds) {
        if (ttlSeconds != this.ttlSeconds) {
            this.ttlSeconds = ttlSeconds;
            lease = 0;
        }
    }

    @Override
    public void setRetryTimeout(Duration retryTimeout) {
        // nothing to bound: every call answers at once
    }

    /** Stops taking part; like a killed agent, the lease is left to expire (never revoked). */
    @Override
    public void close() {
        store.unregister(this);
    }

    void onRemoteChange(String key) {
        if (wakingKeys.contains(key)) {
            signal.signal();
        }
    }

    private static Predicate<StoredValue> versionIs(Long expected) {
        return expected == null ? v -> true : v -> v != null && v.modRevision() == expected;
    }

    private boolean put(String key, Predicate<StoredValue> condition, String value) throws DcsException {
        try {
            return store.putIf(key, condition, value, 0, this) > 0;
        } catch (MemoryKeyspace.LeaseGoneException e) {
            throw new IllegalStateException("a put without lease cannot lose its lease", e);
        }
    }

    /** A put bound to our lease; if the lease vanished meanwhile, grant a new one and try once more. */
    private long putWithLease(String key, Predicate<StoredValue> condition, String value) throws DcsException {
        try {
            return store.putIf(key, condition, value, lease, this);
        } catch (MemoryKeyspace.LeaseGoneException e) {
            grant();
            try {
                return store.putIf(key, condition, value, lease, this);
            } catch (MemoryKeyspace.LeaseGoneException again) {
                throw new DcsException("lease " + lease + " vanished right after it was granted", again);
            }
        }
    }

    private void writeStatus(String json) throws DcsException {
        if (!json.equals(lastStatus)) {
            put(keys.status(), v -> true, json);
            lastStatus = json;
        }
    }

    private void refreshLease(boolean force) throws DcsException {
        long now = store.now();
        if (lease == 0) {
            grant();
        } else if (force || now - lastRefresh >= TOUCH_REFRESH_NANOS) {
            if (store.keepAlive(lease)) {
                lastRefresh = now;
            } else {
                LOG.info("lease {} of {} expired; granting a new one", Long.toHexString(lease), name);
                grant();
            }
        }
    }

    private void grant() throws DcsException {
        lease = store.grant(ttlSeconds);
        lastRefresh = store.now();
    }
}
