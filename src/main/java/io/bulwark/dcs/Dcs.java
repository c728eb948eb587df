package io.bulwark.dcs;

import java.time.Duration;

/**
 * The distributed configuration store as the agent needs it: Patroni's keys under
 * {@code /<namespace>/<scope>/} (reference §1) with its lease and compare-and-set rules.
 *
 * <p>One lease per agent process holds both the {@code leader} key and our {@code members/<name>} key, so
 * both vanish ttl seconds after the process stops renewing. Every call is bounded by {@code retry_timeout};
 * a call that cannot finish in time throws {@link DcsException} and the caller must assume nothing.
 *
 * <p>Timing-critical for safety: {@link #attemptToAcquireLeader}, {@link #updateLeader},
 * {@link #deleteLeader}. Everything else is bookkeeping.
 */
public interface Dcs extends AutoCloseable {

    /**
     * The latest view of the cluster. The agent's implementation serves it from a watched cache (a stale read
     * is fine for deciding; every write that matters is a compare-and-set); a CLI implementation reads
     * linearizably.
     */
    Cluster cluster() throws DcsException;

    /**
     * The leader race: refresh our lease, then create {@code leader = <our name>} bound to it only if the key
     * does not exist. Returns false when someone else holds it.
     */
    boolean attemptToAcquireLeader() throws DcsException;

    /**
     * Renew our leadership: a forced lease keepalive; if the leader key is not bound to our current lease,
     * re-bind it (compare on value == our name) or re-create it if it vanished and nobody took it. Then
     * publish {@code status} if it changed. Returns false when the key belongs to someone else.
     */
    boolean updateLeader(ClusterStatus status) throws DcsException;

    /** Unconditionally take the leader key with our lease (right after we bootstrapped the cluster). */
    void takeLeader() throws DcsException;

    /**
     * Release leadership: publish {@code status} with {@code lastOptime} (if &gt; 0), then delete the leader
     * key only if its value is still our name. Returns whether we deleted it.
     */
    boolean deleteLeader(long lastOptime) throws DcsException;

    /** Write {@code members/<name>} bound to our lease, skipping the write if nothing changed. */
    void touchMember(MemberData data) throws DcsException;

    /**
     * {@code create == true}: create-if-absent race for the {@code initialize} key (value {@code sysid},
     * usually "" to claim the bootstrap); returns whether we won. {@code create == false}: plain put.
     */
    boolean initialize(String sysid, boolean create) throws DcsException;

    /** Delete the {@code initialize} key (a bootstrap failed). */
    void cancelInitialization() throws DcsException;

    /** Write {@code config} (compact JSON); with a version, only if the key is still at that version. */
    boolean setConfig(String json, Long expectedVersion) throws DcsException;

    /** Write {@code failover} (JSON); with a version, only if the key is still at that version. */
    boolean setFailover(String json, Long expectedVersion) throws DcsException;

    /**
     * Write {@code sync} (JSON, as {@link DcsCodec#encodeSyncState}); with a version, only if the key is still at
     * that version. Only the leader writes it.
     */
    boolean setSync(String json, Long expectedVersion) throws DcsException;

    /** Delete {@code sync} ({@code synchronous_mode} turned off). */
    void deleteSync() throws DcsException;

    /**
     * Write {@code failsafe} (JSON, as {@link FailsafeCodec#encode}), or delete it when {@code json} is
     * {@code null} ({@code failsafe_mode} turned off). Only the leader writes it.
     */
    void setFailsafe(String json) throws DcsException;

    /** Write {@code history} (JSON list). */
    void setHistory(String json) throws DcsException;

    /** Delete everything under the cluster prefix ({@code bulwarkctl remove}). */
    void deleteCluster() throws DcsException;

    /**
     * Wait up to {@code timeout} for a change that should wake the HA loop at once: the leader key changed or
     * vanished, {@code config} changed, or {@code status}/{@code failover} changed. Returns true if woken by
     * such a change (or by {@link #wakeUp()}), false on timeout.
     */
    boolean awaitChange(Duration timeout) throws InterruptedException;

    /** Wake a thread blocked in {@link #awaitChange} (a REST request wants a cycle now). */
    void wakeUp();

    /** Use a new lease TTL from now on (dynamic {@code ttl} changed): the lease is re-granted. */
    void setTtl(int ttlSeconds);

    /** Retry budget for one call, from dynamic {@code retry_timeout}. */
    void setRetryTimeout(Duration retryTimeout);

    @Override
    void close();
}
