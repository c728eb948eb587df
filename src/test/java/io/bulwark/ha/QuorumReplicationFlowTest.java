package io.bulwark.ha;

import io.bulwark.dcs.DcsKeys;
import io.bulwark.dcs.InMemoryDcs;
import io.bulwark.dcs.SyncState;
import io.bulwark.postgres.PostgresState;
import io.bulwark.postgres.WalSender;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link QuorumReplication#apply} cycle by cycle against the in-memory DCS and a server that applies
 * synchronous_standby_names at once: enabling, confirmation before the key trusts the standbys, a lost standby,
 * and a key taken over after a promotion.
 */
class QuorumReplicationFlowTest {
    private final InMemoryDcs.Store store = new InMemoryDcs.Store();
    private final DcsKeys keys = new DcsKeys("/service/", "q");
    private final InMemoryDcs dcs = new InMemoryDcs(store, keys, "node1", 30);
    private final List<String> written = new ArrayList<>();
    private String ssn = "";
    private long position = 1000;
    private List<WalSender> senders = List.of();
    private final PostgresControl pg = (PostgresControl) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[]{PostgresControl.class}, (proxy, method, args) -> switch (method.getName()) {
                case "synchronousStandbyNamesInEffect" -> ssn;
                case "synchronousStandbyNames" -> {
                    boolean changed = !args[0].equals(ssn);
                    ssn = (String) args[0];
                    written.add(ssn);
                    yield changed;
                }
                case "walSenders" -> senders;
                default -> throw new UnsupportedOperationException(method.getName());
            });
    private final QuorumReplication quorum = new QuorumReplication(dcs, pg);

    QuorumReplicationFlowTest() throws Exception {
        for (String n : List.of("node2", "node3")) {
            new InMemoryDcs(store, keys, n, 30).touchMember(Members.runningReplica(n));
        }
        dcs.touchMember(Members.member("node1", "running", "primary", position, Map.of()));
        dcs.takeLeader();
    }

    private void cycle(String... synchronousStandbys) throws Exception {
        position += 100;
        List<WalSender> now = new ArrayList<>();
        for (String n : synchronousStandbys) {
            now.add(new WalSender(n, "streaming", ssn.contains(n) ? "quorum" : "async", position));
        }
        senders = now;
        Observation seed = Situation.as("node1").quorumMode(false).observation();
        quorum.apply(new Observation(dcs.cluster(), null, PgStates.primaryRunning(position), seed.settings(),
                LocalState.INITIAL, Map.of(), 0, false, Instant.EPOCH, null));
    }

    private SyncState key() throws Exception {
        return dcs.cluster().sync();
    }

    @Test
    void enablingNamesTheStandbysFirstAndTrustsThemOnlyOnceConfirmed() throws Exception {
        cycle("node2", "node3");
        assertThat(key()).isEqualTo(new SyncState(key().version(), "node1", 0, null));

        cycle("node2", "node3");
        assertThat(ssn).isEqualTo("ANY 1 (node2,node3)");
        assertThat(key().syncStandby()).as("not confirmed yet").isNull();

        cycle("node2", "node3"); // measures the position after the change
        cycle("node2", "node3"); // both have flushed it
        assertThat(key().quorum()).isEqualTo(1);
        assertThat(key().syncStandby()).isEqualTo("node2,node3");
    }

    @Test
    void aLostStandbyLeavesTheGucAtOnceAndTheKeyAfterTheOtherConfirms() throws Exception {
        for (int i = 0; i < 4; i++) {
            cycle("node2", "node3");
        }
        assertThat(key().syncStandby()).isEqualTo("node2,node3");

        cycle("node2");
        assertThat(ssn).isEqualTo("ANY 1 (node2)");
        assertThat(key().syncStandby()).as("node3 may hold a commit node2 lacks").isEqualTo("node2,node3");
        cycle("node2");
        cycle("node2");
        assertThat(key()).isEqualTo(new SyncState(key().version(), "node1", 0, "node2"));
    }

    @Test
    void afterAPromotionTheKeyIsTakenOverWithTheVotersTheGucWaitsFor() throws Exception {
        dcs.setSync("{\"leader\":\"node0\",\"quorum\":1,\"sync_standby\":\"node1,node2,node3\"}", null);
        ssn = "ANY 2 (node0,node2,node3)"; // set before promoting: all but quorum 1 of node0, node2, node3

        cycle("node2", "node3");

        assertThat(key()).isEqualTo(new SyncState(key().version(), "node1", 1, "node0,node2,node3"));
        assertThat(written).as("the value set before promoting stays until the next cycle").isEmpty();
    }

    @Test
    void afterAPromotionWithOnlyTheDeadOldLeaderToWaitForWritesResumeInTheSameCycle() throws Exception {
        dcs.setSync("{\"leader\":\"node0\",\"quorum\":0,\"sync_standby\":\"node1\"}", null);
        ssn = "ANY 1 (node0)"; // set before promoting; node0 has no member key and does not stream

        cycle();

        assertThat(key()).isEqualTo(new SyncState(key().version(), "node1", 0, null));
        assertThat(ssn).as("no standby to wait for: commits go on without one").isEmpty();
    }
}
