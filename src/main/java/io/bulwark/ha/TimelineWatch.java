package io.bulwark.ha;

import io.bulwark.dcs.Member;

import java.util.Objects;
import java.util.Optional;

/**
 * Decides when a running replica checks its timeline against the leader's (reference §2.6) and remembers what it
 * checked, so the check (two replication connections) runs once per situation, not every cycle.
 *
 * <p>Triggers, as Patroni's: a leader whose published timeline differs from ours (it was promoted, or we are on a
 * branch it never had), or a new leader. Only when something can be done about a divergence: {@code use_pg_rewind},
 * or {@code remove_data_directory_on_diverged_timelines}. After a rewind that failed while neither
 * {@code remove_data_directory_*} setting allows a re-clone, the same situation is not checked again (the node
 * stays as it is, as under Patroni, instead of stopping and rewinding every cycle). Loop thread only.
 */
final class TimelineWatch {
    private volatile String checked;
    private volatile String gaveUp;

    /** The check itself: {@link PostgresControl#divergence}. */
    interface Check {
        Optional<String> divergence(String host, int port);
    }

    /** Runs the check when it is due; the divergence found, or empty. */
    Optional<LocalState.Divergence> check(Observation o, Check pg) {
        Optional<Member> leader = due(o);
        if (leader.isEmpty()) {
            return Optional.empty();
        }
        String key = key(o, leader.get());
        if (key.equals(checked) || key.equals(gaveUp)) {
            return Optional.empty();
        }
        checked = key;
        String url = leader.get().data().connUrl();
        return pg.divergence(ConnUrls.host(url), ConnUrls.port(url))
                .map(why -> new LocalState.Divergence(leader.get().name(), why));
    }

    /** A rewind for the current situation failed and nothing else is allowed: do not check it again. */
    void gaveUp(Observation o) {
        o.cluster().leaderMember().ifPresent(l -> gaveUp = key(o, l));
    }

    /** The leader to check against, when a check is due by the triggers above. */
    static Optional<Member> due(Observation o) {
        if (!o.dcsOk() || !o.pg().running() || !o.pg().inRecovery() || o.pg().timeline() <= 0
                || !(o.settings().dynamic().usePgRewind() || o.settings().dynamic().removeOnDivergedTimelines())) {
            return Optional.empty();
        }
        return o.cluster().leaderMember().filter(l -> !l.name().equals(o.name()) && l.data().connUrl() != null
                && l.data().isPrimaryRole() && l.data().timeline() != null
                && l.data().timeline() != o.pg().timeline());
    }

    private static String key(Observation o, Member leader) {
        return leader.name() + "/" + Objects.toString(leader.data().timeline()) + "/" + o.pg().timeline();
    }
}
