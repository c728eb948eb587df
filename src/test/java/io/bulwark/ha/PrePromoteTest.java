package io.bulwark.ha;

import static io.bulwark.ha.PgStates.replicaStreaming;
import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.dcs.DcsKeys;
import io.bulwark.dcs.HistoryEntry;
import io.bulwark.dcs.InMemoryDcs;
import io.bulwark.postgres.PostgresState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * {@code pre_promote} as Patroni runs it: after the lock is ours and before PostgreSQL is promoted; a non-zero
 * exit cancels the promotion, the lock is released voluntarily and this member stays out of the leader race
 * for ttl so another one can take over (ha.py: "Releasing the leader key voluntarily because the pre-promote
 * script failed").
 */
class PrePromoteTest {
    private static final long MINE = 10_000_000;

    private final InMemoryDcs.Store store = new InMemoryDcs.Store();
    private final InMemoryDcs dcs = new InMemoryDcs(store, new DcsKeys("/service/", "c"), "node1", 30);

    private final AtomicLong now = new AtomicLong(Situation.NOW);
    private final List<Long> deadlines = new ArrayList<>();

    private Outcome promoteWith(FencedPostgres pg) throws Exception {
        assertThat(dcs.attemptToAcquireLeader()).isTrue();
        Executor executor = new Executor(dcs, pg, now::get, () -> "{}", s -> { }, deadlines::add,
                new LongOperations(() -> { }));
        Observation o = Situation.as("node1").leaderIs("node1").pg(replicaStreaming("node2", MINE))
                .leaseValidFor(Duration.ofSeconds(20)).justAcquired().observation();
        return executor.execute(new Decision(new Action.Promote(), "promoted self to leader by acquiring session lock"),
                o);
    }

    @Test
    void failedPrePromoteCancelsThePromotionAndReleasesTheLock() throws Exception {
        FencedPostgres pg = new FencedPostgres(keepGoing -> false);
        Outcome outcome = promoteWith(pg);

        assertThat(pg.calls).containsExactly("prePromote");
        assertThat(outcome.reason()).isEqualTo(
                "Promotion cancelled because the pre-promote script failed; released the leader lock");
        assertThat(dcs.cluster().leader()).as("leader key deleted").isNull();
        assertThat(outcome.local().leaseValid(now.get())).isFalse();
        assertThat(outcome.local().raceBackoff(now.get())).isTrue();
        assertThat(outcome.local().raceBackoff(now.get() + Duration.ofSeconds(31).toNanos())).isFalse();
    }

    @Test
    void theLockIsRenewedWhileALongPrePromoteRuns() throws Exception {
        FencedPostgres pg = new FencedPostgres(keepGoing -> {
            for (int i = 0; i < 4; i++) { // 44 s in all: longer than ttl (30 s), so only renewals keep the lock
                now.addAndGet(Duration.ofSeconds(11).toNanos());
                if (!keepGoing.getAsBoolean()) {
                    return false;
                }
            }
            return true;
        });
        Outcome outcome = promoteWith(pg);

        assertThat(pg.calls).startsWith("prePromote", "promote");
        assertThat(deadlines).as("each renewal told to the fence").hasSizeGreaterThanOrEqualTo(4);
        assertThat(outcome.local().leaseValid(now.get())).isTrue();
    }

    @Test
    void losingTheLockDuringPrePromoteCancelsThePromotion() throws Exception {
        InMemoryDcs node2 = new InMemoryDcs(store, new DcsKeys("/service/", "c"), "node2", 30);
        FencedPostgres pg = new FencedPostgres(keepGoing -> {
            try {
                dcs.deleteLeader(0); // say the key expired while the script ran, and node2 took it
                node2.attemptToAcquireLeader();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            now.addAndGet(Duration.ofSeconds(11).toNanos());
            return keepGoing.getAsBoolean();
        });
        Outcome outcome = promoteWith(pg);

        assertThat(pg.calls).containsExactly("prePromote");
        assertThat(outcome.reason()).startsWith("Promotion cancelled");
        assertThat(dcs.cluster().leader().name()).as("node2's key is left alone").isEqualTo("node2");
    }

    @Test
    void successfulPrePromoteRunsBeforeThePromotion() throws Exception {
        FencedPostgres pg = new FencedPostgres(keepGoing -> true);
        promoteWith(pg);

        assertThat(pg.calls).startsWith("prePromote", "promote");
        assertThat(dcs.cluster().leader().name()).isEqualTo("node1");
    }

    @Test
    void aMemberBackingOffDoesNotRaceUntilTtlHasPassed() {
        Situation leaderGone = Situation.as("node2").noLeader().optime(MINE).pg(replicaStreaming("node1", MINE));
        Decision backingOff = leaderGone.raceBackoffFor(Duration.ofSeconds(5)).decide();
        assertThat(backingOff.action()).isInstanceOf(Action.NoAction.class);
        assertThat(backingOff.reason()).endsWith(LeaderRace.PRE_PROMOTE_BACKOFF);

        Decision after = Situation.as("node2").noLeader().optime(MINE).pg(replicaStreaming("node1", MINE))
                .raceBackoffFor(Duration.ofSeconds(-1)).decide();
        assertThat(after.action()).isInstanceOf(Action.AcquireLock.class);
    }

    /** A replica whose pre_promote is {@code script} (given the keep-going question); records the calls. */
    private static final class FencedPostgres implements PostgresControl {
        final List<String> calls = new ArrayList<>();
        private final Predicate<BooleanSupplier> script;
        private PostgresState state = replicaStreaming("node2", MINE);

        FencedPostgres(Predicate<BooleanSupplier> script) {
            this.script = script;
        }

        @Override
        public boolean prePromote(BooleanSupplier keepGoing) {
            calls.add("prePromote");
            return script.test(keepGoing);
        }

        @Override
        public void promote() {
            calls.add("promote");
            state = PgStates.primaryRunning(MINE);
        }

        @Override
        public PostgresState probe() {
            return state;
        }

        @Override
        public void checkpoint() {
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
            calls.add("stop");
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

        @Override public String synchronousStandbyNamesInEffect() {
            return "";
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
        public List<Map<String, Object>> replication() {
            return List.of();
        }

        @Override
        public List<HistoryEntry> timelineHistory() {
            return List.of();
        }
    }
}
