package io.bulwark.ha;

import io.bulwark.dcs.DcsKeys;
import io.bulwark.dcs.HistoryEntry;
import io.bulwark.dcs.InMemoryDcs;
import io.bulwark.postgres.PostgresState;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** A bootstrap that keeps failing is retried after loop_wait, then twice as long each time, at most 5 minutes. */
class SetupBackoffTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void waitsDoubleFromLoopWaitUpToTheCapAndResetOnSuccess() {
        SetupBackoff b = new SetupBackoff();
        assertThat(b.holdOff("bootstrap", 0)).isEmpty();
        assertThat(b.failed(0, Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(10));
        assertThat(b.holdOff("bootstrap", 9 * SECOND)).hasValue(
                "not retrying to bootstrap for 1 more seconds: 1 attempt failed in a row");
        assertThat(b.holdOff("bootstrap", 8 * SECOND + 1)).hasValueSatisfying(m -> m.contains("for 2 more seconds"));
        assertThat(b.holdOff("bootstrap", 10 * SECOND)).isEmpty();
        assertThat(b.failed(10 * SECOND, Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(20));
        assertThat(b.failed(30 * SECOND, Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(40));
        for (int i = 0; i < 40; i++) {
            b.failed(0, Duration.ofSeconds(10));
        }
        assertThat(b.failed(0, Duration.ofSeconds(10))).isEqualTo(SetupBackoff.MAX);
        b.succeeded();
        assertThat(b.holdOff("bootstrap", 1)).isEmpty();
        assertThat(b.failed(0, Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void aFailingBootstrapIsNotRetriedEveryCycle() {
        AtomicLong now = new AtomicLong(SECOND);
        InMemoryDcs dcs = new InMemoryDcs(new InMemoryDcs.Store(now::get), new DcsKeys("/service", "backoff"), "node1", 30);
        FailingBootstrap pg = new FailingBootstrap();
        Executor executor = new Executor(dcs, pg, now::get, () -> "{}", local -> { }, deadline -> { },
                new LongOperations(() -> { }));
        Situation empty = Situation.as("node1").noLeader().notInitialized().pg(PgStates.emptyDataDir());
        Decision bootstrap = empty.decide();
        assertThat(bootstrap.action()).isEqualTo(new Action.Bootstrap());

        Outcome first = executor.execute(bootstrap, empty.observation());
        assertThat(first.reason()).startsWith("failed to bootstrap cluster: initdb: no space left on device")
                .endsWith("; next attempt in 1 s");
        for (int cycle = 0; cycle < 5; cycle++) {
            now.addAndGet(SECOND / 10);
            executor.execute(bootstrap, empty.observation());
        }
        assertThat(pg.bootstraps).as("attempts within the first second after a failure").isEqualTo(1);

        now.addAndGet(SECOND);
        Outcome second = executor.execute(bootstrap, empty.observation());
        assertThat(pg.bootstraps).isEqualTo(2);
        assertThat(second.reason()).endsWith("; next attempt in 2 s");
        now.addAndGet(SECOND);
        assertThat(executor.execute(bootstrap, empty.observation()).reason())
                .isEqualTo("not retrying to bootstrap a new cluster for 1 more seconds: 2 attempts failed in a row");
        assertThat(pg.bootstraps).isEqualTo(2);
        assertThat(pg.movedAside).as("each failed attempt's directory moved aside once").isEqualTo(2);
    }

    /** PostgreSQL whose initdb always fails; anything else the bootstrap path does not call is a test error. */
    private static final class FailingBootstrap implements PostgresControl {
        int bootstraps;
        int movedAside;

        @Override public void bootstrap() throws Exception {
            bootstraps++;
            throw new Exception("initdb: no space left on device");
        }
        @Override public void stop(boolean immediate) { }
        @Override public void moveDataDirAside() {
            movedAside++;
        }
        @Override public PostgresState probe() {
            return PgStates.emptyDataDir();
        }
        @Override public void cloneFrom(String host, int port) {
            throw new UnsupportedOperationException();
        }
        @Override public boolean startReplica(String host, int port) {
            throw new UnsupportedOperationException();
        }
        @Override public boolean startPrimary() {
            throw new UnsupportedOperationException();
        }
        @Override public long shutdownCheckpoint() {
            throw new UnsupportedOperationException();
        }
        @Override public void promote() {
            throw new UnsupportedOperationException();
        }
        @Override public void checkpoint() {
            throw new UnsupportedOperationException();
        }
        @Override public void reload() {
            throw new UnsupportedOperationException();
        }
        @Override public boolean follow(String host, int port) {
            throw new UnsupportedOperationException();
        }
        @Override public boolean rewind(String host, int port) {
            throw new UnsupportedOperationException();
        }
        @Override public Map<String, Long> syncSlots(io.bulwark.postgres.SlotRequest request) {
            throw new UnsupportedOperationException();
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
            throw new UnsupportedOperationException();
        }
        @Override public String synchronousStandbyNamesInEffect() {
            throw new UnsupportedOperationException();
        }
        @Override public List<HistoryEntry> timelineHistory() {
            return List.of();
        }
    }
}
