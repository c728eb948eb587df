package io.bulwark.dcs.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bulwark.dcs.Cluster;
import io.bulwark.dcs.ClusterStatus;
import io.bulwark.dcs.DcsException;
import io.bulwark.dcs.DcsKeys;
import io.bulwark.dcs.MemberData;
import io.bulwark.testing.EtcdServer;
import io.etcd.jetcd.Auth;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** etcd failure modes the contract suite cannot express: unreachable, stalled and restarted servers, auth. */
@Tag("integration")
@Timeout(120)
class EtcdDcsTest {
    private static final DcsKeys KEYS = new DcsKeys("/service/", "failures");
    private static final Duration BUDGET = Duration.ofSeconds(2);

    @Test
    void unreachableEtcdFailsWithAnErrorNamingTheEndpoint() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (EtcdDcs dcs = connect("127.0.0.1:" + port, "a", false)) {
            assertThatThrownBy(dcs::cluster).isInstanceOf(DcsException.class).hasMessageContaining("127.0.0.1:" + port);
            assertThatThrownBy(dcs::attemptToAcquireLeader).isInstanceOf(DcsException.class)
                    .hasMessageContaining("127.0.0.1:" + port);
        }
    }

    @Test
    void stalledEtcdMakesCallsFailAndTheyRecoverWhenItAnswersAgain() throws Exception {
        try (EtcdServer etcd = EtcdServer.start(); EtcdDcs a = connect(etcd.endpoint(), "a", true)) {
            awaitTrue("watch cache live", a::cacheReady);
            assertThat(a.attemptToAcquireLeader()).isTrue();

            etcd.pause();
            assertThatThrownBy(() -> a.updateLeader(new ClusterStatus(10, null, null)))
                    .isInstanceOf(DcsException.class).hasMessageContaining(etcd.endpoint());
            assertThatThrownBy(a::cluster).isInstanceOf(DcsException.class);

            etcd.resume();
            awaitTrue("leader renewal works again", () -> {
                try {
                    return a.updateLeader(new ClusterStatus(20, null, null));
                } catch (DcsException e) {
                    return false;
                }
            });
            assertThat(a.cluster().leader().name()).isEqualTo("a");
        }
    }

    @Test
    void watchFollowsTheClusterAcrossAnEtcdRestart() throws Exception {
        try (EtcdServer etcd = EtcdServer.start();
             EtcdDcs a = connect(etcd.endpoint(), "a", true);
             EtcdDcs b = connect(etcd.endpoint(), "b", true)) {
            assertThat(a.attemptToAcquireLeader()).isTrue();
            awaitTrue("b sees a", () -> leaderSeenBy(b).equals("a"));

            etcd.stop();
            etcd.restart();
            awaitTrue("a releases the key once etcd answers again (as the HA loop would retry)", () -> {
                try {
                    return a.deleteLeader(0);
                } catch (DcsException e) {
                    return false;
                }
            });

            awaitTrue("b sees the leader key gone", () -> leaderSeenBy(b).isEmpty());
            awaitTrue("b's watch cache is live again", b::cacheReady);
            assertThat(b.attemptToAcquireLeader()).isTrue();
            awaitTrue("a sees b", () -> leaderSeenBy(a).equals("b"));
        }
    }

    @Test
    void passwordAuthenticationIsUsedAndABadPasswordIsAClearFailure() throws Exception {
        try (EtcdServer etcd = EtcdServer.start()) {
            enableAuth(etcd, "s3cret-pw");
            try (EtcdDcs wrong = EtcdDcs.connect(List.of(etcd.endpoint()), "root", "wrong", KEYS, "a", 30, BUDGET, false)) {
                assertThatThrownBy(wrong::cluster).isInstanceOf(DcsException.class)
                        .hasMessageContaining(etcd.endpoint()).hasMessageNotContaining("wrong");
            }
            try (EtcdDcs right = EtcdDcs.connect(List.of(etcd.endpoint()), "root", "s3cret-pw", KEYS, "a", 30, BUDGET,
                    true)) {
                assertThat(right.attemptToAcquireLeader()).isTrue();
                assertThat(right.cluster().leader().name()).isEqualTo("a");
            }
        }
    }

    @Test
    void junkWrittenBySomeoneElseDoesNotBreakTheClusterRead() throws Exception {
        try (EtcdServer etcd = EtcdServer.start();
             Client raw = Client.builder().endpoints(etcd.endpoint()).build();
             EtcdDcs a = connect(etcd.endpoint(), "a", false)) {
            put(raw, KEYS.member("x"), "not json");
            put(raw, KEYS.config(), "[1,2");
            put(raw, KEYS.failover(), "{\"member\":\"b\",\"scheduled_at\":\"tomorrow\"}");
            put(raw, KEYS.history(), "{}");
            put(raw, KEYS.status(), "\"x\"");
            put(raw, KEYS.sync(), "7");

            Cluster c = a.cluster();

            assertThat(c.member("x").orElseThrow().data().connUrl()).isNull();
            assertThat(c.config().data()).isEmpty();
            assertThat(c.failover().isEmpty()).isTrue();
            assertThat(c.history()).isEmpty();
            assertThat(c.status().optime()).isZero();
            assertThat(c.sync().leader()).isNull();
        }
    }

    @Test
    @Timeout(20)
    void closeIsQuickEvenWhenEtcdIsUnreachable() throws Exception {
        try (EtcdServer etcd = EtcdServer.start()) {
            EtcdDcs dcs = connect(etcd.endpoint(), "a", true);
            dcs.touchMember(new MemberData("postgres://127.0.0.1:5432/postgres", null, "running", "replica", "4.1.4",
                    null, null, null, null, null, null, null, null));
            etcd.pause();
            dcs.close();
            etcd.resume();
            assertThatThrownBy(dcs::cluster).isInstanceOf(DcsException.class).hasMessageContaining("closed");
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private static EtcdDcs connect(String endpoint, String name, boolean watch) {
        return EtcdDcs.connect(List.of(endpoint), null, null, KEYS, name, 30, BUDGET, watch);
    }

    private static String leaderSeenBy(EtcdDcs dcs) {
        try {
            Cluster c = dcs.cluster();
            return c.leader() == null ? "" : c.leader().name();
        } catch (DcsException e) {
            return "?";
        }
    }

    private static void put(Client raw, String key, String value) throws Exception {
        raw.getKVClient().put(bytes(key), bytes(value)).get(10, TimeUnit.SECONDS);
    }

    private static void enableAuth(EtcdServer etcd, String password) throws Exception {
        try (Client admin = Client.builder().endpoints(etcd.endpoint()).build()) {
            Auth auth = admin.getAuthClient();
            auth.roleAdd(bytes("root")).get(10, TimeUnit.SECONDS);
            auth.userAdd(bytes("root"), bytes(password)).get(10, TimeUnit.SECONDS);
            auth.userGrantRole(bytes("root"), bytes("root")).get(10, TimeUnit.SECONDS);
            auth.authEnable().get(10, TimeUnit.SECONDS);
        }
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 60 s: " + what);
            }
            Thread.sleep(100);
        }
    }
}
