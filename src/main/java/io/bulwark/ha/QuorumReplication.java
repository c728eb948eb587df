package io.bulwark.ha;

import io.bulwark.config.SyncSettings;
import io.bulwark.dcs.Dcs;
import io.bulwark.dcs.DcsCodec;
import io.bulwark.dcs.Member;
import io.bulwark.dcs.SyncState;
import io.bulwark.postgres.StandbyNames;
import io.bulwark.postgres.WalSender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The leader's side of {@code synchronous_mode: quorum}, once per cycle after the lock is renewed: reads
 * {@code synchronous_standby_names} from the server, and applies the steps of {@link QuorumResolver} in order, each
 * one safe on its own, so a crash or a failed write between two steps leaves a safe state that the next cycle
 * continues from. HA thread only.
 */
final class QuorumReplication {
    private static final Logger log = LoggerFactory.getLogger(QuorumReplication.class);
    /** More than any resolution needs (at most three steps); a bound, not a tuning knob. */
    private static final int MAX_STEPS = 4;

    private final Dcs dcs;
    private final PostgresControl pg;
    private final QuorumGuard guard = new QuorumGuard();
    /** The server's value was made the managed one since the last reset (see {@link #apply}). */
    private boolean adopted;

    QuorumReplication(Dcs dcs, PostgresControl pg) {
        this.dcs = dcs;
        this.pg = pg;
    }

    /** On the leader with a running primary, synchronous_mode quorum. */
    void apply(Observation o) throws Exception {
        SyncSettings s = o.settings().dynamic().sync();
        SyncState key = o.cluster().sync();
        StandbyNames inEffect = StandbyNames.parse(pg.synchronousStandbyNamesInEffect());
        List<WalSender> senders = pg.walSenders();
        boolean keyWritten = false;
        if (key == null || !key.writtenBy(o.name())) {
            // enabling, or the first cycle after a promotion: the value set before promoting decides the voters,
            // unless none of them can answer soon (not streaming, no running member: typically the old leader
            // alone): then the always-safe empty key, and the GUC can stop waiting for them in this same cycle
            QuorumResolver.Key first = key == null || nobodyToWaitFor(o, inEffect, senders)
                    ? QuorumResolver.Key.EMPTY : QuorumResolver.wantedKey(inEffect);
            reset();
            if (!write(o.name(), first, key == null ? null : key.version())) {
                log.info("quorum commit: the sync key was updated by someone else; re-reading next cycle");
                return;
            }
            log.info("quorum commit: took over the sync key as leader {}: quorum {} of ({})", o.name(),
                    first.quorum(), String.join(", ", first.voters()));
            if (key == null || !first.equals(QuorumResolver.Key.EMPTY)) {
                return; // Patroni's pause: give the standbys a cycle to reconnect to us before dropping any
            }
            key = new SyncState(-1, o.name(), 0, null);
            keyWritten = true;
        }
        if (!adopted) { // after an agent restart the managed value is unknown: a reload must not reset the server's
            pg.synchronousStandbyNames(inEffect.format());
            adopted = true;
        }
        guard.observe(inEffect, o.pg().walPosition(), synchronousFlush(senders));
        QuorumResolver.Key current = keyOf(key);
        Set<String> active = active(s, o.name(), o.cluster().members(), senders, o.pg().walPosition());
        for (int i = 0; i < MAX_STEPS; i++) {
            Optional<QuorumResolver.Step> step = QuorumResolver.next(new QuorumResolver.State(current, inEffect,
                    guard.guard(), guard.historyUnknown(), active, s.nodeCount(), s.strict()));
            if (step.isEmpty()) {
                return;
            }
            switch (step.get()) {
                case QuorumResolver.Step.WriteKey w -> {
                    if (keyWritten) {
                        return; // its version changed: the next cycle writes with the new one
                    }
                    if (!write(o.name(), w.key(), key.version())) {
                        log.info("quorum commit: the sync key was updated by someone else; re-reading next cycle");
                        return;
                    }
                    log.info("quorum commit: sync key set to quorum {} of ({})", w.key().quorum(),
                            String.join(", ", w.key().voters()));
                    current = w.key();
                    keyWritten = true;
                }
                case QuorumResolver.Step.WriteStandbyNames w -> {
                    pg.synchronousStandbyNames(w.value().format());
                    guard.written(w.value());
                    inEffect = w.value();
                }
            }
        }
    }

