package io.bulwark.ha;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.dcs.DcsKeys;
import io.bulwark.dcs.HistoryEntry;
import io.bulwark.dcs.InMemoryDcs;
import io.bulwark.ha.AdminActions.ActionResult;
import io.bulwark.ha.AdminActions.RestartRequest;
import io.bulwark.postgres.PostgresState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A clone, a rejoin (pg_rewind or re-clone) and a reinitialize run beside the loop (issue 9): the cycle that
 * starts one returns at once, so the loop keeps publishing the member key; meanwhile nothing is decided that
 * would touch the half-copied data directory; the outcome (started replica, or a failure that arms the setup
 * backoff) is what the next cycles see.
 */
class BackgroundCloneTest {
    private static final long SECOND = 1_000_000_000L;
    private static final String CLONING = "clone from 'node1' in progress";

    @Test
    void whileACloneRunsNothingTouchesTheDataDirectory() {
        // each of these, without the operation, would start, clone into, move or race with the server
        List<Situation> situations = List.of(
                Situation.as("node2").leaderIs("node1").withPrimary("node1").pg(PgStates.emptyDataDir()),
                Situation.as("node2").leaderIs("node1").withPrimary("node1").pg(PgStates.stoppedReplica()),
                Situation.as("node2").leaderIs("node1").withPrimary("node1").pg(PgStates.crashedPrimary()),
                Situation.as("node2").noLeader().pg(PgStates.stoppedReplica()),
                Situation.as("node2").noLeader().notInitialized().pg(PgStates.emptyDataDir()));
        for (Situation s : situations) {
            assertThat(s.decide().action()).as("without a clone in progress").isNotInstanceOf(Action.NoAction.class);
            Decision during = s.longOperation("clone from 'node1'").decide();
            assertThat(during.action()).isEqualTo(new Action.NoAction());
            assertThat(during.reason()).isEqualTo(CLONING);
        }
    }

    @Test
    void aCloneDoesNotDelayShutdownNorTheDemotionOfAPrimaryWithoutTheLock() {
        Decision stop = Situation.as("node2").leaderIs("node1").withPrimary("node1").pg(PgStates.emptyDataDir())
                .longOperation("clone from 'node1'").shuttingDown().decide();
        assertThat(stop.action()).isEqualTo(new Action.Shutdown(false));
        Decision demote = Situation.as("node2").leaderIs("node1").withPrimary("node1").pg(PgStates.primaryRunning(5))
                .longOperation(Executor.POST_PROMOTION_CHECKPOINT).decide();
        assertThat(demote.action()).isInstanceOf(Action.Demote.class);
    }

