package io.bulwark.dcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** What the in-memory DCS offers beyond the contract: a movable clock and simulated outages. */
class InMemoryDcsTest {
    private final AtomicLong clock = new AtomicLong();
    private final InMemoryDcs.Store store = new InMemoryDcs.Store(clock::get);
    private final DcsKeys keys = new DcsKeys("service", "unit");

    @Test
    void failWithMakesEveryCallThrowUntilRecovered() throws Exception {
        InMemoryDcs a = new InMemoryDcs(store, keys, "a", 30);
        store.failWith("etcd partitioned away");

        assertThatThrownBy(a::cluster).isInstanceOf(DcsException.class).hasMessageContaining("etcd partitioned away");
        assertThatThrownBy(a::attemptToAcquireLeader).isInstanceOf(DcsException.class);

        store.recover();
        assertThat(a.attemptToAcquireLeader()).isTrue();
    }

    @Test
    void renewalWithinTheTtlKeepsTheKeyAndSilenceLosesIt() throws Exception {
        InMemoryDcs a = new InMemoryDcs(store, keys, "a", 10);
        InMemoryDcs b = new InMemoryDcs(store, keys, "b", 10);
        assertThat(a.attemptToAcquireLeader()).isTrue();

        for (int i = 0; i < 5; i++) {
            clock.addAndGet(Duration.ofSeconds(8).toNanos());
            assertThat(a.updateLeader(ClusterStatus.EMPTY)).isTrue();
        }
        clock.addAndGet(Duration.ofSeconds(11).toNanos());

        assertThat(b.attemptToAcquireLeader()).isTrue();
        assertThat(a.updateLeader(ClusterStatus.EMPTY)).isFalse();
    }

    @Test
    void leaseExpiryWakesOtherMembers() throws Exception {
        InMemoryDcs a = new InMemoryDcs(store, keys, "a", 10);
        InMemoryDcs b = new InMemoryDcs(store, keys, "b", 10);
        assertThat(a.attemptToAcquireLeader()).isTrue();
        while (b.awaitChange(Duration.ofMillis(50))) {
            // drain the wake-up from a's acquisition
        }

        clock.addAndGet(Duration.ofSeconds(11).toNanos());
        assertThat(b.cluster().isUnlocked()).isTrue();

        assertThat(b.awaitChange(Duration.ofSeconds(5))).isTrue();
    }
}
