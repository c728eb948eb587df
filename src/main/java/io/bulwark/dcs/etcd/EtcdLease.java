package io.bulwark.dcs.etcd;

import io.bulwark.dcs.DcsException;
import io.etcd.jetcd.Lease;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one lease of this process (Patroni: one lease per agent), holding our member key and, while we lead,
 * the leader key. Granted lazily, refreshed only by explicit {@code keepAliveOnce} calls from the HA loop,
 * never by a background keepalive: a stuck loop must lose the lock. Never revoked; a stopped agent's keys
 * vanish ttl seconds after its last refresh.
 */
final class EtcdLease {
    private static final Logger LOG = LoggerFactory.getLogger(EtcdLease.class);
    /** touchMember refreshes at most this often; leader operations always refresh. */
    private static final long LAZY_REFRESH_NANOS = 1_000_000_000L;

    private final Lease leases;
    private final EtcdCalls calls;
    private final String member;
    private int ttlSeconds;
    private long id;
    private long lastRefresh;

    EtcdLease(Lease leases, EtcdCalls calls, String member, int ttlSeconds) {
        this.leases = leases;
        this.calls = calls;
        this.member = member;
        this.ttlSeconds = ttlSeconds;
    }

    /** Our current lease, granted or refreshed as needed; {@code force} refreshes even if refreshed lately. */
    synchronized long ensure(long deadline, boolean force) throws DcsException {
        if (id == 0) {
            return grant(deadline);
        }
        long sent = System.nanoTime();
        if (force || sent - lastRefresh >= LAZY_REFRESH_NANOS) {
            try {
                calls.await(() -> leases.keepAliveOnce(id), deadline, "keepalive of lease " + Long.toHexString(id));
                lastRefresh = sent;
            } catch (EtcdCalls.LeaseNotFoundException e) {
                LOG.warn("etcd lease {} of member {} has expired; granting a new one", Long.toHexString(id), member);
                return grant(deadline);
            }
        }
        return id;
    }

    /** A write found {@code stale} gone: forget it so the next {@link #ensure} grants a new one. */
    synchronized void drop(long stale) {
        if (id == stale) {
            id = 0;
        }
    }

    /** New ttl: the next {@link #ensure} grants a new lease; the old one is left to expire. */
    synchronized void setTtl(int ttlSeconds) {
        if (ttlSeconds != this.ttlSeconds) {
            this.ttlSeconds = ttlSeconds;
            id = 0;
        }
    }

    private long grant(long deadline) throws DcsException {
        long sent = System.nanoTime();
        id = calls.await(() -> leases.grant(ttlSeconds), deadline, "grant of a " + ttlSeconds + "s lease").getID();
        lastRefresh = sent;
        LOG.info("granted etcd lease {} (ttl {}s) to member {}", Long.toHexString(id), ttlSeconds, member);
        return id;
    }
}
