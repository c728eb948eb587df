package io.bulwark.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The agent's configuration and secrets never reach a child process's environment. */
class ChildEnvironmentTest {

    @Test
    void agentVariablesAndLibpqRedirectionsAreRemovedTheRestKept() {
        Map<String, String> env = new HashMap<>(Map.of(
                "PATRONI_SUPERUSER_PASSWORD", "s1", "PATRONI_RESTAPI_PASSWORD", "s2", "patroni_replication_password",
                "s3", "BULWARK_JAR_OVERRIDE", "/x.jar", "PGPASSWORD", "s4", "PGHOST", "elsewhere",
                "PATH", "/usr/bin", "HOME", "/var/lib/postgresql", "LANG", "C.UTF-8"));
        ChildEnvironment.scrub(env);
        assertThat(env).containsOnlyKeys("PATH", "HOME", "LANG");
    }

    /** Surefire starts this JVM with BULWARK_CHILD_ENV_PROBE set (pom.xml); a command run for PostgreSQL sees none. */
    @Test
    void aCommandRunForPostgresqlDoesNotInheritTheAgentsSecrets() throws Exception {
        assertThat(System.getenv("BULWARK_CHILD_ENV_PROBE")).as("set by surefire's environmentVariables")
                .isEqualTo("secret-from-the-agent-env");
        CommandRunner.Result r = new CommandRunner().run(List.of("env"), Map.of("PGAPPNAME", "bulwark"),
                Duration.ofSeconds(10));
        assertThat(r.succeeded()).isTrue();
        assertThat(r.output()).contains("PGAPPNAME=bulwark").contains("PATH=")
                .doesNotContain("BULWARK_CHILD_ENV_PROBE").doesNotContain("secret-from-the-agent-env");
    }
}
