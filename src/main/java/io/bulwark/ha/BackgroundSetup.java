package io.bulwark.ha;

import io.bulwark.dcs.Member;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;

/**
 * The executor's setup work that outlasts the ttl and so runs beside the loop ({@link LongOperations}): a clone
 * from another member, and a rejoin (pg_rewind or re-clone) of a diverged or former primary.
 */
final class BackgroundSetup {
    private static final Logger log = LoggerFactory.getLogger(BackgroundSetup.class);

    private final PostgresControl pg;
    private final Clock clock;
    private final SetupBackoff setupBackoff;
    private final LongOperations longOperations;
    private final TimelineWatch timelines;

    BackgroundSetup(PostgresControl pg, Clock clock, SetupBackoff setupBackoff, LongOperations longOperations,
                    TimelineWatch timelines) {
        this.pg = pg;
        this.clock = clock;
        this.setupBackoff = setupBackoff;
        this.longOperations = longOperations;
        this.timelines = timelines;
    }

    /**
     * Starts the clone (and then the replica) beside the loop: a clone outlasts the ttl, and on this thread the
     * member key expired meanwhile. A failure counts for the setup backoff, which the next attempt respects.
     */
    Outcome cloneFrom(Observation o, Member source, LocalState local) {
        Optional<String> wait = setupBackoff.holdOff("clone from '" + source.name() + "'", clock.nanoTime());
        if (wait.isPresent()) {
            return Outcome.said(local, wait.get());
        }
        String url = source.data().connUrl();
        String host = ConnUrls.host(url);
        int port = ConnUrls.port(url);
        Duration loopWait = Executor.loopWait(o);
        String what = Executor.CLONE + " from '" + source.name() + "'";
        boolean started = longOperations.start(what, () -> {
            try {
                pg.cloneFrom(host, port);
            } catch (Exception e) {
                Duration next = setupBackoff.failed(clock.nanoTime(), loopWait);
                log.warn("clone from '{}' failed; next attempt in {} s", source.name(), next.toSeconds());
                throw e;
            }
            setupBackoff.succeeded();
            pg.startReplica(host, port);
        });
        // started: the decision's own sentence stands (Patroni's "trying to bootstrap from leader 'X'")
        return started ? Outcome.done(local) : Outcome.said(local, "not cloning from '" + source.name() + "' yet: "
                + longOperations.running() + " is in progress");
    }

    /** pg_rewind (with its crash recovery), or a re-clone, then the replica's start: beside the loop, as a clone. */
    Outcome rejoin(Observation o, Member leader, LocalState local) {
        String url = leader.data().connUrl();
        String host = ConnUrls.host(url);
        int port = ConnUrls.port(url);
        boolean runningReplica = o.pg().running();
        var dyn = o.settings().dynamic();
        boolean usePgRewind = dyn.usePgRewind();
        boolean keepOnRewindFailure = runningReplica && usePgRewind && !dyn.removeDataDirectoryOnRewindFailure()
                && !dyn.removeOnDivergedTimelines();
        String what = (usePgRewind ? Executor.REWIND : Executor.RECLONE) + " from '" + leader.name() + "'";
        boolean started = longOperations.start(what, () -> {
            if (runningReplica) { // a running replica found diverged (TimelineWatch); pg_rewind needs it stopped
                pg.stop(false);
            }
            if (!usePgRewind || !pg.rewind(host, port)) {
                if (keepOnRewindFailure) {
                    timelines.gaveUp(o);
                    log.warn("pg_rewind from '{}' failed; the data directory is kept (neither"
                            + " remove_data_directory_on_rewind_failure nor remove_data_directory_on_diverged_timelines"
                            + " is set) and the replica restarted as it was", leader.name());
                    pg.startReplica(host, port);
                    return;
                }
                if (usePgRewind) {
                    log.warn("pg_rewind from '{}' was not possible; re-cloning (the old data directory is kept"
                            + " aside)", leader.name());
                }
                pg.moveDataDirAside();
                pg.cloneFrom(host, port);
            }
            pg.startReplica(host, port);
        });
        // started: the decision's own sentence stands (Patroni's "running pg_rewind from X", which tools grep for)
        return started ? Outcome.done(local.withDivergence(null))
                : Outcome.said(local, "not rejoining yet: " + longOperations.running() + " is in progress");
    }
}
