package io.bulwark.ha;

import io.bulwark.config.SyncSettings;
import io.bulwark.dcs.Member;
import io.bulwark.postgres.WalSender;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SyncPlannerTest {
    private static final SyncSettings ONE = new SyncSettings(true, false, 1, -1);
    private static final long PRIMARY = 50_000;

    private static Member member(String name, Object... tags) {
        return new Member(name, 1, 1, Members.runningReplica(name, tags));
    }

    private static WalSender streaming(String name, long flush) {
        return new WalSender(name, "streaming", "async", flush);
    }

    @Test
    void picksTheMostAdvancedStreamingStandby() {
        SyncPlanner.Plan p = SyncPlanner.plan(ONE, "node1", List.of(member("node2"), member("node3")),
                List.of(streaming("node2", 100), streaming("node3", 200)), Set.of(), PRIMARY);

        assertThat(p.picked()).containsExactly("node3");
        assertThat(p.ssn()).isEqualTo("FIRST 1 (\"node3\")");
    }

    @Test
    void keepsTheCurrentSynchronousStandbyRatherThanFlapping() {
        SyncPlanner.Plan p = SyncPlanner.plan(ONE, "node1", List.of(member("node2"), member("node3")),
                List.of(streaming("node2", 100), streaming("node3", 200)), Set.of("node2"), PRIMARY);

        assertThat(p.picked()).containsExactly("node2");
    }

    @Test
    void skipsNosyncPriorityZeroLaggingNotStreamingAndStrangers() {
        SyncSettings lagLimited = new SyncSettings(true, false, 5, 1000);
        SyncPlanner.Plan p = SyncPlanner.plan(lagLimited, "node1",
                List.of(member("node4", "nosync", true), member("node5", "sync_priority", 0), member("node6"), member("node7"),
                        member("node8")),
                List.of(streaming("node4", PRIMARY), streaming("node5", PRIMARY), streaming("node6", PRIMARY - 1001),
                        new WalSender("node7", "catchup", "async", PRIMARY), streaming("pg_basebackup", PRIMARY),
                        streaming("node8", PRIMARY - 1000)), Set.of(), PRIMARY);

        assertThat(p.picked()).containsExactly("node8");
    }

    @Test
    void higherSyncPriorityComesFirstAndTheCountIsHonoured() {
        SyncSettings two = new SyncSettings(true, false, 2, -1);
        SyncPlanner.Plan p = SyncPlanner.plan(two, "node1",
                List.of(member("node4"), member("node5", "sync_priority", 5), member("node6", "sync_priority", 3)),
                List.of(streaming("node4", 900), streaming("node5", 100), streaming("node6", 100)), Set.of(), PRIMARY);

        assertThat(p.picked()).containsExactly("node5", "node6");
        assertThat(p.ssn()).isEqualTo("FIRST 2 (\"node5\",\"node6\")");
    }

    @Test
    void withNoCandidateStrictBlocksAndNonStrictGoesAsynchronous() {
        assertThat(SyncPlanner.plan(ONE, "node1", List.of(), List.of(), Set.of(), PRIMARY).ssn()).isEmpty();
        assertThat(SyncPlanner.plan(new SyncSettings(true, true, 1, -1), "node1", List.of(), List.of(), Set.of(),
                PRIMARY).ssn()).isEqualTo("*");
    }

    @Test
    void aStandbyIsConfirmedOnlyWhenSynchronousAndPastThePositionAtWhichItWasNamed() {
        List<String> picked = List.of("node2");
        Map<String, Long> namedAt = Map.of("node2", 5000L);

        assertThat(SyncPlanner.confirmed(picked, List.of(new WalSender("node2", "streaming", "async", 9000)), namedAt))
                .as("not yet synchronous").isEmpty();
        assertThat(SyncPlanner.confirmed(picked, List.of(new WalSender("node2", "streaming", "sync", 4999)), namedAt))
                .as("synchronous but still behind what was acknowledged before it was named").isEmpty();
        assertThat(SyncPlanner.confirmed(picked, List.of(new WalSender("NODE2", "streaming", "sync", 5000)), namedAt))
                .containsExactly("node2");
    }
}
