package io.bulwark.ha;

import io.bulwark.config.SyncSettings;
import io.bulwark.dcs.Dcs;
import io.bulwark.dcs.DcsCodec;
import io.bulwark.dcs.SyncState;
import io.bulwark.postgres.WalSender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The leader's side of {@code synchronous_mode}, applied once per cycle after the lock is renewed: chooses the
 * synchronous standbys ({@link SyncPlanner}), sets {@code synchronous_standby_names}, and keeps the {@code sync}
 * key naming only standbys that have every acknowledged commit. A standby that disconnects is no longer
 * streaming, so the next cycle (within {@code loop_wait}, well within {@code ttl}) names another one or, unless
 * {@code synchronous_mode_strict}, none: writes do not stay blocked. HA thread only.
 */
final class SyncReplication {
    private static final Logger log = LoggerFactory.getLogger(SyncReplication.class);

    private final Dcs dcs;
    private final PostgresControl pg;
    /** Lower-cased standby name → the primary's flush position once synchronous_standby_names first named it. */
    private final Map<String, Long> namedAt = new HashMap<>();
    private final QuorumReplication quorum;
    private boolean managing;

    SyncReplication(Dcs dcs, PostgresControl pg) {
        this.dcs = dcs;
        this.pg = pg;
        this.quorum = new QuorumReplication(dcs, pg);
    }

    /** On the leader with a running primary. */
    void apply(Observation o) throws Exception {
        SyncSettings s = o.settings().dynamic().sync();
        SyncState key = o.cluster().sync();
        if (s.enabled() && s.quorum()) {
            namedAt.clear();
            managing = true;
            quorum.apply(o);
            return;
        }
        quorum.reset();
        if (!s.enabled()) {
            if (key != null) { // first: the key must not outlive the waiting it describes
                dcs.deleteSync();
                log.info("synchronous_mode is off: removed the sync key");
            }
            if (managing) {
                pg.synchronousStandbyNames(null);
                managing = false;
                namedAt.clear();
            }
            return;
        }
        Set<String> current = SyncPlanner.listed(key, o.name());
        List<WalSender> senders = pg.walSenders();
        SyncPlanner.Plan plan = SyncPlanner.plan(s, o.name(), o.cluster().members(), senders, current,
                o.pg().walPosition());
        List<String> kept = plan.picked().stream().filter(n -> current.contains(SyncPlanner.key(n))).toList();
        Set<String> inKey = key != null && key.writtenBy(o.name()) ? current : null; // null: not ours, rewrite
        if (inKey != null && key.quorum() != null && key.quorum() > 0) {
            // from quorum mode: no single voter is known to hold every commit; name none before changing the GUC
            write(o.name(), List.of());
            inKey = Set.of();
        }
        if (kept.size() < current.size()) { // leave the key before PostgreSQL stops waiting for them
            write(o.name(), kept);
            inKey = keys(kept);
            log.info("synchronous standby {} dropped (not streaming, nosync or lagging)", current.stream()
                    .filter(n -> kept.stream().noneMatch(k -> SyncPlanner.key(k).equals(n))).toList());
        }
        namedAt.keySet().retainAll(plan.picked().stream().map(SyncPlanner::key).toList());
        boolean changed = pg.synchronousStandbyNames(plan.ssn());
        managing = true;
        long position = changed ? pg.probe().walPosition() : o.pg().walPosition();
        for (String n : plan.picked()) {
            namedAt.putIfAbsent(SyncPlanner.key(n), position);
        }
        List<String> confirmed = SyncPlanner.confirmed(plan.picked(), senders, namedAt);
        if (inKey == null || !inKey.equals(keys(confirmed))) {
            write(o.name(), confirmed);
        }
    }

    private static Set<String> keys(List<String> names) {
        return Set.copyOf(names.stream().map(SyncPlanner::key).toList());
    }

    /**
     * Before a promotion: in quorum mode, wait for the old key's members (see {@link QuorumReplication#beforePromote});
     * in strict mode, no commit may be acknowledged before a standby is named.
     */
    void beforePromote(Observation o) throws Exception {
        SyncSettings s = o.settings().dynamic().sync();
        quorum.reset();
        if (s.enabled() && s.quorum()) {
            pg.synchronousStandbyNames(quorum.beforePromote(o).format());
            managing = true;
        } else if (s.enabled() && s.strict()) {
            pg.synchronousStandbyNames("*");
            managing = true;
        }
    }

    private void write(String me, List<String> standbys) throws Exception {
        String json = DcsCodec.encodeSyncState(new SyncState(0, me, null,
                standbys.isEmpty() ? null : String.join(",", standbys)));
        dcs.setSync(json, null);
    }
}
