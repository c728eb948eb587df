package io.bulwark.ha;

import io.bulwark.config.StandbyClusterConfig;
import io.bulwark.dcs.DcsKeys;
import io.bulwark.dcs.HistoryEntry;
import io.bulwark.dcs.InMemoryDcs;
import io.bulwark.postgres.PostgresState;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The standby-cluster actions as the executor carries them out against a recording PostgreSQL: demote-cluster stops
 * the primary cleanly before it follows the remote (so its last WAL reaches the other site), publishes where its WAL
 * ends, keeps the lock and never promotes; a new standby leader is re-pointed, not promoted.
 */
class StandbyDemotionTest {
    private static final long END_OF_WAL = 0x3000148L;

    @Test
    void demoteClusterStopsCleanlyPublishesTheEndOfWalKeepsTheLockAndFollowsTheRemote() throws Exception {
        InMemoryDcs dcs = new InMemoryDcs(new InMemoryDcs.Store(), new DcsKeys("/service/", "c"), "node1", 30);
        assertThat(dcs.attemptToAcquireLeader()).isTrue();
        RecordingPostgres pg = new RecordingPostgres(PgStates.primaryRunning(100));
        Executor executor = new Executor(dcs, pg, Clock.SYSTEM, () -> "{}", s -> { }, d -> { },
                new LongOperations(() -> { }));
        Observation o = Situation.as("node1").leaderIs("node1").leaseValidFor(Duration.ofSeconds(3))
                .pg(PgStates.primaryRunning(100)).standbyCluster().observation();

        Decision d = HaDecider.decide(o);
        Outcome outcome = executor.execute(d, o);

        assertThat(d.action()).isEqualTo(new Action.DemoteToStandbyLeader());
        assertThat(pg.calls).containsExactly("checkpoint", "stop(immediate=false)", "startStandbyLeader(10.1.0.5:5432)");
        assertThat(dcs.cluster().leader().name()).as("the lock is kept").isEqualTo("node1");
        assertThat(dcs.cluster().status().optime()).isEqualTo(END_OF_WAL);
        assertThat(outcome.reason()).contains("WAL ends at 0/3000148");
    }

    @Test
    void aReplicaThatTookTheLockIsRePointedAtTheRemoteAndNotPromoted() throws Exception {
        InMemoryDcs dcs = new InMemoryDcs(new InMemoryDcs.Store(), new DcsKeys("/service/", "c"), "node2", 30);
        assertThat(dcs.attemptToAcquireLeader()).isTrue();
        RecordingPostgres pg = new RecordingPostgres(PgStates.replicaStreaming("node1", 100));
        Executor executor = new Executor(dcs, pg, Clock.SYSTEM, () -> "{}", s -> { }, d -> { },
                new LongOperations(() -> { }));
        Observation o = Situation.as("node2").leaderIs("node2").justAcquired()
                .pg(PgStates.replicaStreaming("node1", 100)).standbyCluster().observation();

        executor.execute(HaDecider.decide(o), o);

        assertThat(pg.calls).containsExactly("followRemote(10.1.0.5:5432)");
    }

    private static final class RecordingPostgres implements PostgresControl {
        final List<String> calls = new ArrayList<>();
        private final PostgresState state;

        RecordingPostgres(PostgresState state) {
            this.state = state;
        }

        @Override
        public PostgresState probe() {
            return state;
        }

        @Override
        public boolean startStandbyLeader(StandbyClusterConfig remote) {
            calls.add("startStandbyLeader(" + remote.hostPort() + ")");
            return true;
        }

        @Override
        public void followRemote(StandbyClusterConfig remote) {
            calls.add("followRemote(" + remote.hostPort() + ")");
        }

        @Override
        public void promote() {
            calls.add("promote");
        }

        @Override
        public void checkpoint() {
            calls.add("checkpoint");
        }

        @Override
        public void stop(boolean immediate) {
            calls.add("stop(immediate=" + immediate + ")");
        }

        @Override
        public long shutdownCheckpoint() {
            return END_OF_WAL;
        }

        @Override
        public void bootstrap() {
            calls.add("bootstrap");
        }

        @Override
        public void cloneFrom(String host, int port) {
            calls.add("cloneFrom");
        }

        @Override
        public boolean startReplica(String host, int port) {
            calls.add("startReplica(" + host + ":" + port + ")");
            return true;
        }

        @Override
        public boolean startPrimary() {
            calls.add("startPrimary");
            return true;
        }

        @Override
        public void reload() {
        }

        @Override
        public boolean follow(String host, int port) {
            calls.add("follow(" + host + ":" + port + ")");
            return true;
        }

        @Override
        public boolean rewind(String host, int port) {
            return false;
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