    /** No standby {@code ssn} names streams to us or has a running member key (other than ourselves). */
    private static boolean nobodyToWaitFor(Observation o, StandbyNames ssn, List<WalSender> senders) {
        Set<String> names = ssn.realNames();
        boolean streaming = senders.stream().anyMatch(w -> w.applicationName() != null
                && names.contains(w.applicationName()) && w.streaming());
        boolean running = o.cluster().members().stream().anyMatch(m -> names.contains(m.name())
                && !m.name().equalsIgnoreCase(o.name()) && "running".equals(m.data().state()));
        return !streaming && !running;
    }

    /** Not the leader, or quorum mode off: start from the server's value next time. */
    void reset() {
        guard.reset();
        adopted = false;
    }

    /**
     * Before promoting (Patroni's order): wait for the members of the old key, so a commit acknowledged right after the
     * promotion is on enough of them for the old key's rule; {@code n = |members| - quorum}, minus one when we are
     * one of them.
     */
    StandbyNames beforePromote(Observation o) {
        SyncSettings s = o.settings().dynamic().sync();
        SyncState key = o.cluster().sync();
        Set<String> members = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        int quorum = 0;
        if (key != null && key.leader() != null) {
            members.add(key.leader());
            members.addAll(voterNames(key));
            quorum = key.quorum() == null ? 0 : key.quorum();
        }
        int num = members.size() - quorum;
        if (members.remove(o.name())) {
            num -= 1;
        }
        num = Math.max(num, s.strict() ? 1 : 0);
        if (num > 0 && members.isEmpty()) {
            return StandbyNames.any(1, List.of(StandbyNames.STRICT_PLACEHOLDER));
        }
        return StandbyNames.any(num, members);
    }

    /**
     * Standbys that may be synchronous: streaming, with a member key, not {@code nosync}, within
     * {@code maximum_lag_on_syncnode}; ones that may not be promoted ({@code nofailover}) only while fewer than
     * {@code synchronous_node_count} others are found (as Patroni: a voter that can never take over only makes a
     * failover harder).
     */
    static Set<String> active(SyncSettings s, String me, List<Member> members, List<WalSender> senders,
                              long primaryFlush) {
        Map<String, Member> byName = new HashMap<>();
        for (Member m : members) {
            if (!m.name().equalsIgnoreCase(me)) {
                byName.putIfAbsent(SyncPlanner.key(m.name()), m);
            }
        }
        List<Member> eligible = new ArrayList<>();
        for (WalSender w : senders) {
            Member m = w.applicationName() == null ? null : byName.get(SyncPlanner.key(w.applicationName()));
            if (m == null || !w.streaming() || !m.data().maySync() || eligible.contains(m)) {
                continue;
            }
            if (s.maximumLagOnSyncnode() >= 0 && primaryFlush - w.flushLsn() > s.maximumLagOnSyncnode()) {
                continue;
            }
            eligible.add(m);
        }
        eligible.sort(Comparator.comparing((Member m) -> m.data().mayFailover() ? 0 : 1).thenComparing(Member::name));
        Set<String> active = new LinkedHashSet<>();
        for (Member m : eligible) {
            if (m.data().mayFailover() || active.size() < s.nodeCount()) {
                active.add(m.name());
            }
        }
        return active;
    }

    static QuorumResolver.Key keyOf(SyncState key) {
        return new QuorumResolver.Key(key.quorum() == null ? 0 : key.quorum(), Set.copyOf(voterNames(key)));
    }

    /** {@code sync_standby} split, names as written (not lower-cased). */
    static List<String> voterNames(SyncState key) {
        List<String> out = new ArrayList<>();
        if (key.syncStandby() != null) {
            for (String n : key.syncStandby().split(",")) {
                if (!n.isBlank()) {
                    out.add(n.strip());
                }
            }
        }
        return out;
    }

    private static Map<String, Long> synchronousFlush(List<WalSender> senders) {
        Map<String, Long> out = new HashMap<>();
        for (WalSender w : senders) {
            if (w.applicationName() != null && w.streaming() && w.synchronous()) {
                out.merge(w.applicationName(), w.flushLsn(), Math::max);
            }
        }
        return out;
    }

    private boolean write(String me, QuorumResolver.Key k, Long version) throws Exception {
        String voters = k.voters().isEmpty() ? null : String.join(",", k.voters());
        return dcs.setSync(DcsCodec.encodeSyncState(new SyncState(0, me, k.quorum(), voters)), version);
    }
}