    @Test
    void theCloneRunsBesideTheLoopAndItsReplicaIsStartedWhenItEnds() throws Exception {
        AtomicLong now = new AtomicLong(SECOND);
        InMemoryDcs dcs = new InMemoryDcs(new InMemoryDcs.Store(now::get), new DcsKeys("/service", "bg"), "node2", 30);
        BlockingClone pg = new BlockingClone();
        LongOperations ops = new LongOperations(() -> { });
        Executor executor = new Executor(dcs, pg, now::get, () -> "{}", l -> { }, d -> { }, ops);
        Situation empty = Situation.as("node2").leaderIs("node1").withPrimary("node1").pg(PgStates.emptyDataDir());
        Decision clone = empty.decide();
        assertThat(clone.action()).isInstanceOf(Action.CloneFrom.class);
        try {
            Outcome started = CompletableFuture.supplyAsync(() -> executor.execute(clone, empty.observation()))
                    .get(30, TimeUnit.SECONDS); // the old code returned only when the clone was done
            assertThat(started.reason()).as("the decision's sentence stands").isNull();
            assertThat(pg.cloneStarted.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(ops.running()).isEqualTo("clone from 'node1'");
            assertThat(pg.calls).containsExactly("clone " + Members.hostPort("node1"));
            assertThat(executor.execute(clone, empty.observation()).reason())
                    .as("a second clone is not started beside the first")
                    .isEqualTo("not cloning from 'node1' yet: clone from 'node1' is in progress");
        } finally {
            pg.releaseClone.countDown();
        }
        assertThat(ops.awaitIdle(Duration.ofSeconds(30))).isTrue();
        assertThat(pg.calls).containsExactly("clone " + Members.hostPort("node1"),
                "start replica of " + Members.hostPort("node1"));
        ops.close();
    }

    @Test
    void aFailedBackgroundCloneArmsTheSetupBackoff() throws Exception {
        AtomicLong now = new AtomicLong(SECOND);
        InMemoryDcs dcs = new InMemoryDcs(new InMemoryDcs.Store(now::get), new DcsKeys("/service", "bg"), "node2", 30);
        BlockingClone pg = new BlockingClone();
        pg.failure = new Exception("pg_basebackup: could not connect");
        pg.releaseClone.countDown();
        LongOperations ops = new LongOperations(() -> { });
        Executor executor = new Executor(dcs, pg, now::get, () -> "{}", l -> { }, d -> { }, ops);
        Situation empty = Situation.as("node2").leaderIs("node1").withPrimary("node1").pg(PgStates.emptyDataDir());
        executor.execute(empty.decide(), empty.observation());
        assertThat(ops.awaitIdle(Duration.ofSeconds(30))).isTrue();
        now.addAndGet(SECOND / 2);
        assertThat(executor.execute(empty.decide(), empty.observation()).reason())
                .isEqualTo("not retrying to clone from 'node1' for 1 more seconds: 1 attempt failed in a row");
        assertThat(pg.calls).as("no replica started from a failed clone, no second attempt yet")
                .containsExactly("clone " + Members.hostPort("node1"));
        ops.close();
    }

    @Test
    void aRejoinRunsBesideTheLoop() throws Exception {
        InMemoryDcs dcs = new InMemoryDcs(new InMemoryDcs.Store(), new DcsKeys("/service", "bg"), "node2", 30);
        BlockingClone pg = new BlockingClone();
        pg.releaseClone.countDown();
        LongOperations ops = new LongOperations(() -> { });
        Executor executor = new Executor(dcs, pg, Clock.SYSTEM, () -> "{}", l -> { }, d -> { }, ops);
        Situation former = Situation.as("node2").leaderIs("node1").withPrimary("node1")
                .pg(PgStates.stoppedCleanPrimary());
        Decision rejoin = former.decide();
        assertThat(rejoin.action()).isInstanceOf(Action.Rejoin.class);
        pg.rewindStarted = new CountDownLatch(1);
        CountDownLatch releaseRewind = new CountDownLatch(1);
        pg.releaseRewind = releaseRewind;
        try {
            Outcome started = CompletableFuture.supplyAsync(() -> executor.execute(rejoin, former.observation()))
                    .get(30, TimeUnit.SECONDS);
            assertThat(started.reason()).as("the decision's sentence stands").isNull();
            assertThat(pg.rewindStarted.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(ops.running()).isEqualTo("pg_rewind from 'node1'");
        } finally {
            releaseRewind.countDown();
        }
        assertThat(ops.awaitIdle(Duration.ofSeconds(30))).isTrue();
        assertThat(pg.calls).containsExactly("rewind " + Members.hostPort("node1"),
                "start replica of " + Members.hostPort("node1"));
        ops.close();
    }

    @Test
    void aRestartRequestedDuringACloneIsRefused() {
        BlockingClone pg = new BlockingClone();
        InMemoryDcs dcs = new InMemoryDcs(new InMemoryDcs.Store(), new DcsKeys("/service", "bg"), "node2", 30);
        LongOperations ops = new LongOperations(() -> { });
        AdminExecutor admin = new AdminExecutor(dcs, pg, Clock.SYSTEM, ops);
        CompletableFuture<ActionResult> reply = new CompletableFuture<>();
        Observation during = Situation.as("node2").leaderIs("node1").withPrimary("node1")
                .pg(PgStates.stoppedReplica()).longOperation("clone from 'node1'").observation();
        admin.run(new AdminQueue.Restart(new RestartRequest(null, null, null, null, null), reply), during);
        assertThat(reply.join()).isEqualTo(new ActionResult(503, CLONING));
        assertThat(pg.calls).isEmpty();
        ops.close();
    }

    /** A stopped member whose clone (or rewind) blocks until the test releases it. */
    private static final class BlockingClone implements PostgresControl {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final CountDownLatch cloneStarted = new CountDownLatch(1);
        final CountDownLatch releaseClone = new CountDownLatch(1);
        volatile CountDownLatch rewindStarted = new CountDownLatch(1);
        volatile CountDownLatch releaseRewind = new CountDownLatch(0);
        volatile Exception failure;

        @Override public PostgresState probe() {
            return PgStates.emptyDataDir();
        }
        @Override public void cloneFrom(String host, int port) throws Exception {
            calls.add("clone " + host + ":" + port);
            cloneStarted.countDown();
            releaseClone.await(60, TimeUnit.SECONDS);
            if (failure != null) {
                throw failure;
            }
        }
        @Override public boolean rewind(String host, int port) throws Exception {
            calls.add("rewind " + host + ":" + port);
            rewindStarted.countDown();
            releaseRewind.await(60, TimeUnit.SECONDS);
            return true;
        }
        @Override public boolean startReplica(String host, int port) {
            calls.add("start replica of " + host + ":" + port);
            return true;
        }
        @Override public void stop(boolean immediate) {
            calls.add("stop");
        }
        @Override public boolean startPrimary() {
            calls.add("start primary");
            return true;
        }
        @Override public void moveDataDirAside() {
            calls.add("move aside");
        }
        @Override public void bootstrap() {
            throw new UnsupportedOperationException();
        }
        @Override public long shutdownCheckpoint() {
            return 0;
        }
        @Override public void promote() {
            throw new UnsupportedOperationException();
        }
        @Override public void checkpoint() {
            throw new UnsupportedOperationException();
        }
        @Override public void reload() {
        }
        @Override public boolean follow(String host, int port) {
            throw new UnsupportedOperationException();
        }
        @Override public String synchronousStandbyNamesInEffect() {
            return "";
        }
        @Override public Map<String, Long> syncSlots(io.bulwark.postgres.SlotRequest request) {
            return Map.of();
        }
        @Override public Map<String, String> pendingRestart() {
            return Map.of();
        }
        @Override public List<Map<String, Object>> replication() {
            return List.of();
        }
        @Override public List<io.bulwark.postgres.WalSender> walSenders() {
            return List.of();
        }
        @Override public boolean synchronousStandbyNames(String value) {
            return false;
        }
        @Override public List<HistoryEntry> timelineHistory() {
            return List.of();
        }
    }
}
