package io.bulwark.dcs.etcd;

import io.bulwark.dcs.DcsException;
import io.bulwark.dcs.StoredValue;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@link EtcdCache} current: a linearizable range read of the whole prefix, then a watch from the next
 * revision (Patroni's KVCache, reference §1.5). Any watch error, an unexpected end of the stream (compaction,
 * lost leader, closed connection) or a failed call elsewhere marks the cache broken and schedules a fresh
 * read-and-watch on this class's single thread, retried every second until it works. While broken, readers
 * go to etcd directly.
 *
 * <p>Each read-and-watch gets a generation number; callbacks of older watches are ignored, so a slow event
 * from a replaced watch can never overwrite what a newer full read established.
 */
final class EtcdWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EtcdWatcher.class);
    private static final long RETRY_MILLIS = 1000;

    private final KV kv;
    private final Watch watch;
    private final EtcdCalls calls;
    private final String prefix;
    private final EtcdCache cache;
    private final ScheduledExecutorService executor;
    private final AtomicLong generation = new AtomicLong();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile boolean closed;
    private volatile boolean failing;
    private volatile Watch.Watcher current;

    EtcdWatcher(KV kv, Watch watch, EtcdCalls calls, String prefix, EtcdCache cache) {
        this.kv = kv;
        this.watch = watch;
        this.calls = calls;
        this.prefix = prefix;
        this.cache = cache;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bulwark-etcd-watch");
            t.setDaemon(true);
            return t;
        });
    }

    void start() {
        schedule(0);
    }

    /** The cache may be stale (a call failed, a CAS lost): re-read and re-watch. */
    void restart() {
        cache.markBroken();
        schedule(0);
    }

    private void schedule(long delayMillis) {
        if (!closed && scheduled.compareAndSet(false, true)) {
            executor.schedule(this::resync, delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void resync() {
        scheduled.set(false);
        if (closed) {
            return;
        }
        long gen = generation.incrementAndGet();
        closeCurrent();
        try {
            ByteSequence key = bytes(prefix);
            GetResponse read = calls.await(() -> kv.get(key, GetOption.builder().isPrefix(true).build()),
                    calls.deadline(), "read of " + prefix + " for the watch cache");
            long revision = read.getHeader().getRevision();
            cache.reset(read.getKvs().stream().map(EtcdKv::stored).toList(), revision);
            current = watch.watch(key, WatchOption.builder().isPrefix(true).withRevision(revision + 1)
                    .withRequireLeader(true).build(), listener(gen));
            if (!scheduled.get() && gen == generation.get()) {
                cache.markReady();
            }
            if (failing) {
                LOG.info("watch on etcd prefix {} re-established at revision {}", prefix, revision);
                failing = false;
            }
        } catch (DcsException | RuntimeException e) {
            broken("cannot (re)start the watch on " + prefix + ": " + e.getMessage());
        }
    }

    private Watch.Listener listener(long gen) {
        return Watch.listener(response -> {
            if (gen == generation.get()) {
                apply(response);
            }
        }, error -> {
            if (gen == generation.get()) {
                broken("watch on " + prefix + " failed: " + error.getMessage());
            }
        }, () -> {
            if (gen == generation.get()) {
                broken("watch on " + prefix + " ended");
            }
        });
    }

    private void apply(WatchResponse response) {
        List<WatchEvent> events = response.getEvents();
        for (WatchEvent e : events) {
            StoredValue v = EtcdKv.stored(e.getKeyValue());
            if (e.getEventType() == WatchEvent.EventType.DELETE) {
                cache.delete(v.key(), v.modRevision(), true);
            } else if (e.getEventType() == WatchEvent.EventType.PUT) {
                cache.put(v, true);
            }
        }
    }

    private void broken(String why) {
        cache.markBroken();
        if (closed) {
            return;
        }
        if (!failing) {
            LOG.warn("{}; serving reads directly from etcd until it is back (endpoints {})", why, calls.endpoints());
            failing = true;
        } else {
            LOG.debug(why);
        }
        schedule(RETRY_MILLIS);
    }

    private void closeCurrent() {
        Watch.Watcher w = current;
        current = null;
        if (w != null) {
            try {
                w.close();
            } catch (RuntimeException e) {
                LOG.debug("closing a replaced etcd watch failed", e);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        generation.incrementAndGet();
        executor.shutdownNow();
        closeCurrent();
    }

    static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }
}
