package io.bulwark.ha;

import io.bulwark.config.StandbyClusterConfig;
import io.bulwark.dcs.ClusterStatus;
import io.bulwark.dcs.Dcs;
import io.bulwark.postgres.PostgresState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * Carries out the standby-cluster actions ({@link StandbyLeader}) for the {@link Executor}: on the HA loop thread,
 * the only writer of the leader key. None of them ever promotes.
 */
final class StandbyLeaderExecutor {
    private static final Logger log = LoggerFactory.getLogger(StandbyLeaderExecutor.class);

    private final Dcs dcs;
    private final PostgresControl pg;
    private final Clock clock;
    private final Supplier<String> bootstrapConfigJson;
    private final SetupBackoff setupBackoff;
    private final SlotKeeper slots;
    /** The executor's "leader key just written" step (fence and failsafe bookkeeping), with the new deadline. */
    private final BiFunction<LocalState, Long, LocalState> leading;

    StandbyLeaderExecutor(Dcs dcs, PostgresControl pg, Clock clock, Supplier<String> bootstrapConfigJson,
                          SetupBackoff setupBackoff, SlotKeeper slots, BiFunction<LocalState, Long, LocalState> leading) {
        this.dcs = dcs;
        this.pg = pg;
        this.clock = clock;
        this.bootstrapConfigJson = bootstrapConfigJson;
        this.setupBackoff = setupBackoff;
        this.slots = slots;
        this.leading = leading;
    }

    /**
     * The winner of the initialize race clones the remote site and becomes the standby leader. Synchronous, as the
     * bootstrap of a primary cluster: nobody holds the lock yet, and the losers wait for it.
     */
    Outcome bootstrap(Observation o, LocalState local) throws Exception {
        StandbyClusterConfig remote = o.settings().dynamic().standby();
        Optional<String> wait = setupBackoff.holdOff("bootstrap a new standby leader", clock.nanoTime());
        if (wait.isPresent()) {
            return Outcome.said(local, wait.get());
        }
        if (!dcs.initialize("", true)) {
            return Outcome.said(local, "failed to acquire initialize lock");
        }
        try {
            log.info("bootstrapping a new standby cluster from {} with {}",
                    remote.host() == null ? "the archive" : "the remote primary " + remote.hostPort(),
                    remote.createReplicaMethods());
            pg.createStandbyLeader(remote);
            String sysid = pg.probe().systemId();
            dcs.initialize(sysid, false);
            dcs.setConfig(bootstrapConfigJson.get(), null);
            long sent = clock.nanoTime();
            dcs.takeLeader();
            setupBackoff.succeeded();
            LocalState leader = leading.apply(local, Executor.deadline(o, sent));
            pg.startStandbyLeader(remote);
            return new Outcome(leader, false, "initialized a new standby cluster from "
                    + (remote.host() == null ? "the archive" : remote.hostPort())
                    + "; starting as its standby leader", false);
        } catch (Exception e) {
            log.error("bootstrap of the standby leader failed", e);
            dcs.cancelInitialization();
            Executor.quietly(() -> pg.stop(true));
            if (pg.probe().dataDir() == PostgresState.DataDirState.INITIALIZED) {
                Executor.quietly(pg::moveDataDirAside);
            }
            Duration next = setupBackoff.failed(clock.nanoTime(), Duration.ofSeconds(o.settings().dynamic().loopWait()));
            return Outcome.said(local, "failed to bootstrap a new standby leader: " + e.getMessage()
                    + "; next attempt in " + next.toSeconds() + " s");
        }
    }

    /** Renew the lock (unless just taken), then start or re-point PostgreSQL at the remote site. */
    Outcome followRemote(Observation o, LocalState local) throws Exception {
        LocalState current = local;
        if (!o.local().justAcquired()) {
            long sent = clock.nanoTime();
            long position = o.pg().running() ? o.pg().walPosition() : o.cluster().status().optime();
            if (!dcs.updateLeader(slots.status(position))) {
                return Outcome.again(local.notLeader());
            }
            current = leading.apply(local, Executor.deadline(o, sent));
        }
        StandbyClusterConfig remote = o.settings().dynamic().standby();
        if (o.pg().running()) {
            pg.followRemote(remote);
        } else {
            pg.startStandbyLeader(remote);
        }
        return Outcome.done(current);
    }

    /**
     * Demote-cluster: CHECKPOINT (so the shutdown checkpoint is short), renew, clean fast stop, publish the end of
     * our WAL as the leader's position, start as the standby leader. A crash between the stop and the start is
     * finished by the next cycle ("starting as a standby leader because i had the session lock").
     */
    Outcome demote(Observation o, LocalState local) throws Exception {
        pg.checkpoint();
        long sent = clock.nanoTime();
        if (!dcs.updateLeader(slots.status(pg.probe().walPosition()))) {
            return Outcome.again(local.notLeader());
        }
        LocalState current = leading.apply(local, Executor.deadline(o, sent));
        pg.stop(false);
        long end = pg.shutdownCheckpoint();
        sent = clock.nanoTime();
        if (end > 0 && dcs.updateLeader(new ClusterStatus(end, null, null))) {
            current = leading.apply(current, Executor.deadline(o, sent));
        }
        StandbyClusterConfig remote = o.settings().dynamic().standby();
        pg.startStandbyLeader(remote);
        String lsn = String.format("%X/%X", end >>> 32, end & 0xFFFFFFFFL);
        log.info("demoted to a standby leader following {}; the WAL of this former primary ends at {} (its shutdown"
                + " checkpoint): promote the other site only once its standby leader has replayed past it",
                StandbyLeader.describe(remote), lsn);
        return new Outcome(current, true, "demoted self to a standby leader following " + StandbyLeader.describe(remote)
                + " after a clean shutdown; this site's WAL ends at " + lsn, false);
    }
}
