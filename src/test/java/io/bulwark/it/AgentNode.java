package io.bulwark.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * One Bulwark agent under test: its config file, data directory and process. The agent runs the built jar as
 * the {@code postgres} OS user (via {@code setpriv}, which execs, so {@link #pid()} is the JVM itself).
 */
final class AgentNode {
    static final String SUPERUSER_PASSWORD = "it-super-secret";
    static final String REPLICATION_PASSWORD = "it-repl-secret";
    static final String REST_USER = "it-admin";
    static final String REST_PASSWORD = "it-rest-secret";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final String name;
    final int pgPort;
    final int apiPort;
    final Path dir;
    private final ClusterHarness harness;
    private Process process;

    AgentNode(ClusterHarness harness, String name, int pgPort, int apiPort) throws IOException {
        this.harness = harness;
        this.name = name;
        this.pgPort = pgPort;
        this.apiPort = apiPort;
        this.dir = harness.stateDir().resolve(name);
        Files.createDirectories(dir);
        harness.chownToPostgres(dir);
        writeConfig(name);
    }

    /** Extra lines of this node's {@code postgresql} section, indented by two spaces, newline-ended. */
    private String postgresqlExtra = "";

    AgentNode postgresqlExtra(String yaml) throws IOException {
        this.postgresqlExtra = yaml;
        writeConfig(name);
        return this;
    }

    /** Extra top-level sections of this node's configuration (e.g. {@code bulwark:}), newline-ended. */
    private String topLevelExtra = "";

    AgentNode topLevelExtra(String yaml) throws IOException {
        this.topLevelExtra = yaml;
        writeConfig(name);
        return this;
    }

    Path config() {
        return dir.resolve("bulwark.yml");
    }

    Path dataDir() {
        return dir.resolve("data");
    }

    Path log() {
        return dir.resolve("agent.log");
    }

    void writeConfig(String memberName) throws IOException {
        String yaml = """
                scope: %s
                namespace: /service/
                name: %s
                restapi:
                  listen: 127.0.0.1:%d
                  connect_address: 127.0.0.1:%d
                  authentication:
                    username: %s
                    password: %s
                etcd3:
                  host: %s
                bootstrap:
                  dcs:
                    ttl: %d
                    loop_wait: %d
                    retry_timeout: %d
                    maximum_lag_on_failover: %d
                    failsafe_mode: %s
                %s    postgresql:
                      use_pg_rewind: true
                      use_slots: true
                %s  initdb:
                    - encoding: UTF8
                    - data-checksums
                %spostgresql:
                  listen: 127.0.0.1:%d
                  connect_address: 127.0.0.1:%d
                  data_dir: %s
                  pgpass: %s
                  authentication:
                    superuser:
                      username: postgres
                      password: %s
                    replication:
                      username: replicator
                      password: %s
                  parameters:
                    unix_socket_directories: %s
                %s%s""".formatted(harness.scope(), memberName, apiPort, apiPort, REST_USER, REST_PASSWORD, harness.etcdHostPort(), harness.ttl(),
                harness.loopWait(), harness.retryTimeout(), harness.maximumLagOnFailover(), harness.isFailsafeMode(),
                harness.dcsExtraYaml(), harness.dcsParametersYaml(), harness.bootstrapExtraYaml(), pgPort, pgPort,
                dataDir(), dir.resolve("pgpass"), SUPERUSER_PASSWORD, REPLICATION_PASSWORD, dir, postgresqlExtra, topLevelExtra);
        Files.writeString(config(), yaml);
        harness.chownToPostgres(config());
    }

    /** Start the agent process; output goes to {@link #log()}. */
    AgentNode start() throws IOException {
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=postgres", "--regid=postgres",
                "--init-groups", "--", harness.javaBinary(), "-Xmx64m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-jar", harness.jar().toString(), config().toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
        pb.environment().put("HOME", dir.toString());
        process = pb.start();
        return this;
    }

    Process process() {
        return process;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGTERM, then wait for a graceful exit. */
    int stopGracefully(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " did not stop within " + timeout);
        }
        return process.exitValue();
    }

    /** kill -9 of the agent and of its postmaster (read from postmaster.pid). */
    void killHard() throws IOException, InterruptedException {
        Long postmaster = postmasterPid();
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        if (postmaster != null) {
            new ProcessBuilder("kill", "-KILL", postmaster.toString()).start().waitFor();
            ProcessHandle.of(postmaster).ifPresent(h -> h.onExit().orTimeout(10, TimeUnit.SECONDS).join());
        }
    }

    Long postmasterPid() throws IOException {
        Path pidFile = dataDir().resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return null;
        }
        String first = Files.readAllLines(pidFile).get(0).trim();
        return first.isEmpty() ? null : Long.parseLong(first);
    }

    /** Status code of {@code GET <path>} on this agent's REST API, or -1 when it does not answer. */
    int httpStatus(String path) {
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + path))
                    .timeout(Duration.ofSeconds(2)).GET().build();
            return HTTP.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    String httpBody(String path) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + path))
                .timeout(Duration.ofSeconds(2)).GET().build();
        return HTTP.send(req, HttpResponse.BodyHandlers.ofString()).body();
    }

    /** {@code POST <path>} with a JSON body, with the REST credentials or (authenticated false) without any. */
    HttpResponse<String> post(String path, String json, boolean authenticated) throws IOException, InterruptedException {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + path))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (authenticated) {
            req.header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                    (REST_USER + ":" + REST_PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        return HTTP.send(req.build(), HttpResponse.BodyHandlers.ofString());
    }

    Connection connect() throws SQLException {
        return connectTo(pgPort);
    }

    static Connection connectTo(int port) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("password", SUPERUSER_PASSWORD);
        p.setProperty("connectTimeout", "3");
        p.setProperty("socketTimeout", "10");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", p);
    }

    String logText() {
        try {
            return Files.readString(log());
        } catch (IOException e) {
            return "";
        }
    }
}
