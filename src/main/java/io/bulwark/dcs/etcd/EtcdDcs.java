package io.bulwark.dcs.etcd;

import io.bulwark.dcs.ChangeSignal;
import io.bulwark.dcs.Cluster;
import io.bulwark.dcs.ClusterDecoder;
import io.bulwark.dcs.ClusterStatus;
import io.bulwark.dcs.Dcs;
import io.bulwark.dcs.DcsCodec;
import io.bulwark.dcs.DcsException;
import io.bulwark.dcs.DcsKeys;
import io.bulwark.dcs.MemberData;
import io.bulwark.dcs.StoredValue;
import io.etcd.jetcd.Client;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Dcs} over etcd v3 (gRPC, jetcd) with Patroni's keys, values and lease rules (reference §1.3-1.5).
 *
 * <p>Leader key: created with {@code create_revision == 0} under our lease; renewed by a forced lease
 * keepalive only (the key itself is rewritten only when it is not bound to our current lease, so its
 * mod revision stays put on the healthy path); released by a delete guarded by {@code value == our name}.
 *
 * <p>Reads: with {@code watch} the agent is served from a watched cache of the whole prefix and falls back to
 * a serializable read while the watch is broken; without it (the CLI) every {@link #cluster()} is a
 * linearizable read. Every call carries the {@code hasleader} header so a member cut off from its cluster
 * fails fast instead of answering stale data. Writes by this process update the cache at once.
 *
 * <p>Not thread-safe for writes: the HA loop is the only writer; {@link #cluster()}, {@link #wakeUp()} and
 * {@link #awaitChange} may be called from any thread.
 */
public final class EtcdDcs implements Dcs {
    private static final Logger LOG = LoggerFactory.getLogger(EtcdDcs.class);

    private final Client client;
    private final DcsKeys keys;
    private final ClusterDecoder decoder;
    private final String name;
    private final EtcdCalls calls;
    private final EtcdLease lease;
    private final EtcdCache cache;
    private final EtcdWatcher watcher;
    private final EtcdKv kv;
    private final ChangeSignal signal = new ChangeSignal();
    private volatile boolean closed;
    private String lastStatus;
    private String lastMember;
    private long lastMemberLease;

    private EtcdDcs(Client client, EtcdCalls calls, DcsKeys keys, String name, int ttlSeconds, boolean watch) {
        this.client = client;
        this.keys = keys;
        this.decoder = new ClusterDecoder(keys);
        this.name = name;
        this.calls = calls;
        this.lease = new EtcdLease(client.getLeaseClient(), calls, name, ttlSeconds);
        this.cache = new EtcdCache(keys.wakingKeys(), signal);
        this.watcher = watch
                ? new EtcdWatcher(client.getKVClient(), client.getWatchClient(), calls, keys.prefix(), cache) : null;
        this.kv = new EtcdKv(client.getKVClient(), calls, cache, this::suspectCache);
    }

    /**
     * Connects lazily (no call is made here). {@code endpoints} are {@code host:port} or URLs; {@code user}
     * null or blank means no authentication. {@code watch = false} is for short-lived tools such as the CLI.
     */
    public static EtcdDcs connect(List<String> endpoints, String user, String password, DcsKeys keys,
                                  String memberName, int ttlSeconds, Duration retryTimeout, boolean watch) {
        return connect(endpoints, user, password, null, keys, memberName, ttlSeconds, retryTimeout, watch);
    }

    /**
     * As {@link #connect(List, String, String, DcsKeys, String, int, Duration, boolean)}, with TLS settings for
     * {@code https://} endpoints ({@code tls} null = default trust store, no client certificate; ignored for
     * {@code http://}). The certificate files are read here: a missing or unreadable file, or a key that cannot
     * be parsed, throws {@link IllegalArgumentException} naming the file. A background handshake probe explains
     * TLS failures (untrusted server, missing or rejected client certificate) in the {@link DcsException}s of
     * calls that could not connect.
     */
    public static EtcdDcs connect(List<String> endpoints, String user, String password, EtcdTls tls, DcsKeys keys,
                                  String memberName, int ttlSeconds, Duration retryTimeout, boolean watch) {
        EtcdEndpoints urls = EtcdEndpoints.parse(endpoints);
        if (ttlSeconds <= 0) {
            throw new IllegalArgumentException("ttl: expected a positive number of seconds, got " + ttlSeconds);
        }
        if (retryTimeout == null || retryTimeout.isNegative() || retryTimeout.isZero()) {
            throw new IllegalArgumentException("retry_timeout: expected a positive duration, got " + retryTimeout);
        }
        EtcdCalls calls = new EtcdCalls(urls.display(), retryTimeout);
        if (urls.secure()) {
            EtcdTlsProbe probe = new EtcdTlsProbe(urls.uris(), tls == null ? EtcdTls.SYSTEM_TRUST : tls);
            probe.trigger();
            calls.diagnoseWith(probe::findingAndRecheck);
        }
        Client client = urls.clientBuilder(user, password, tls).interceptor(calls.deadlineInterceptor()).build();
        calls.onUnreachable(ConnectBackoff.of(client)::reset);
        EtcdDcs dcs = new EtcdDcs(client, calls, keys, memberName, ttlSeconds, watch);
        if (dcs.watcher != null) {
            dcs.watcher.start();
        }
        return dcs;
    }

    @Override
    public Cluster cluster() throws DcsException {
        ensureOpen();
        if (watcher != null && cache.isReady()) {
            return decoder.decode(cache.snapshot());
        }
        EtcdKv.Range read = kv.range(keys.prefix(), watcher != null, calls.deadline());
        if (watcher == null) {
            cache.reset(read.values(), read.revision());
        }
        return decoder.decode(read.values());
    }

    @Override
    public synchronized boolean attemptToAcquireLeader() throws DcsException {
        long deadline = calls.deadline();
        boolean won = withLease(deadline, true,
                id -> kv.putIfAbsent(keys.leader(), name, id, deadline, "leader race"));
        if (!won) {
            LOG.info("Could not take out TTL lock");
        }
        return won;
    }

    @Override
    public synchronized boolean updateLeader(ClusterStatus status) throws DcsException {
        long deadline = calls.deadline();
        boolean ours = withLease(deadline, true, id -> {
            StoredValue cached = cache.get(keys.leader());
            if ((watcher == null || cache.isReady()) && cached != null && cached.value().equals(name)
                    && cached.lease() == id) {
                return true; // healthy path: the keepalive was the renewal, the key is not rewritten
            }
            return kv.putIfValue(keys.leader(), name, name, id, deadline, "leader key re-bind")
                    || kv.putIfAbsent(keys.leader(), name, id, deadline, "leader key re-create");
        });
        if (ours && status.optime() > 0) {
            try {
                writeStatus(DcsCodec.encodeStatus(status), deadline);
            } catch (DcsException e) {
                LOG.warn("leader lock of {} renewed but status not published: {}", name, e.getMessage());
            }
        }
        return ours;
    }

    @Override
    public synchronized void takeLeader() throws DcsException {
        long deadline = calls.deadline();
        withLease(deadline, false, id -> {
            kv.put(keys.leader(), name, id, deadline);
            return true;
        });
    }

    @Override
    public synchronized boolean deleteLeader(long lastOptime) throws DcsException {
        ensureOpen();
        long deadline = calls.deadline();
        if (lastOptime > 0) {
            writeStatus(DcsCodec.encodeStatus(new ClusterStatus(lastOptime, null, null)), deadline);
        }
        return kv.deleteIfValue(keys.leader(), name, deadline, "leader key delete");
    }

    @Override
    public synchronized void touchMember(MemberData data) throws DcsException {
        long deadline = calls.deadline();
        String json = DcsCodec.encodeMember(data);
        String key = keys.member(name);
        withLease(deadline, false, id -> {
            StoredValue cached = cache.get(key);
            boolean cacheAgrees = !cache.isReady() || cached != null && cached.lease() == id && cached.value().equals(json);
            if (json.equals(lastMember) && lastMemberLease == id && cacheAgrees) {
                return false;
            }
            kv.put(key, json, id, deadline);
            lastMember = json;
            lastMemberLease = id;
            return true;
        });
    }

    @Override
    public synchronized boolean initialize(String sysid, boolean create) throws DcsException {
        ensureOpen();
        long deadline = calls.deadline();
        if (create) {
            return kv.putIfAbsent(keys.initialize(), sysid, 0, deadline, "initialize race");
        }
        kv.put(keys.initialize(), sysid, 0, deadline);
        return true;
    }

    @Override
    public synchronized void cancelInitialization() throws DcsException {
        ensureOpen();
        kv.delete(keys.initialize(), calls.deadline());
    }

    @Override
    public synchronized boolean setConfig(String json, Long expectedVersion) throws DcsException {
        return putVersioned(keys.config(), json, expectedVersion);
    }

    @Override
    public synchronized boolean setFailover(String json, Long expectedVersion) throws DcsException {
        return putVersioned(keys.failover(), json, expectedVersion);
    }

    @Override
    public synchronized boolean setSync(String json, Long expectedVersion) throws DcsException {
        return putVersioned(keys.sync(), json, expectedVersion);
    }

    @Override
    public synchronized void deleteSync() throws DcsException {
        ensureOpen();
        kv.delete(keys.sync(), calls.deadline());
    }

    @Override
    public synchronized void setFailsafe(String json) throws DcsException {
        ensureOpen();
        if (json == null) {
            kv.delete(keys.failsafe(), calls.deadline());
        } else {
            kv.put(keys.failsafe(), json, 0, calls.deadline());
        }
    }

    @Override
    public synchronized void setHistory(String json) throws DcsException {
        ensureOpen();
        kv.put(keys.history(), json, 0, calls.deadline());
    }

    @Override
    public synchronized void deleteCluster() throws DcsException {
        ensureOpen();
        kv.deletePrefix(keys.prefix(), calls.deadline());
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
    public void setTtl(int ttlSeconds) {
        lease.setTtl(ttlSeconds);
    }

    @Override
    public void setRetryTimeout(Duration retryTimeout) {
        calls.setRetryTimeout(retryTimeout);
    }

    /**
     * Stops the watch and the client; bounded to about 2 s even if etcd hangs. The lease is not revoked: our
     * keys expire ttl seconds after the last refresh, as Patroni's do.
     */
    @Override
    public void close() {
        closed = true;
        cache.markBroken();
        if (watcher != null) {
            watcher.close();
        }
        Thread closer = new Thread(client::close, "bulwark-etcd-close");
        closer.setDaemon(true);
        closer.start();
        try {
            closer.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** True while the watch cache is current (tests wait for it before asserting the no-rewrite path). */
    boolean cacheReady() {
        return watcher != null && cache.isReady();
    }

    private interface LeaseCall<T> {
        T run(long leaseId) throws DcsException;
    }

    /** Runs {@code call} with our lease; if etcd says the lease is gone, grants a new one and tries once more. */
    private <T> T withLease(long deadline, boolean force, LeaseCall<T> call) throws DcsException {
        ensureOpen();
        long id;
        try {
            id = lease.ensure(deadline, force);
        } catch (DcsException e) {
            suspectCache();
            throw e;
        }
        try {
            return call.run(id);
        } catch (EtcdCalls.LeaseNotFoundException e) {
            lease.drop(id);
            return call.run(lease.ensure(deadline, false));
        }
    }

    private boolean putVersioned(String key, String value, Long expectedVersion) throws DcsException {
        ensureOpen();
        long deadline = calls.deadline();
        if (expectedVersion == null) {
            kv.put(key, value, 0, deadline);
            return true;
        }
        return kv.putIfVersion(key, value, expectedVersion, deadline);
    }

    private void writeStatus(String json, long deadline) throws DcsException {
        if (!json.equals(lastStatus)) {
            kv.put(keys.status(), json, 0, deadline);
            lastStatus = json;
        }
    }

    private void ensureOpen() throws DcsException {
        if (closed) {
            throw new DcsException("etcd client for " + calls.endpoints() + " is closed");
        }
    }

    /** etcd did not answer us: the watch may be just as dead, so stop trusting the cache until re-read. */
    private void suspectCache() {
        if (watcher != null) {
            watcher.restart();
        }
    }
}
