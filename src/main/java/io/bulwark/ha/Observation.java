package io.bulwark.ha;

import io.bulwark.dcs.Cluster;
import io.bulwark.postgres.PostgresState;

import java.time.Instant;
import java.util.Map;

/**
 * Everything one HA decision may look at, gathered by I/O before {@link HaDecider#decide} runs.
 *
 * @param cluster      the DCS view, or {@code null} when the DCS could not be read this cycle
 * @param dcsError     why the DCS read failed, or {@code null}
 * @param pg           the local PostgreSQL probe
 * @param settings     who we are and the timings in force
 * @param local        what the loop remembers
 * @param peers        answers of the other members' {@code GET /patroni}, gathered only when the cluster has no
 *                     leader and we might race; a member that did not answer is absent
 * @param now          monotonic now, nanoseconds
 * @param shuttingDown the agent was asked to stop (SIGTERM)
 * @param wallNow      wall-clock now, only for comparing with scheduled times written by people
 * @param longOperation the long PostgreSQL operation running beside the loop ("post-promotion checkpoint"), or
 *                     {@code null} (see {@link LongOperations})
 * @param failsafe     failsafe mode's part ({@link FailsafeView#NONE} when it has nothing to say)
 */
public record Observation(
        Cluster cluster,
        String dcsError,
        PostgresState pg,
        HaSettings settings,
        LocalState local,
        Map<String, PeerView> peers,
        long now,
        boolean shuttingDown,
        Instant wallNow,
        String longOperation,
        FailsafeView failsafe) {

    public Observation {
        peers = Map.copyOf(peers);
        failsafe = failsafe == null ? FailsafeView.NONE : failsafe;
    }

    /** Without anything from failsafe mode. */
    public Observation(Cluster cluster, String dcsError, PostgresState pg, HaSettings settings, LocalState local,
                       Map<String, PeerView> peers, long now, boolean shuttingDown, Instant wallNow,
                       String longOperation) {
        this(cluster, dcsError, pg, settings, local, peers, now, shuttingDown, wallNow, longOperation,
                FailsafeView.NONE);
    }

    /** This observation as if the DCS read had failed with {@code error}, with {@code view} from failsafe mode. */
    Observation withoutDcs(String error, FailsafeView view) {
        return new Observation(null, error, pg, settings, local, peers, now, shuttingDown, wallNow, longOperation, view);
    }

    public String name() {
        return settings.name();
    }

    public boolean dcsOk() {
        return cluster != null;
    }

    public boolean iHoldLockInDcs() {
        return cluster != null && cluster.hasLeader(name());
    }
}
