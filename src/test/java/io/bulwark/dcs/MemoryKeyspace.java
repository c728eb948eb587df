package io.bulwark.dcs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The store behind {@link InMemoryDcs}: etcd's data model reduced to what Patroni uses. A global revision,
 * keys with a mod revision and an optional lease, leases that expire on a supplied monotonic clock, and
 * compare-and-set. Expiry is evaluated lazily at every operation, so moving the clock and then calling anything
 * makes expired keys vanish (and wakes waiting members).
 */
final class MemoryKeyspace {
    /** A write or CAS named a lease that no longer exists (etcd: "requested lease not found"). */
    static final class LeaseGoneException extends Exception {
        LeaseGoneException(long lease) {
            super("requested lease not found: " + lease);
        }
    }

    private record LeaseState(long ttlNanos, long deadline) {
    }

    private final LongSupplier nanoClock;
    private final TreeMap<String, StoredValue> data = new TreeMap<>();
    private final Map<Long, LeaseState> leases = new HashMap<>();
    private final Set<InMemoryDcs> watchers = new CopyOnWriteArraySet<>();
    private long revision;
    private long nextLease = 0x7a00;
    private volatile String failure;

    MemoryKeyspace(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    long now() {
        return nanoClock.getAsLong();
    }

    void failWith(String reason) {
        failure = reason;
    }

    void register(InMemoryDcs member) {
        watchers.add(member);
    }

    void unregister(InMemoryDcs member) {
        watchers.remove(member);
    }

    synchronized StoredValue rawGet(String key) {
        expire();
        return data.get(key);
    }

    synchronized List<StoredValue> list(String prefix) throws DcsException {
        check();
        return new ArrayList<>(data.tailMap(prefix, true).headMap(prefix + Character.MAX_VALUE).values());
    }

    synchronized StoredValue get(String key) throws DcsException {
        check();
        return data.get(key);
    }

    synchronized long grant(long ttlSeconds) throws DcsException {
        check();
        long id = nextLease++;
        long ttl = ttlSeconds * 1_000_000_000L;
        leases.put(id, new LeaseState(ttl, now() + ttl));
        return id;
    }

    /** False when the lease is gone. */
    synchronized boolean keepAlive(long lease) throws DcsException {
        check();
        LeaseState s = leases.get(lease);
        if (s == null) {
            return false;
        }
        leases.put(lease, new LeaseState(s.ttlNanos(), now() + s.ttlNanos()));
        return true;
    }

    /**
     * Puts {@code value} if {@code condition} holds for the current entry (null when absent). Returns the new
     * revision, or -1 when the condition failed.
     */
    synchronized long putIf(String key, Predicate<StoredValue> condition, String value, long lease,
                            InMemoryDcs writer) throws DcsException, LeaseGoneException {
        check();
        if (!condition.test(data.get(key))) {
            return -1;
        }
        if (lease != 0 && !leases.containsKey(lease)) {
            throw new LeaseGoneException(lease);
        }
        revision++;
        data.put(key, new StoredValue(key, value, revision, lease));
        notifyChange(key, writer);
        return revision;
    }

    synchronized boolean deleteIf(String key, Predicate<StoredValue> condition, InMemoryDcs writer)
            throws DcsException {
        check();
        StoredValue current = data.get(key);
        if (current == null || !condition.test(current)) {
            return false;
        }
        revision++;
        data.remove(key);
        notifyChange(key, writer);
        return true;
    }

    synchronized void deletePrefix(String prefix, InMemoryDcs writer) throws DcsException {
        for (StoredValue v : list(prefix)) {
            deleteIf(v.key(), x -> true, writer);
        }
    }

    private void check() throws DcsException {
        String reason = failure;
        if (reason != null) {
            throw new DcsException("in-memory DCS unavailable: " + reason);
        }
        expire();
    }

    private void expire() {
        long now = now();
        for (Iterator<Map.Entry<Long, LeaseState>> it = leases.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, LeaseState> lease = it.next();
            if (now - lease.getValue().deadline() >= 0) {
                it.remove();
                List<String> bound = data.values().stream()
                        .filter(v -> v.lease() == lease.getKey()).map(StoredValue::key).toList();
                for (String key : bound) {
                    revision++;
                    data.remove(key);
                    notifyChange(key, null);
                }
            }
        }
    }

    private void notifyChange(String key, InMemoryDcs writer) {
        for (InMemoryDcs w : watchers) {
            if (w != writer) {
                w.onRemoteChange(key);
            }
        }
    }
}
