package io.bulwark.ha;

import io.bulwark.ha.AdminActions.RestartRequest;
import org.junit.jupiter.api.Test;

import static io.bulwark.ha.PgStates.primaryRunning;
import static io.bulwark.ha.PgStates.replicaStreaming;
import static org.assertj.core.api.Assertions.assertThat;

/** The conditions of {@code POST /restart} (reference §3.4), decided before anything is touched. */
class AdminExecutorTest {

    private static RestartRequest request(String role, String version, Boolean pending) {
        return new RestartRequest(null, role, version, null, pending);
    }

    @Test
    void roleFilterMustMatch() {
        Observation primary = Situation.as("node1").leaderIs("node1").pg(primaryRunning(5)).observation();
        assertThat(AdminExecutor.restartRefusal(request("replica", null, null), primary, false))
                .isEqualTo("restart conditions are not satisfied");
        assertThat(AdminExecutor.restartRefusal(request("primary", null, null), primary, false)).isNull();
        assertThat(AdminExecutor.restartRefusal(request("master", null, null), primary, false)).isNull();
        Observation replica = Situation.as("node2").leaderIs("node1").pg(replicaStreaming("node1", 5)).observation();
        assertThat(AdminExecutor.restartRefusal(request("replica", null, null), replica, false)).isNull();
    }

    @Test
    void theStandbyLeaderMatchesRoleStandbyLeaderAsInPatroni() {
        Observation standbyLeader = Situation.as("node1").leaderIs("node1").pg(replicaStreaming("node9", 5))
                .standbyCluster().observation();
        assertThat(AdminExecutor.restartRefusal(request("standby_leader", null, null), standbyLeader, false)).isNull();
        assertThat(AdminExecutor.restartRefusal(request("replica", null, null), standbyLeader, false))
                .isEqualTo("restart conditions are not satisfied");
    }

    @Test
    void versionFilterRestartsOnlyOlderServers() {
        Observation pg15 = Situation.as("node1").leaderIs("node1").pg(primaryRunning(5)).observation();
        assertThat(AdminExecutor.restartRefusal(request(null, "15.0", null), pg15, false)).isNotNull();
        assertThat(AdminExecutor.restartRefusal(request(null, "16.1", null), pg15, false)).isNull();
    }

    @Test
    void versionStringsBecomeServerVersionNumbers() {
        assertThat(AdminExecutor.versionNum("15.4")).isEqualTo(150004);
        assertThat(AdminExecutor.versionNum("16")).isEqualTo(160000);
        assertThat(AdminExecutor.versionNum("9.6.24")).isEqualTo(90624);
    }

    @Test
    void pendingFilterRestartsOnlyWhenARestartIsPending() {
        Observation primary = Situation.as("node1").leaderIs("node1").pg(primaryRunning(5)).observation();
        assertThat(AdminExecutor.restartRefusal(request(null, null, true), primary, false))
                .isEqualTo("restart conditions are not satisfied");
        assertThat(AdminExecutor.restartRefusal(request(null, null, true), primary, true)).isNull();
    }
}
