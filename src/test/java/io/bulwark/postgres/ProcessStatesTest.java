package io.bulwark.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import io.bulwark.config.BootstrapConfig;
import io.bulwark.config.Credentials;
import io.bulwark.config.DynamicConfig;
import io.bulwark.config.PostgresqlConfig;

class ProcessStatesTest {

    @Test
    void activityWinsThenProcessTableThenLastOutcome() {
        ProcessStates s = new ProcessStates();
        assertThat(s.describe(false, false, false, false)).isEqualTo("stopped");
        assertThat(s.describe(false, true, false, false)).isEqualTo("crashed");
        s.begin(ProcessStates.CREATING_REPLICA);
        assertThat(s.describe(false, false, false, false)).isEqualTo("creating replica");
        s.end(ProcessStates.START_FAILED);
        assertThat(s.describe(false, false, false, false)).isEqualTo("start failed");
        assertThat(s.describe(false, true, false, false)).isEqualTo("start failed");
        s.end(ProcessStates.STARTING);
        assertThat(s.describe(true, true, false, false)).isEqualTo("starting");
        assertThat(s.describe(true, true, true, false)).isEqualTo("running");
        s.end(ProcessStates.RUNNING);
        assertThat(s.describe(true, true, false, true)).isEqualTo("starting");
        assertThat(s.describe(false, true, false, false)).isEqualTo("crashed");
        s.end(ProcessStates.STOPPED);
        assertThat(s.describe(false, true, false, false)).isEqualTo("stopped");
    }

    @Test
    void aStartNotWaitedForBecomesRunningOnceItAnswersAndACrashAfterThatIsACrash() {
        ProcessStates s = new ProcessStates();
        s.end(ProcessStates.STARTING);
        assertThat(s.describe(true, true, false, true)).isEqualTo("starting");
        assertThat(s.describe(true, true, true, false)).isEqualTo("running");
        assertThat(s.describe(false, true, false, false)).isEqualTo("crashed");
        assertThat(s.takeUnreportedStartFailure()).isFalse();
    }

    @Test
    void aStartNotWaitedForThatDiesBeforeAnsweringIsAFailedStartReportedOnce() {
        ProcessStates s = new ProcessStates();
        s.end(ProcessStates.STARTING);
        assertThat(s.describe(true, true, false, true)).isEqualTo("starting");
        assertThat(s.describe(false, false, false, false)).isEqualTo("start failed");
        assertThat(s.takeUnreportedStartFailure()).isTrue();
        assertThat(s.takeUnreportedStartFailure()).isFalse();
        assertThat(s.describe(false, false, false, false)).isEqualTo("start failed");
    }

    @Test
    void refusesToRunPostgresAsRootWithoutUserSwitch(@org.junit.jupiter.api.io.TempDir Path tmp) {
        Assumptions.assumeTrue(RunningUser.isRoot(), "only meaningful when the tests run as root");
        PostgresqlConfig cfg = new PostgresqlConfig("127.0.0.1", 5432, "127.0.0.1:5432", tmp.resolve("data"), null,
                tmp.resolve("pgpass"), new Credentials("postgres", "x"), new Credentials("r", "y"), null,
                Map.of(), List.of(), List.of(), List.of(), PostgresqlConfig.DEFAULT_PG_CTL_TIMEOUT, PostgresqlConfig.DEFAULT_KEEP_FAILED_DATA_DIRS);
        Postgres pg = new Postgres(cfg, "m", new CommandRunner());
        assertThatThrownBy(() -> pg.bootstrap(BootstrapConfig.defaults(), DynamicConfig.defaults()))
                .isInstanceOf(PostgresException.class)
                .hasMessage("refusing to run PostgreSQL as root; run the agent as the postgres OS user");
        assertThat(tmp.resolve("data")).doesNotExist();
        assertThat(pg.probe().processState()).isEqualTo("stopped");
    }
}
