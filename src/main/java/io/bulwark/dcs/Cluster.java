package io.bulwark.dcs;

import java.util.List;
import java.util.Optional;

/**
 * One consistent read of everything under {@code /<namespace>/<scope>/}: an immutable value, so the HA loop,
 * the REST API and the CLI can share it without locks. Each part carries the store version it was read at so
 * writers can compare-and-set against it.
 *
 * @param initialize system identifier from the {@code initialize} key; {@code null} when the key is absent,
 *                   {@code ""} while a bootstrap is in progress
 * @param config     dynamic configuration ({@code config} key), or {@code null} when absent
 * @param leader     holder of the {@code leader} key, or {@code null} when nobody holds it
 * @param members    live members ({@code members/*} keys), sorted by name
 * @param status     the leader's last published position ({@code status} key), or {@link ClusterStatus#EMPTY}
 * @param failover   a requested switchover or failover ({@code failover} key), or {@code null}
 * @param history    timeline history ({@code history} key); empty when absent
 * @param sync       synchronous replication state ({@code sync} key), or {@code null}
 * @param failsafe   the {@code failsafe} key: member name to {@code api_url}, or {@code null} when absent
 *                   ({@link FailsafeCodec})
 */
public record Cluster(
        String initialize,
        ClusterConfig config,
        Leader leader,
        List<Member> members,
        ClusterStatus status,
        Failover failover,
        List<HistoryEntry> history,
        SyncState sync,
        java.util.Map<String, String> failsafe) {

    public static final Cluster EMPTY =
            new Cluster(null, null, null, List.of(), ClusterStatus.EMPTY, null, List.of(), null);

    /** Without a {@code failsafe} key. */
    public Cluster(String initialize, ClusterConfig config, Leader leader, List<Member> members, ClusterStatus status,
                   Failover failover, List<HistoryEntry> history, SyncState sync) {
        this(initialize, config, leader, members, status, failover, history, sync, null);
    }

    /** The same view with another {@code failsafe} key value. */
    public Cluster withFailsafe(java.util.Map<String, String> topology) {
        return new Cluster(initialize, config, leader, members, status, failover, history, sync, topology);
    }

    public Cluster {
        failsafe = failsafe == null ? null : java.util.Map.copyOf(failsafe);
        members = List.copyOf(members);
        history = List.copyOf(history);
        status = status == null ? ClusterStatus.EMPTY : status;
    }

    public boolean isUnlocked() {
        return leader == null;
    }

    public boolean hasLeader(String name) {
        return leader != null && leader.name().equals(name);
    }

    public Optional<Member> member(String name) {
        return members.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    public Optional<Member> leaderMember() {
        return leader == null ? Optional.empty() : member(leader.name());
    }

    /** True when a valid PostgreSQL system identifier (at least 10 digits) has been published. */
    public boolean isInitialized() {
        return initialize != null && initialize.matches("\\d{10,}");
    }

    /** Patroni's derivation: last history line's timeline + 1; no history → 1 (0 only when unparsable). */
    public int timeline() {
        return history.isEmpty() ? 1 : history.get(history.size() - 1).timeline() + 1;
    }
}
