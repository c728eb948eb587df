package io.bulwark.dcs.etcd;

import static io.bulwark.dcs.etcd.EtcdWatcher.bytes;

import io.bulwark.dcs.DcsException;
import io.bulwark.dcs.StoredValue;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The etcd key-value calls {@link EtcdDcs} makes, each bounded by the caller's deadline and each successful
 * write applied to the {@link EtcdCache} at once with the revision etcd returned. A failed call (other than a
 * lost lease) runs {@code onFailure}: if etcd does not answer us, the watch feeding the cache is suspect too.
 */
final class EtcdKv {
    private final KV kv;
    private final EtcdCalls calls;
    private final EtcdCache cache;
    private final Runnable onFailure;

    EtcdKv(KV kv, EtcdCalls calls, EtcdCache cache, Runnable onFailure) {
        this.kv = kv;
        this.calls = calls;
        this.cache = cache;
        this.onFailure = onFailure;
    }

    /** Every key under {@code prefix} and the revision of the read. */
    record Range(List<StoredValue> values, long revision) {
    }

    Range range(String prefix, boolean serializable, long deadline) throws DcsException {
        GetOption option = GetOption.builder().isPrefix(true).withSerializable(serializable).build();
        GetResponse read = call(() -> kv.get(bytes(prefix), option), deadline, "read of " + prefix);
        return new Range(read.getKvs().stream().map(EtcdKv::stored).toList(), read.getHeader().getRevision());
    }

    void put(String key, String value, long lease, long deadline) throws DcsException {
        write(key, value,
                () -> call(() -> kv.put(bytes(key), bytes(value), withLease(lease)), deadline, "put of " + key),
                response -> cache.put(new StoredValue(key, value, response.getHeader().getRevision(), lease), false));
    }

    /** Create-if-absent: etcd's {@code create_revision == 0}. */
    boolean putIfAbsent(String key, String value, long lease, long deadline, String what) throws DcsException {
        return putIf(new Cmp(bytes(key), Cmp.Op.EQUAL, CmpTarget.createRevision(0)), key, value, lease, deadline, what);
    }

    boolean putIfValue(String key, String expected, String value, long lease, long deadline, String what)
            throws DcsException {
        return putIf(new Cmp(bytes(key), Cmp.Op.EQUAL, CmpTarget.value(bytes(expected))), key, value, lease, deadline,
                what);
    }

    boolean putIfVersion(String key, String value, long version, long deadline) throws DcsException {
        return putIf(new Cmp(bytes(key), Cmp.Op.EQUAL, CmpTarget.modRevision(version)), key, value, 0, deadline,
                "compare-and-set at version " + version);
    }

    boolean deleteIfValue(String key, String expected, long deadline, String what) throws DcsException {
        TxnResponse txn = write(key, null, () -> call(() -> kv.txn()
                .If(new Cmp(bytes(key), Cmp.Op.EQUAL, CmpTarget.value(bytes(expected))))
                .Then(Op.delete(bytes(key), DeleteOption.DEFAULT)).commit(), deadline, what + " on " + key),
                done -> {
                    if (done.isSucceeded()) {
                        cache.delete(key, done.getHeader().getRevision(), false);
                    }
                });
        return txn.isSucceeded();
    }

    void delete(String key, long deadline) throws DcsException {
        write(key, null, () -> call(() -> kv.delete(bytes(key)), deadline, "delete of " + key),
                response -> cache.delete(key, response.getHeader().getRevision(), false));
    }

    void deletePrefix(String prefix, long deadline) throws DcsException {
        var response = call(() -> kv.delete(bytes(prefix), DeleteOption.builder().isPrefix(true).build()), deadline,
                "delete of everything under " + prefix);
        long revision = response.getHeader().getRevision();
        cache.snapshot().stream().filter(v -> v.key().startsWith(prefix))
                .forEach(v -> cache.delete(v.key(), revision, false));
    }

    static StoredValue stored(KeyValue kv) {
        return new StoredValue(kv.getKey().toString(StandardCharsets.UTF_8),
                kv.getValue().toString(StandardCharsets.UTF_8), kv.getModRevision(), kv.getLease());
    }

    private boolean putIf(Cmp condition, String key, String value, long lease, long deadline, String what)
            throws DcsException {
        TxnResponse txn = write(key, value, () -> call(() -> kv.txn().If(condition)
                .Then(Op.put(bytes(key), bytes(value), withLease(lease))).commit(), deadline, what + " on " + key),
                done -> {
                    if (done.isSucceeded()) {
                        cache.put(new StoredValue(key, value, done.getHeader().getRevision(), lease), false);
                    }
                });
        return txn.isSucceeded();
    }

    private static PutOption withLease(long lease) {
        return PutOption.builder().withLeaseId(lease).build();
    }

    /**
     * A write of {@code value} (null: a deletion) to {@code key}, announced to the cache while in flight, and
     * {@code record}ed in the cache before the announcement ends: the watch's echo may arrive at any moment, and
     * it must find either the write still announced or the cache already at the write's revision.
     */
    private <T> T write(String key, String value, Written<T> write, Consumer<T> record) throws DcsException {
        cache.writing(key, value);
        try {
            T result = write.call();
            record.accept(result);
            return result;
        } finally {
            cache.written(key, value);
        }
    }

    @FunctionalInterface
    private interface Written<T> {
        T call() throws DcsException;
    }

    private <T> T call(Supplier<CompletableFuture<T>> issue, long deadline, String what) throws DcsException {
        try {
            return calls.await(issue, deadline, what);
        } catch (EtcdCalls.LeaseNotFoundException e) {
            throw e;
        } catch (DcsException e) {
            onFailure.run();
            throw e;
        }
    }
}
