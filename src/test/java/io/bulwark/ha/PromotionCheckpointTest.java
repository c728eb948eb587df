package io.bulwark.ha;

import static io.bulwark.ha.PgStates.replicaStreaming;
import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.dcs.DcsKeys;
import io.bulwark.dcs.HistoryEntry;
import io.bulwark.dcs.InMemoryDcs;
import io.bulwark.postgres.PostgresState;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The post-promotion CHECKPOINT runs beside the loop, and every write of the leader key reaches the fence at once:
 * a slow checkpoint on the loop thread kept the fence on the deadline from before the promotion, so the fence
 * killed the new primary (issue 9).
 */
class PromotionCheckpointTest {

    @Test
    void promotionReturnsWhileItsCheckpointStillRunsAndTheDeadlineIsPublishedAtOnce() throws Exception {
        InMemoryDcs dcs = new InMemoryDcs(new InMemoryDcs.Store(), new DcsKeys("/service/", "c"), "node1", 30);
        assertThat(dcs.attemptToAcquireLeader()).isTrue();
        SlowCheckpointPostgres pg = new SlowCheckpointPostgres();
        List<Long> deadlines = new CopyOnWriteArrayList<>();
        LongOperations longOperations = new LongOperations(() -> { });
        Executor executor = new Executor(dcs, pg, Clock.SYSTEM, () -> "{}", s -> { }, deadlines::add, longOperations);
        Observation o = Situation.as("node1").leaderIs("node1").pg(replicaStreaming("node1", 0)).observation();
        try {
            CompletableFuture<Outcome> promoted = CompletableFuture.supplyAsync(
                    () -> executor.execute(new Decision(new Action.Promote(), "promoting"), o));
            Outcome outcome = promoted.get(30, TimeUnit.SECONDS); // the old code waited for the checkpoint here
            assertThat(pg.checkpointStarted.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(longOperations.running()).isEqualTo(Executor.POST_PROMOTION_CHECKPOINT);
            assertThat(deadlines).as("the renewal before and the one after the promotion, each told at once")
                    .hasSize(2);
            assertThat(deadlines.get(1)).isEqualTo(outcome.local().leaderUntilNanos());
            Decision next = HaDecider.decide(Situation.as("node1").leaderIs("node1").pg(PgStates.primaryRunning(5))
                    .leaseValidFor(java.time.Duration.ofSeconds(3)).longOperation(longOperations.running())
                    .observation());
            assertThat(next.action()).isInstanceOf(Action.RenewLock.class);
            assertThat(next.reason()).isEqualTo("updated leader lock during post-promotion checkpoint");
        } finally {
            pg.releaseCheckpoint.countDown();
            longOperations.close();
        }
    }

    /** A replica that promotes at once and whose CHECKPOINT blocks until the test lets it finish. */
    private static final class SlowCheckpointPostgres implements PostgresControl {
        final CountDownLatch checkpointStarted = new CountDownLatch(1);
        final CountDownLatch releaseCheckpoint = new CountDownLatch(1);
        private volatile PostgresState state = replicaStreaming("node1", 0);

        @Override
        public PostgresState probe() {
            return state;
        }

        @Override
        public void promote() {
            state = PgStates.primaryRunning(5);
        }

        @Override
        public void checkpoint() {
            checkpointStarted.countDown();
            try {
                releaseCheckpoint.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void bootstrap() {
        }

        @Override
        public void cloneFrom(String host, int port) {
        }

        @Override
        public boolean startReplica(String host, int port) {
            return true;
        }

        @Override
        public boolean startPrimary() {
            return true;
        }

        @Override
        public void stop(boolean immediate) {
        }

        @Override
        public long shutdownCheckpoint() {
            return 0;
        }

        @Override
        public void reload() {
        }

        @Override
        public boolean follow(String host, int port) {
            return true;
        }

        @Override
        public boolean rewind(String host, int port) {
            return true;
        }

        @Override
        public void moveDataDirAside() {
        }

        @Override
        public Map<String, Long> syncSlots(io.bulwark.postgres.SlotRequest request) {
            return Map.of();
        }

        @Override
        public Map<String, String> pendingRestart() {
            return Map.of();
        }

        @Override
        public List<io.bulwark.postgres.WalSender> walSenders() {
            return List.of();
        }

        @Override
        public boolean synchronousStandbyNames(String value) {
            return false;
        }

        @Override
        public String synchronousStandbyNamesInEffect() {
            return "";
        }

        @Override
        public List<Map<String, Object>> replication() {
            return List.of();
        }

        @Override
        public List<HistoryEntry> timelineHistory() {
            return List.of();
        }
    }
}
