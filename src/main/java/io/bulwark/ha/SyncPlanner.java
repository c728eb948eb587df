package io.bulwark.ha;

import io.bulwark.config.SyncSettings;
import io.bulwark.dcs.Member;
import io.bulwark.dcs.SyncState;
import io.bulwark.postgres.WalSender;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Which standbys the primary waits for, and which of them the {@code sync} key may name, as pure rules.
 *
 * <p>The invariant: every member the {@code sync} key names has every acknowledged commit, so promoting it loses
 * nothing. Hence the order the leader applies a plan in ({@link SyncReplication}): a standby leaves the key
 * <em>before</em> {@code synchronous_standby_names} stops naming it, and enters the key only once PostgreSQL reports
 * it synchronous <em>and</em> it has flushed the primary's position as of the moment it was first named (commits
 * acknowledged before that were waited for by the previous set only).
 */
final class SyncPlanner {
    private SyncPlanner() {
    }

    /**
     * @param picked     member names to name in synchronous_standby_names, in order
     * @param ssn        the value for synchronous_standby_names
     */
    record Plan(List<String> picked, String ssn) {
    }

    /**
     * Streaming standbys that may be synchronous (member key present, not {@code nosync}, within
     * {@code maximum_lag_on_syncnode}), the current ones first so the choice does not flap, then by
     * {@code sync_priority}, then by position; the first {@code synchronous_node_count}.
     */
    static Plan plan(SyncSettings s, String me, List<Member> members, List<WalSender> senders, Set<String> current,
                     long primaryFlush) {
        Map<String, Member> byName = members.stream().filter(m -> !m.name().equalsIgnoreCase(me))
                .collect(Collectors.toMap(m -> key(m.name()), Function.identity(), (a, b) -> a));
        Set<String> now = current.stream().map(SyncPlanner::key).collect(Collectors.toSet());
        List<WalSender> eligible = new ArrayList<>();
        for (WalSender w : senders) {
            Member m = w.applicationName() == null ? null : byName.get(key(w.applicationName()));
            if (m == null || !w.streaming() || !m.data().maySync()) {
                continue;
            }
            if (s.maximumLagOnSyncnode() >= 0 && primaryFlush - w.flushLsn() > s.maximumLagOnSyncnode()) {
                continue;
            }
            eligible.add(w);
        }
        eligible.sort(Comparator.<WalSender>comparingInt(w -> now.contains(key(w.applicationName())) ? 0 : 1)
                .thenComparing(w -> -byName.get(key(w.applicationName())).data().syncPriority())
                .thenComparing(w -> -w.flushLsn())
                .thenComparing(WalSender::applicationName));
        List<String> picked = eligible.stream().limit(s.nodeCount())
                .map(w -> byName.get(key(w.applicationName())).name()).toList();
        return new Plan(picked, ssn(picked, s.strict()));
    }

    /** {@code FIRST n ("a","b")}; with none, {@code *} (strict: every commit waits) or empty (asynchronous). */
    static String ssn(List<String> picked, boolean strict) {
        if (picked.isEmpty()) {
            return strict ? "*" : "";
        }
        return "FIRST " + picked.size() + " (" + picked.stream().map(n -> "\"" + n.replace("\"", "\"\"") + "\"")
                .collect(Collectors.joining(",")) + ")";
    }

    /**
     * The names the {@code sync} key may hold now: those of {@code picked} that PostgreSQL reports synchronous and
     * that have flushed {@code namedAt}, the primary's position when they were first named.
     */
    static List<String> confirmed(List<String> picked, List<WalSender> senders, Map<String, Long> namedAt) {
        List<String> out = new ArrayList<>();
        for (String name : picked) {
            Optional<WalSender> w = senders.stream()
                    .filter(x -> x.applicationName() != null && key(x.applicationName()).equals(key(name))).findFirst();
            Long since = namedAt.get(key(name));
            if (w.isPresent() && w.get().synchronous() && since != null && w.get().flushLsn() >= since) {
                out.add(name);
            }
        }
        return out;
    }

    /**
     * The names in a {@code sync} key written by {@code me}; empty for a key another leader wrote, or none, or one
     * written in quorum mode (its standbys do not each hold every acknowledged commit; only enough of them together).
     */
    static Set<String> listed(SyncState sync, String me) {
        boolean quorum = sync != null && sync.quorum() != null && sync.quorum() > 0;
        return sync == null || !sync.writtenBy(me) || quorum ? Set.of() : sync.standbys();
    }

    /**
     * May {@code name} be promoted automatically? Always with synchronous mode off; with it on, only a standby the
     * {@code sync} key names, or the leader that wrote it (a former primary restarting after a full stop).
     */
    static boolean mayPromote(SyncSettings s, SyncState sync, String name) {
        return !s.enabled() || sync != null && (sync.lists(name) || sync.writtenBy(name));
    }

    static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
