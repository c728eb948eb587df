package io.bulwark.ha;

import io.bulwark.dcs.ClusterStatus;
import io.bulwark.postgres.Postgres;
import io.bulwark.postgres.SlotRequest;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Keeps the local server's replication slots in step each cycle (see {@link SlotTargets}) and remembers what the
 * leader publishes about them in {@code /status}: the slots' positions and the retained member slots. A renewal
 * publishes what the previous cycle found, because it must not wait for slot queries. Loop thread only.
 */
final class SlotKeeper {
    private final PostgresControl pg;
    private final SlotRetention retention = new SlotRetention();
    private Map<String, Long> published = Map.of();
    private List<String> retained = List.of();

    SlotKeeper(PostgresControl pg) {
        this.pg = pg;
    }

    /** The {@code status} value a leader at {@code position} publishes. */
    ClusterStatus status(long position) {
        return new ClusterStatus(position, published, retained);
    }

    /** On the primary (after the lock was renewed or taken): converge, and note what to publish next. */
    void onPrimary(Observation o, long walPosition) throws Exception {
        if (!o.settings().dynamic().useSlots()) {
            published = Map.of();
            retained = List.of();
            return;
        }
        Set<String> members = retention.wanted(o);
        Map<String, Long> positions = pg.syncSlots(SlotTargets.forPrimary(o, members));
        published = SlotTargets.published(o, positions, walPosition);
        // our own name too, as Patroni: after a failover the new leader then keeps our slot for member_slots_ttl
        // although our member key expired with the lease, and we find it when we rejoin
        Set<String> keep = new TreeSet<>(members);
        keep.add(Postgres.slotNameFor(o.name()));
        o.settings().dynamic().slots().permanent().keySet().forEach(keep::remove);
        retained = List.copyOf(keep);
    }

    /**
     * On the running standby leader of a standby cluster: one physical slot per member that cascades from it (and
     * the permanent physical ones), so its replicas stream through slots as they would from a primary.
     */
    void onStandbyLeader(Observation o) throws Exception {
        published = Map.of();
        retained = List.of();
        if (!o.settings().dynamic().useSlots()) {
            return;
        }
        Set<String> members = retention.wanted(o);
        Map<String, Long> wanted = new java.util.TreeMap<>();
        members.forEach(n -> wanted.put(n, 0L));
        SlotRequest primaryShape = SlotTargets.forPrimary(o, members);
        primaryShape.physical().keySet().forEach(n -> wanted.put(n, 0L));
        pg.syncSlots(new SlotRequest(false, wanted, List.of(), primaryShape.settings(), primaryShape.mayDrop()));
    }

    /**
     * On a running replica of another leader: keep and advance the slots it needs after a failover. Returns the
     * permanent logical slots it lacks and should copy from the leader ({@link SlotTargets#logicalToCopy}).
     */
    List<String> onReplica(Observation o) throws Exception {
        published = Map.of();
        retained = List.of();
        if (o.settings().dynamic().useSlots() && o.dcsOk() && o.pg().running() && o.pg().inRecovery()
                && !o.cluster().isUnlocked() && !o.cluster().hasLeader(o.name())) {
            Map<String, Long> present = pg.syncSlots(SlotTargets.forReplica(o));
            return SlotTargets.logicalToCopy(o, present.keySet());
        }
        return List.of();
    }
}
