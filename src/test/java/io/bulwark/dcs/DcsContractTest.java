package io.bulwark.dcs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link Dcs} must show, run against {@link InMemoryDcs} and against a real etcd so the
 * fake cannot drift from the real thing. Each test works in its own fresh cluster prefix ({@link #keys()}).
 */
public abstract class DcsContractTest {
    private final List<Dcs> opened = new ArrayList<>();
    private final ExecutorService pool = Executors.newCachedThreadPool();

    /** A new agent-side member of the cluster under {@link #keys()}. */
    protected abstract Dcs connect(String name, int ttlSeconds);

    /** An up-to-date read of the cluster, not through any member's cache. */
    protected abstract Cluster readDirect() throws DcsException;

    /** A key's raw stored value, as a Patroni reader sees it. */
    protected abstract Optional<StoredValue> rawEntry(String key);

    /** Let {@code ttlSeconds} of lease time pass (in-memory: move the clock; etcd: nothing, real time runs). */
    protected abstract void letLeasesExpire(int ttlSeconds);

    /** Wait until {@code dcs} has caught up with the store (etcd: its watch cache is live). */
    protected abstract void settle(Dcs dcs);

    protected abstract DcsKeys keys();

    protected Dcs member(String name) {
        return member(name, 30);
    }

    protected Dcs member(String name, int ttlSeconds) {
        Dcs dcs = connect(name, ttlSeconds);
        opened.add(dcs);
        settle(dcs);
        return dcs;
    }

    @AfterEach
    void closeMembers() {
        opened.forEach(Dcs::close);
        pool.shutdownNow();
    }

    @Test
    void leaderRaceHasExactlyOneWinner() throws Exception {
        List<Dcs> racers = List.of(member("a"), member("b"), member("c"), member("d"));
        List<Boolean> results = race(racers.stream().map(d -> (Callable<Boolean>) d::attemptToAcquireLeader).toList());

        assertThat(results).containsOnlyOnce(true);
        String winner = List.of("a", "b", "c", "d").get(results.indexOf(true));
        assertThat(readDirect().leader().name()).isEqualTo(winner);
    }

    @Test
    void renewingKeepsTheLeaderKeyWithoutRewritingIt() throws Exception {
        Dcs a = member("a");
        assertThat(a.attemptToAcquireLeader()).isTrue();
        Leader before = readDirect().leader();

        for (int i = 1; i <= 3; i++) {
            assertThat(a.updateLeader(new ClusterStatus(100 * i, null, null))).isTrue();
        }

        Leader after = readDirect().leader();
        assertThat(after).isEqualTo(before);
        assertThat(after.session()).isNotZero();
    }

    @Test
    void renewalFailsOnceAnotherMemberHoldsTheKey() throws Exception {
        Dcs a = member("a");
        Dcs b = member("b");
        assertThat(a.attemptToAcquireLeader()).isTrue();
        b.takeLeader();
        eventually("a sees b as leader", () -> leaderSeenBy(a).equals("b"));

        assertThat(a.updateLeader(new ClusterStatus(1, null, null))).isFalse();
        assertThat(a.attemptToAcquireLeader()).isFalse();
        assertThat(readDirect().leader().name()).isEqualTo("b");
    }

    @Test
    void renewalRecreatesOurKeyIfItVanishedAndNobodyTookIt() throws Exception {
        Dcs a = member("a");
        assertThat(a.attemptToAcquireLeader()).isTrue();
        assertThat(a.deleteLeader(0)).isTrue();

        assertThat(a.updateLeader(ClusterStatus.EMPTY)).isTrue();
        assertThat(readDirect().leader().name()).isEqualTo("a");
    }

    @Test
    void releasingDeletesOnlyOurOwnKey() throws Exception {
        Dcs a = member("a");
        Dcs b = member("b");
        assertThat(a.attemptToAcquireLeader()).isTrue();

        assertThat(b.deleteLeader(0)).isFalse();
        assertThat(readDirect().leader().name()).isEqualTo("a");
        assertThat(a.deleteLeader(0)).isTrue();
        assertThat(readDirect().leader()).isNull();
    }

    @Test
    void releasingPublishesTheLastOptimeFirst() throws Exception {
        Dcs a = member("a");
        assertThat(a.attemptToAcquireLeader()).isTrue();
        assertThat(a.deleteLeader(5000)).isTrue();

        assertThat(raw(keys().status())).contains("{\"optime\":5000}");
        assertThat(readDirect().status().optime()).isEqualTo(5000);
    }

    @Test
    void leaderAndMemberKeysVanishWhenTheLeaseExpires() throws Exception {
        Dcs a = member("a", 2);
        a.touchMember(memberData("running"));
        assertThat(a.attemptToAcquireLeader()).isTrue();
        Cluster held = readDirect();
        assertThat(held.leader().session()).isNotZero().isEqualTo(held.member("a").orElseThrow().session());

        a.close();
        letLeasesExpire(2);

        eventually("leader and member keys expire", () -> {
            Cluster c = readDirectUnchecked();
            return c.leader() == null && c.members().isEmpty();
        });
    }

    @Test
    void memberValueIsPatroniJson() throws Exception {
        Dcs a = member("a");
        a.touchMember(memberData("running"));

        assertThat(raw(keys().member("a"))).contains("{\"conn_url\":\"postgres://10.0.0.1:5432/postgres\","
                + "\"api_url\":\"http://10.0.0.1:8008/patroni\",\"state\":\"running\",\"role\":\"primary\","
                + "\"version\":\"4.1.4\",\"xlog_location\":50331968,\"timeline\":1}");
        assertThat(readDirect().member("a").orElseThrow().data()).isEqualTo(memberData("running"));
    }

    @Test
    void unchangedMemberIsNotRewritten() throws Exception {
        Dcs a = member("a");
        a.touchMember(memberData("running"));
        long first = rawEntry(keys().member("a")).orElseThrow().modRevision();

        a.touchMember(memberData("running"));
        assertThat(rawEntry(keys().member("a")).orElseThrow().modRevision()).isEqualTo(first);

        a.touchMember(memberData("stopping"));
        assertThat(rawEntry(keys().member("a")).orElseThrow().modRevision()).isGreaterThan(first);
    }

    @Test
    void statusIsRewrittenOnlyWhenItChanges() throws Exception {
        Dcs a = member("a");
        assertThat(a.attemptToAcquireLeader()).isTrue();
        assertThat(a.updateLeader(new ClusterStatus(700, null, null))).isTrue();
        long first = rawEntry(keys().status()).orElseThrow().modRevision();

        assertThat(a.updateLeader(new ClusterStatus(700, null, null))).isTrue();
        assertThat(rawEntry(keys().status()).orElseThrow().modRevision()).isEqualTo(first);

        assertThat(a.updateLeader(new ClusterStatus(800, null, null))).isTrue();
        assertThat(raw(keys().status())).contains("{\"optime\":800}");
    }

    @Test
    void initializeRaceHasExactlyOneWinner() throws Exception {
        List<Dcs> racers = List.of(member("a"), member("b"), member("c"));
        List<Boolean> results = race(racers.stream().map(d -> (Callable<Boolean>) () -> d.initialize("", true)).toList());
        assertThat(results).containsOnlyOnce(true);
        assertThat(readDirect().initialize()).isEmpty();

        Dcs winner = racers.get(results.indexOf(true));
        assertThat(winner.initialize("7268616322854375442", false)).isTrue();
        assertThat(raw(keys().initialize())).contains("7268616322854375442");
        assertThat(readDirect().isInitialized()).isTrue();

        winner.cancelInitialization();
        assertThat(rawEntry(keys().initialize())).isEmpty();
    }

    @Test
    void configCompareAndSetWithAStaleVersionFails() throws Exception {
        Dcs a = member("a");
        assertThat(a.setConfig("{\"ttl\":30}", null)).isTrue();
        long version = readDirect().config().version();

        assertThat(a.setConfig("{\"ttl\":40}", version)).isTrue();
        assertThat(a.setConfig("{\"ttl\":50}", version)).isFalse();

        assertThat(readDirect().config().data()).isEqualTo(Map.of("ttl", 40));
        assertThat(raw(keys().config())).contains("{\"ttl\":40}");
    }

    @Test
    void failoverClearedWithEmptyObjectReadsAsEmpty() throws Exception {
        Dcs a = member("a");
        assertThat(a.setFailover("{\"leader\":\"a\",\"member\":\"b\"}", null)).isTrue();
        Failover requested = readDirect().failover();
        assertThat(requested.leader()).isEqualTo("a");
        assertThat(requested.candidate()).isEqualTo("b");

        assertThat(a.setFailover("{}", requested.version())).isTrue();
        assertThat(a.setFailover("{\"member\":\"c\"}", requested.version())).isFalse();
        assertThat(readDirect().failover().isEmpty()).isTrue();
        assertThat(raw(keys().failover())).contains("{}");
    }

    @Test
    void syncKeyIsWrittenAtAVersionAndDeleted() throws Exception {
        Dcs a = member("a");
        assertThat(a.setSync(DcsCodec.encodeSyncState(new SyncState(0, "a", null, "b")), null)).isTrue();
        SyncState written = readDirect().sync();
        assertThat(written.leader()).isEqualTo("a");
        assertThat(written.syncStandby()).isEqualTo("b");

        assertThat(a.setSync(DcsCodec.encodeSyncState(new SyncState(0, "a", null, null)), written.version())).isTrue();
        assertThat(a.setSync(DcsCodec.encodeSyncState(new SyncState(0, "a", null, "c")), written.version()))
                .as("a stale version").isFalse();
        assertThat(readDirect().sync().syncStandby()).isNull();
        assertThat(raw(keys().sync())).contains("{\"leader\":\"a\",\"quorum\":null,\"sync_standby\":null}");

        a.deleteSync();
        assertThat(readDirect().sync()).isNull();
    }

    @Test
    void awaitChangeWakesWhenTheLeaderKeyIsDeleted() throws Exception {
        Dcs a = member("a");
        Dcs b = member("b");
        assertThat(a.attemptToAcquireLeader()).isTrue();
        eventually("b sees a as leader", () -> leaderSeenBy(b).equals("a"));
        drainWakeUps(b);

        Future<Boolean> woken = pool.submit(() -> b.awaitChange(Duration.ofSeconds(30)));
        assertThat(a.deleteLeader(0)).isTrue();

        assertThat(woken.get(40, TimeUnit.SECONDS)).isTrue();
    }

    /** Junk written over config and history (by any tool) leaves a member's view at the last good values. */
    @Test
    void garbledConfigAndHistoryKeepTheLastGoodValues() throws Exception {
        Dcs a = member("a");
        Dcs b = member("b");
        assertThat(a.setConfig("{\"ttl\":20,\"loop_wait\":2}", null)).isTrue();
        a.setHistory("[[1,100,\"no recovery target specified\"]]");
        eventually("b sees config and history", () -> clusterSeenBy(b).config() != null
                && clusterSeenBy(b).config().data().equals(Map.of("ttl", 20, "loop_wait", 2))
                && clusterSeenBy(b).history().size() == 1);

        assertThat(a.setConfig("{\"ttl\":20,\"loop_w", null)).isTrue();
        a.setHistory("not json");
        long junkVersion = rawEntry(keys().config()).orElseThrow().modRevision();
        eventually("b sees the junk's version", () -> clusterSeenBy(b).config().version() == junkVersion);

        Cluster seen = b.cluster();
        assertThat(seen.config().data()).isEqualTo(Map.of("ttl", 20, "loop_wait", 2));
        assertThat(seen.history()).extracting(HistoryEntry::timeline).containsExactly(1);
    }

    /**
     * The leader writes /status (and /optime/leader) every cycle with a new LSN under write load. If the watch's
     * echo of such a write woke the writer's own loop, the leader would cycle as fast as etcd answers (seen: 16
     * cycles a second) instead of every loop_wait. Our own writes, however their echo races their response, never
     * wake us.
     */
    @Test
    void ownWritesNeverWakeTheWriter() throws Exception {
        Dcs a = member("a");
        settle(a);
        assertThat(a.attemptToAcquireLeader()).isTrue();
        drainWakeUps(a);
        for (long lsn = 1; lsn <= 100; lsn++) {
            assertThat(a.updateLeader(new ClusterStatus(lsn * 1024, Map.of(), List.of()))).isTrue();
            a.touchMember(memberData("running"));
        }
        settle(a);
        assertThat(a.awaitChange(Duration.ofMillis(500))).as("woken by its own writes").isFalse();
    }

    @Test
    void awaitChangeTimesOutWithoutChangesAndWakeUpWakesIt() throws Exception {
        Dcs a = member("a");
        drainWakeUps(a);
        assertThat(a.awaitChange(Duration.ofMillis(200))).isFalse();

        a.wakeUp();
        assertThat(a.awaitChange(Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void storedValuesAreByteForBytePatroniFormat() throws Exception {
        Dcs a = member("a");
        assertThat(a.attemptToAcquireLeader()).isTrue();
        assertThat(a.updateLeader(new ClusterStatus(123, null, null))).isTrue();
        assertThat(raw(keys().leader())).contains("a");
        assertThat(raw(keys().status())).contains("{\"optime\":123}");

        assertThat(a.updateLeader(new ClusterStatus(124, Map.of("b", 5L), List.of("b")))).isTrue();
        assertThat(raw(keys().status())).contains("{\"optime\":124,\"slots\":{\"b\":5},\"retain_slots\":[\"b\"]}");

        a.setHistory(DcsCodec.encodeHistory(List.of(
                new HistoryEntry(1, 100, "no recovery target specified", "2024-05-01T10:00:00+00:00", "a"))));
        assertThat(raw(keys().history()))
                .contains("[[1,100,\"no recovery target specified\",\"2024-05-01T10:00:00+00:00\",\"a\"]]");
        assertThat(readDirect().timeline()).isEqualTo(2);
    }

    @Test
    void newTtlRebindsTheLeaderKeyToANewLease() throws Exception {
        Dcs a = member("a");
        assertThat(a.attemptToAcquireLeader()).isTrue();
        long oldLease = readDirect().leader().session();

        a.setTtl(20);
        assertThat(a.updateLeader(ClusterStatus.EMPTY)).isTrue();

        Leader now = readDirect().leader();
        assertThat(now.name()).isEqualTo("a");
        assertThat(now.session()).isNotZero().isNotEqualTo(oldLease);
    }

    @Test
    void deleteClusterRemovesEveryKey() throws Exception {
        Dcs a = member("a");
        a.touchMember(memberData("running"));
        assertThat(a.attemptToAcquireLeader()).isTrue();
        assertThat(a.setConfig("{}", null)).isTrue();

        a.deleteCluster();

        Cluster c = readDirect();
        assertThat(c.leader()).isNull();
        assertThat(c.members()).isEmpty();
        assertThat(c.config()).isNull();
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    protected static MemberData memberData(String state) {
        return new MemberData("postgres://10.0.0.1:5432/postgres", "http://10.0.0.1:8008/patroni", state, "primary",
                "4.1.4", 50331968L, null, null, null, 1, null, null, null);
    }

    private Optional<String> raw(String key) {
        return rawEntry(key).map(StoredValue::value);
    }

    private static Cluster clusterSeenBy(Dcs dcs) {
        try {
            return dcs.cluster();
        } catch (DcsException e) {
            return Cluster.EMPTY;
        }
    }

    private static String leaderSeenBy(Dcs dcs) {
        try {
            Leader l = dcs.cluster().leader();
            return l == null ? "" : l.name();
        } catch (DcsException e) {
            return "";
        }
    }

    private Cluster readDirectUnchecked() {
        try {
            return readDirect();
        } catch (DcsException e) {
            throw new AssertionError(e);
        }
    }

    private static void drainWakeUps(Dcs dcs) throws InterruptedException {
        while (dcs.awaitChange(Duration.ofMillis(300))) {
            // consume wake-ups left over from setting the scene
        }
    }

    private List<Boolean> race(List<Callable<Boolean>> contenders) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> futures = contenders.stream().map(c -> pool.submit(() -> {
            go.await();
            return c.call();
        })).toList();
        go.countDown();
        List<Boolean> results = new ArrayList<>();
        for (Future<Boolean> f : futures) {
            results.add(f.get(60, TimeUnit.SECONDS));
        }
        return results;
    }

    protected static void eventually(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what, e);
            }
        }
        throw new AssertionError("not within 30 s: " + what);
    }
}
