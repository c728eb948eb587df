package io.bulwark.dcs.etcd;

import io.bulwark.dcs.ChangeSignal;
import io.bulwark.dcs.StoredValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Our copy of every key under the cluster prefix, fed by a full read, the watch stream and our own writes.
 *
 * <p>Ordering: each key remembers the revision it was last seen at (including deletions, as tombstones), and
 * anything older is ignored. So our own write, applied at once with the revision etcd returned, is not undone
 * when the watch later replays an earlier event, and the echo of our own write does not count as a change.
 *
 * <p>Wake-ups: a change by someone else to a key in {@code wakingKeys} (leader, config, status, failover, ...)
 * signals the HA loop. Member keys change every cycle and never wake it. The watch may deliver the echo of our
 * own write before etcd's answer to the write itself; {@link EtcdKv} announces each write while it is in flight
 * ({@link #writing}), and an echo that matches one is ours, not a change. Otherwise the leader, which writes a
 * new LSN to /status every cycle under load, would wake itself and cycle as fast as etcd answers.
 */
final class EtcdCache {
    private static final String DELETION = "\0deleted";
    private final Set<String> wakingKeys;
    private final ChangeSignal signal;
    private final Map<String, StoredValue> entries = new HashMap<>();
    private final Map<String, Long> tombstones = new HashMap<>();
    private final Map<String, List<String>> ownInFlight = new HashMap<>();
    private volatile boolean ready;

    EtcdCache(Set<String> wakingKeys, ChangeSignal signal) {
        this.wakingKeys = wakingKeys;
        this.signal = signal;
    }

    /** True while the watch is believed current; only then may the cache answer for etcd. */
    boolean isReady() {
        return ready;
    }

    void markReady() {
        ready = true;
    }

    void markBroken() {
        ready = false;
    }

    synchronized List<StoredValue> snapshot() {
        return new ArrayList<>(entries.values());
    }

    synchronized StoredValue get(String key) {
        return entries.get(key);
    }

    /** A full read at {@code revision} replaces the view, keeping our own newer writes. */
    synchronized void reset(List<StoredValue> values, long revision) {
        Map<String, StoredValue> fresh = new HashMap<>();
        values.forEach(v -> fresh.put(v.key(), v));
        entries.values().stream().filter(v -> v.modRevision() > revision).forEach(v -> fresh.put(v.key(), v));
        tombstones.values().removeIf(r -> r <= revision);
        tombstones.forEach((key, rev) -> {
            StoredValue v = fresh.get(key);
            if (v != null && v.modRevision() < rev) {
                fresh.remove(key);
            }
        });
        boolean woke = false;
        for (String key : wakingKeys) {
            String now = valueOf(fresh.get(key));
            woke |= !Objects.equals(valueOf(entries.get(key)), now) && !isOwnEcho(key, now);
        }
        entries.clear();
        entries.putAll(fresh);
        if (woke) {
            signal.signal();
        }
    }

    /** Our write of {@code value} ({@code null}: a deletion) to {@code key} is in flight. */
    synchronized void writing(String key, String value) {
        ownInFlight.computeIfAbsent(key, k -> new ArrayList<>()).add(value == null ? DELETION : value);
    }

    /** The write announced by {@link #writing} has been answered (or has failed). */
    synchronized void written(String key, String value) {
        List<String> pending = ownInFlight.get(key);
        if (pending != null && pending.remove(value == null ? DELETION : value) && pending.isEmpty()) {
            ownInFlight.remove(key);
        }
    }

    void put(StoredValue v, boolean remote) {
        boolean changed;
        synchronized (this) {
            if (v.modRevision() <= known(v.key())) {
                return;
            }
            remote &= !isOwnEcho(v.key(), v.value());
            StoredValue old = entries.put(v.key(), v);
            tombstones.remove(v.key());
            changed = old == null || !old.value().equals(v.value());
        }
        if (remote && changed && wakingKeys.contains(v.key())) {
            signal.signal();
        }
    }

    void delete(String key, long revision, boolean remote) {
        boolean existed;
        synchronized (this) {
            if (revision <= known(key)) {
                return;
            }
            remote &= !isOwnEcho(key, null);
            existed = entries.remove(key) != null;
            tombstones.put(key, revision);
        }
        if (remote && existed && wakingKeys.contains(key)) {
            signal.signal();
        }
    }

    private boolean isOwnEcho(String key, String value) {
        List<String> pending = ownInFlight.get(key);
        return pending != null && pending.contains(value == null ? DELETION : value);
    }

    private long known(String key) {
        StoredValue v = entries.get(key);
        return Math.max(v == null ? 0 : v.modRevision(), tombstones.getOrDefault(key, 0L));
    }

    private static String valueOf(StoredValue v) {
        return v == null ? null : v.value();
    }
}
