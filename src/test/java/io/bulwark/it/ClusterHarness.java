package io.bulwark.it;

import io.bulwark.testing.EtcdServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * A real cluster on loopback for integration tests: one etcd, any number of agents (each running the built jar
 * with its own PostgreSQL), and optionally HAProxy. Everything it starts it stops by PID in {@link #close()}.
 * Waits are scaled by the system property/env {@code BULWARK_IT_TIME_SCALE} (default 1).
 */
final class ClusterHarness implements AutoCloseable {
    private final Path stateDir;
    private final String scope;
    private final EtcdServer etcd;
    private final List<AgentNode> nodes = new ArrayList<>();
    private final Path jar;
    private int ttl = 6;
    private int loopWait = 1;
    private int retryTimeout = 2;
    private long maximumLagOnFailover = 1_048_576;
    private final java.util.Map<String, String> dcsParameters = new java.util.LinkedHashMap<>();
    private boolean failsafeMode;
    private Process haproxy;
    private String dcsExtraYaml = "";
    private String bootstrapExtraYaml = "";
    private int haproxyPrimaryPort;

    ClusterHarness(String scope) throws IOException {
        this.scope = scope;
        this.stateDir = Files.createTempDirectory(Path.of("/tmp"), "bulwark-it-");
        run("chmod", "0755", stateDir.toString());
        Path builtJar = Path.of("target", "bulwark.jar").toAbsolutePath();
        if (!Files.exists(builtJar)) {
            throw new IllegalStateException("target/bulwark.jar is missing: run the integration tests with 'mvn verify'");
        }
        Files.createDirectories(stateDir.resolve("lib"));
        this.jar = Files.copy(builtJar, stateDir.resolve("lib/bulwark.jar"), StandardCopyOption.REPLACE_EXISTING);
        run("chmod", "-R", "a+rX", stateDir.resolve("lib").toString());
        this.etcd = EtcdServer.start();
    }

    ClusterHarness timings(int ttl, int loopWait, int retryTimeout) {
        this.ttl = ttl;
        this.loopWait = loopWait;
        this.retryTimeout = retryTimeout;
        return this;
    }

    /** A PostgreSQL parameter in {@code bootstrap.dcs.postgresql.parameters} (e.g. wal_level: logical). */
    ClusterHarness dcsParameter(String name, String value) {
        dcsParameters.put(name, value);
        return this;
    }

    /** The {@code bootstrap.dcs.postgresql.parameters} lines, indented for the node's YAML (empty if none). */
    String dcsParametersYaml() {
        StringBuilder out = new StringBuilder();
        if (!dcsParameters.isEmpty()) {
            out.append("      parameters:\n");
            dcsParameters.forEach((k, v) -> out.append("        ").append(k).append(": ").append(v).append("\n"));
        }
        return out.toString();
    }

    /** {@code failsafe_mode: true} in bootstrap.dcs. */
    ClusterHarness failsafeMode() {
        this.failsafeMode = true;
        return this;
    }

    boolean isFailsafeMode() {
        return failsafeMode;
    }

    /** {@code bootstrap.dcs.standby_cluster}: this cluster is a standby cluster of the primary at host:port. */
    /** A {@code standby_cluster} block of {@code bootstrap.dcs} as written (indented by four spaces, newline-ended). */
    ClusterHarness standbyClusterYaml(String yaml) {
        this.dcsExtraYaml = yaml;
        return this;
    }

    ClusterHarness standbyClusterOf(String host, int port) {
        return standbyClusterYaml("    standby_cluster:\n      host: " + host + "\n      port: " + port + "\n");
    }

    /** Extra lines of the {@code bootstrap} section (e.g. a custom method), indented by two spaces, newline-ended. */
    ClusterHarness bootstrapExtra(String yaml) {
        this.bootstrapExtraYaml = yaml;
        return this;
    }

    String bootstrapExtraYaml() {
        return bootstrapExtraYaml;
    }

    /** Extra {@code bootstrap.dcs} lines, indented for the node's YAML (empty if none). */
    String dcsExtraYaml() {
        return dcsExtraYaml;
    }

    ClusterHarness maximumLagOnFailover(long bytes) {
        this.maximumLagOnFailover = bytes;
        return this;
    }

    AgentNode addNode(String name) throws IOException {
        AgentNode node = new AgentNode(this, name, freePort(), freePort());
        nodes.add(node);
        return node;
    }

    Path stateDir() {
        return stateDir;
    }

    String scope() {
        return scope;
    }

    String etcdHostPort() {
        return etcd.endpoint().replaceFirst("^https?://", "");
    }

    EtcdServer etcd() {
        return etcd;
    }

    int ttl() {
        return ttl;
    }

    int loopWait() {
        return loopWait;
    }

    int retryTimeout() {
        return retryTimeout;
    }

    long maximumLagOnFailover() {
        return maximumLagOnFailover;
    }

    Path jar() {
        return jar;
    }

    String javaBinary() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    void chownToPostgres(Path path) {
        run("chown", "-R", "postgres:postgres", path.toString());
    }

    /** Generate the HAProxy config with bulwarkctl and start HAProxy; returns the primary port. */
    int startHaproxy() throws IOException {
        haproxyPrimaryPort = freePort();
        Path cfg = stateDir.resolve("haproxy.cfg");
        var out = new java.io.ByteArrayOutputStream();
        var err = new java.io.ByteArrayOutputStream();
        int rc = io.bulwark.ctl.BulwarkCtl.run(new String[]{"--dcs-url", "etcd3://" + etcdHostPort() + "/service",
                        "haproxy-config", scope, "--bind", "127.0.0.1", "--primary-port", String.valueOf(haproxyPrimaryPort),
                        "--replica-port", String.valueOf(freePort()), "--stats-port", String.valueOf(freePort())},
                new java.io.PrintStream(out, true), new java.io.PrintStream(err, true), System.getenv());
        if (rc != 0) {
            throw new IllegalStateException("bulwarkctl haproxy-config failed: " + err);
        }
        Files.writeString(cfg, out.toString());
        haproxy = new ProcessBuilder("haproxy", "-db", "-f", cfg.toString()).redirectErrorStream(true)
                .redirectOutput(stateDir.resolve("haproxy.log").toFile()).start();
        return haproxyPrimaryPort;
    }

    int haproxyPrimaryPort() {
        return haproxyPrimaryPort;
    }

    static Duration scaled(Duration d) {
        String scale = System.getenv().getOrDefault("BULWARK_IT_TIME_SCALE", "1");
        return Duration.ofMillis((long) (d.toMillis() * Double.parseDouble(scale)));
    }

    /** Poll {@code condition} every 200 ms until true; fail with {@code what} after the (scaled) timeout. */
    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + scaled(timeout).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + scaled(timeout) + " waiting for " + what);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static void run(String... argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", argv) + " failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The logs of every node, for failure messages. */
    String logs() {
        StringBuilder sb = new StringBuilder();
        for (AgentNode n : nodes) {
            String text = n.logText();
            sb.append("\n===== ").append(n.name).append(" agent log (last 4000 chars) =====\n")
                    .append(text, Math.max(0, text.length() - 4000), text.length());
        }
        return sb.toString();
    }

    @Override
    public void close() {
        for (AgentNode n : nodes) {
            try {
                if (n.isAlive()) {
                    n.process().destroy();
                    if (!n.process().waitFor(60, TimeUnit.SECONDS)) {
                        n.process().destroyForcibly();
                    }
                }
                Long pm = n.postmasterPid();
                if (pm != null && ProcessHandle.of(pm).isPresent()) {
                    new ProcessBuilder("kill", "-KILL", pm.toString()).start().waitFor();
                }
            } catch (IOException | InterruptedException e) {
                // keep stopping the rest
            }
        }
        if (haproxy != null) {
            haproxy.destroy();
        }
        etcd.close();
        if (!Boolean.getBoolean("bulwark.it.keep")) {
            try (Stream<Path> walk = Files.walk(stateDir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // best effort
            }
        }
    }
}
