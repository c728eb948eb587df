package io.bulwark.ctl;

import io.bulwark.dcs.DcsCodec;
import io.bulwark.dcs.Failover;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static io.bulwark.ctl.CtlWorld.AUTH;
import static io.bulwark.ctl.CtlWorld.KEYS;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code switchover} and {@code failover}: requests, prompts, refusals and the DCS fallback. */
class FailoverCommandsTest {
    @TempDir
    Path dir;
    CtlWorld world;

    @BeforeEach
    void setUp() throws Exception {
        world = new CtlWorld(dir);
        world.api.reply("POST /postgresql0/switchover", 200, "Successfully switched over to \"postgresql1\"")
                .reply("POST /postgresql0/failover", 200, "Successfully failed over to \"postgresql2\"");
    }

    @AfterEach
    void tearDown() {
        world.close();
    }

    @Test
    void forcedSwitchoverPostsToTheLeaderWithCredentialsAndPrintsTheAnswer() {
        Clusters.Run r = world.run("", "switchover", "--leader", "postgresql0", "--candidate", "postgresql1",
                "--force");
        assertThat(r.exitCode()).as(r.err()).isZero();
        FakePatroni.Request req = world.api.requests("POST /postgresql0/switchover").getFirst();
        assertThat(req.body()).isEqualTo("{\"candidate\":\"postgresql1\",\"leader\":\"postgresql0\"}");
        assertThat(req.authorization()).isEqualTo(AUTH);
        assertThat(r.out()).startsWith("Current cluster topology\n+ Cluster: batman (7277694203142172922)")
                .containsPattern("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{5} Successfully switched over to"
                        + " \"postgresql1\"");
    }

    @Test
    void interactiveSwitchoverAsksPatronictlsQuestions() {
        Clusters.Run r = world.run("\npostgresql2\n\ny\n", "switchover");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("Primary [postgresql0]: ")
                .contains("Candidate ['postgresql1', 'postgresql2'] []: ")
                .containsPattern("When should the switchover take place \\(e\\.g\\. \\S+ \\)  \\[now\\]: ")
                .contains("Are you sure you want to switchover cluster batman, demoting current leader postgresql0?"
                        + " [y/N]: ");
        assertThat(world.api.requests("POST /postgresql0/switchover").getFirst().body())
                .isEqualTo("{\"candidate\":\"postgresql2\",\"leader\":\"postgresql0\"}");
    }

    @Test
    void answeringNoOrClosingStdinSendsNothingAndExits1() {
        Clusters.Run no = world.run("\npostgresql1\nnow\nn\n", "switchover");
        assertThat(no.exitCode()).isEqualTo(1);
        assertThat(no.err()).contains("Error: Aborting switchover");

        Clusters.Run eof = world.run("", "switchover", "--candidate", "postgresql1", "--leader", "postgresql0",
                "--scheduled", "now");
        assertThat(eof.exitCode()).isEqualTo(1);
        assertThat(eof.err()).contains("no answer on standard input").contains("--force");
        assertThat(world.requests()).isEmpty();
    }

    @Test
    void scheduledSwitchoverSendsIsoTimestampWithOffset() {
        world.api.reply("POST /postgresql0/switchover", 202, "Switchover scheduled");
        Clusters.Run r = world.run("y\n", "switchover", "--leader", "postgresql0", "--candidate", "postgresql1",
                "--scheduled", "2030-01-02T10:00+01:00");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("Are you sure you want to schedule switchover of cluster batman at"
                + " 2030-01-02T10:00:00+01:00, demoting current leader postgresql0? [y/N]: ")
                .contains("Switchover scheduled");
        assertThat(world.api.requests("POST /postgresql0/switchover").getFirst().body())
                .isEqualTo("{\"candidate\":\"postgresql1\",\"leader\":\"postgresql0\","
                        + "\"scheduled_at\":\"2030-01-02T10:00:00+01:00\"}");
    }

    @Test
    void refusalsExit1WithPatronictlsMessages() {
        Clusters.Run wrongLeader = world.run("", "switchover", "--leader", "postgresql1", "--force");
        assertThat(wrongLeader.exitCode()).isEqualTo(1);
        assertThat(wrongLeader.err()).contains("Member postgresql1 is not the leader of cluster batman");

        Clusters.Run leaderAsCandidate = world.run("", "switchover", "--candidate", "postgresql0", "--force");
        assertThat(leaderAsCandidate.err()).contains("Member postgresql0 is already the leader of cluster batman");

        Clusters.Run unknown = world.run("", "failover", "--candidate", "ghost", "--force");
        assertThat(unknown.err()).contains("Member ghost does not exist in cluster batman or is tagged as nofailover");

        Clusters.Run noCandidate = world.run("", "failover", "--force");
        assertThat(noCandidate.exitCode()).isEqualTo(1);
        assertThat(noCandidate.err()).contains("Failover could be performed only to a specific candidate");
        assertThat(world.requests()).isEmpty();
    }

    @Test
    void serverRefusalPrintsItsTextAndExits1() {
        world.api.reply("POST /postgresql0/switchover", 412, "candidate name does not match with sync_standby");
        Clusters.Run r = world.run("", "switchover", "--candidate", "postgresql1", "--force");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).contains("Switchover failed, details: 412, candidate name does not match with sync_standby");

        world.api.reply("POST /postgresql0/switchover", 503, "Switchover status unknown after 20 seconds");
        assertThat(world.run("", "switchover", "--candidate", "postgresql1", "--force").out())
                .contains("Switchover result unknown, details: 503");
    }

    @Test
    void failoverPostsTheCandidateOnly() {
        Clusters.Run r = world.run("y\n", "failover", "--candidate", "postgresql2");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("Are you sure you want to failover cluster batman, demoting current leader"
                + " postgresql0? [y/N]: ").contains("Successfully failed over to \"postgresql2\"");
        FakePatroni.Request req = world.api.requests("POST /postgresql0/failover").getFirst();
        assertThat(req.body()).isEqualTo("{\"candidate\":\"postgresql2\"}");
        assertThat(req.authorization()).isEqualTo(AUTH);
    }

    @Test
    void unreachableLeaderFallsBackToTheFailoverKey() throws Exception {
        world.unreachable("postgresql0", "primary");
        Clusters.Run r = world.run("", "switchover", "--candidate", "postgresql1", "--force");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("Could not switchover using Patroni api, falling back to DCS");
        Failover f = DcsCodec.decodeFailover(1, world.raw(KEYS.failover()));
        assertThat(f.leader()).isEqualTo("postgresql0");
        assertThat(f.candidate()).isEqualTo("postgresql1");
    }
}
