package io.bulwark.postgres;

import java.util.Optional;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.bulwark.config.Credentials;

/** The timeline check of a running replica against its leader, for {@link Postgres#divergence}. */
final class Divergence {
    private static final Logger log = LoggerFactory.getLogger(Divergence.class);

    private final LeaderTimeline timelines;
    private final Upstream self;
    private final Supplier<PostgresState> probe;

    Divergence(Credentials replication, Upstream self, Supplier<PostgresState> probe) {
        this.timelines = new LeaderTimeline(replication);
        this.self = self;
        this.probe = probe;
    }

    Optional<String> from(String host, int port) {
        PostgresState now = probe.get();
        if (!now.running() || !now.inRecovery()) {
            return Optional.empty();
        }
        var local = timelines.read(self);
        var leader = local.isEmpty() ? Optional.<LeaderTimeline.Seen>empty()
                : timelines.read(new Upstream(host, port, false));
        if (leader.isEmpty()) {
            return Optional.empty();
        }
        long replayed = Math.max(now.replayLsn(), probe.get().replayLsn());
        var why = TimelineHistory.replicaDivergence(local.get().timeline(), replayed, leader.get().timeline(),
                leader.get().history());
        log.info("timeline check against {}:{}: local timeline {} replayed {}, leader timeline {}: {}", host, port,
                local.get().timeline(), Slots.lsnText(replayed), leader.get().timeline(), why.orElse("not diverged"));
        return why;
    }
}
