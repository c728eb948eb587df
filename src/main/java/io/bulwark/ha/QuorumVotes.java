package io.bulwark.ha;

import io.bulwark.dcs.Cluster;
import io.bulwark.dcs.Member;
import io.bulwark.dcs.SyncState;

import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The candidate's side of quorum commit (Patroni's quorum vote in {@code _is_healthiest_node}): a replica may take
 * over only after seeing {@code quorum + 1} members of the {@code sync} key (its leader and its
 * {@code sync_standby}), itself included when it is one, each running and none of them ahead of it. Any
 * acknowledged commit is on enough members that such a set contains one of them (the leader keeps that true, see
 * {@link QuorumResolver}), and a candidate at least as far as that member has the commit. A candidate outside the key
 * may take over the same way: it just needs one more vote.
 */
final class QuorumVotes {
    private QuorumVotes() {
    }

    /**
     * Does the quorum rule apply? With {@code synchronous_mode: quorum}, or whenever the key carries a quorum above
     * zero (a leader in quorum mode wrote it and this member has not seen the config change yet: reading it as a
     * list of synchronous standbys would let one voter take over without the others).
     */
    static boolean applies(Observation o) {
        SyncState key = o.cluster().sync();
        return o.settings().dynamic().sync().enabled() && (o.settings().dynamic().sync().quorum()
                || key != null && key.quorum() != null && key.quorum() > 0);
    }

    /** The members of the key: its leader and its voters (case-insensitive). */
    static Set<String> members(SyncState key) {
        Set<String> out = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        if (key != null && key.leader() != null) {
            out.add(key.leader());
            out.addAll(QuorumReplication.voterNames(key));
        }
        return out;
    }

    /** Empty when we may race; otherwise why not. Only when {@link #applies}. */
    static Optional<String> whyNot(Observation o, long mine) {
        SyncState key = o.cluster().sync();
        if (key == null || key.leader() == null) {
            return Optional.of("synchronous_mode is quorum and the sync key is missing: nobody is known to hold"
                    + " every acknowledged commit");
        }
        Set<String> members = members(key);
        int needed = (key.quorum() == null ? 0 : key.quorum()) + 1;
        int votes = members.contains(o.name()) ? 1 : 0;
        int ahead = 0;
        for (PeerView peer : o.peers().values()) {
            if (!members.contains(peer.name()) || peer.name().equalsIgnoreCase(o.name())) {
                continue;
            }
            if (peer.walPosition() > mine) {
                ahead++; // LeaderRace already refused unless it is the former leader or may not be promoted
            } else if (peer.walPosition() > 0 && !peer.primary()) {
                votes++;
            }
        }
        if (votes >= needed || ahead == 0 && key.writtenBy(o.name())) {
            return Optional.empty(); // the former leader, with nobody ahead, holds every commit it acknowledged
        }
        return Optional.of("quorum commit: " + votes + " of the sync key's members (" + String.join(", ", members)
                + ") are reachable and not ahead of me, counting myself; " + needed + " needed (quorum "
                + (needed - 1) + " + 1)");
    }

    /**
     * For the leader deciding whether another member could take over: at least {@code quorum + 1} members of the
     * key other than ourselves are running replicas that may be promoted (within {@code maximum_lag_on_failover}).
     */
    static boolean failoverPossible(Observation o) {
        Cluster c = o.cluster();
        SyncState key = c.sync();
        if (key == null || key.leader() == null) {
            return false;
        }
        Set<String> members = members(key);
        long optime = c.status().optime();
        long maxLag = o.settings().dynamic().maximumLagOnFailover();
        long healthy = c.members().stream().filter(m -> !m.name().equalsIgnoreCase(o.name())
                        && members.contains(m.name()) && healthyReplica(m, optime, maxLag)).count();
        return healthy >= (key.quorum() == null ? 0 : key.quorum()) + 1;
    }

    private static boolean healthyReplica(Member m, long optime, long maxLag) {
        return "running".equals(m.data().state()) && m.data().mayFailover() && !m.data().isPrimaryRole()
                && (optime == 0 || m.data().xlogLocation() == null || optime - m.data().xlogLocation() <= maxLag);
    }
}
