package io.bulwark.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A single-member etcd ({@code /usr/bin/etcd}) for integration tests, on 127.0.0.1 with free client and peer
 * ports and its own temporary data directory.
 *
 * <pre>{@code
 * try (EtcdServer etcd = EtcdServer.start()) {
 *     EtcdDcs dcs = EtcdDcs.connect(List.of(etcd.endpoint()), ...);
 *     etcd.pause();   // SIGSTOP: etcd keeps its sockets but answers nothing (a stalled or partitioned DCS)
 *     etcd.resume();  // SIGCONT
 *     etcd.stop();    // graceful stop; data kept
 *     etcd.restart(); // same ports, same data: the cluster comes back with its keys (leases keep their TTL)
 * }                   // close(): kills etcd if still running and deletes the data directory
 * }</pre>
 *
 * <p>Safe for concurrent test runs on one machine: ports are chosen at runtime (a port grabbed by someone else
 * between choosing and binding makes etcd exit, and start retries with new ports), and only the process
 * started here is ever signalled, by its PID. etcd's own output goes to {@code etcd.log} in the data
 * directory's parent, quoted in the exception when it does not come up.
 *
 * <p>{@link #startTls(Path)} serves clients over HTTPS and requires a client certificate signed by a test CA
 * ({@code --client-cert-auth}); the CA, server and client material is generated with {@code openssl} into the
 * given directory and described by {@link TlsFiles}.
 */
public final class EtcdServer implements AutoCloseable {
    private static final String ETCD = "/usr/bin/etcd";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Path baseDir;
    private final int clientPort;
    private final int peerPort;
    private final TlsFiles tls;
    private Process process;
    private boolean paused;

    private EtcdServer(Path baseDir, int clientPort, int peerPort, TlsFiles tls) {
        this.baseDir = baseDir;
        this.clientPort = clientPort;
        this.peerPort = peerPort;
        this.tls = tls;
    }

    /** Starts etcd and returns once it answers {@code /health}; throws with etcd's log if it does not. */
    public static EtcdServer start() {
        return start(null);
    }

    /**
     * Starts etcd serving clients on {@code https://127.0.0.1:PORT} with client-certificate authentication;
     * certificates and keys are generated into {@code dir} (see {@link #tls()}).
     */
    public static EtcdServer startTls(Path dir) {
        return start(TestCertificates.generate(dir));
    }

    private static EtcdServer start(TlsFiles tls) {
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            EtcdServer server;
            try {
                int clientPort = freePort();
                int peerPort = freePort();
                while (peerPort == clientPort) {
                    peerPort = freePort();
                }
                server = new EtcdServer(Files.createTempDirectory("bulwark-etcd-"), clientPort, peerPort, tls);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a temporary directory for etcd", e);
            }
            try {
                server.launch();
                return server;
            } catch (IllegalStateException e) {
                last = e;
                server.close();
            }
        }
        throw last;
    }

    /** The client URL, e.g. {@code http://127.0.0.1:41234} ({@code https://} in TLS mode). */
    public String endpoint() {
        return (tls == null ? "http" : "https") + "://127.0.0.1:" + clientPort;
    }

    /** The certificate files of a {@link #startTls} server; {@code null} for a plain one. */
    public TlsFiles tls() {
        return tls;
    }

    /** {@code host:port} form of {@link #endpoint()}, as Patroni's {@code etcd3.hosts} takes it. */
    public String hostPort() {
        return "127.0.0.1:" + clientPort;
    }

    public synchronized long pid() {
        if (process == null) {
            throw new IllegalStateException("etcd is not running");
        }
        return process.pid();
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** SIGSTOP: etcd stops answering but its sockets stay open, like a hung or partitioned server. */
    public synchronized void pause() {
        signal("-STOP");
        paused = true;
    }

    /** SIGCONT after {@link #pause()}. */
    public synchronized void resume() {
        signal("-CONT");
        paused = false;
    }

    /** Graceful stop (SIGTERM, then SIGKILL after 10 s); the data directory is kept for {@link #restart()}. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        if (paused) {
            resume();
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /**
     * SIGKILL (also of a paused etcd), like a crashed server; the data directory is kept for {@link #restart()}.
     */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        signal("-KILL");
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        paused = false;
        process = null;
    }

    /** Starts etcd again on the same ports with the same data after {@link #stop()}. */
    public synchronized void restart() {
        if (isRunning()) {
            throw new IllegalStateException("etcd is still running (pid " + process.pid() + ")");
        }
        launch();
    }

    @Override
    public synchronized void close() {
        if (process != null) {
            if (paused) {
                resume();
            }
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
        deleteRecursively(baseDir);
    }

    private synchronized void launch() {
        String peer = "http://127.0.0.1:" + peerPort;
        List<String> argv = new ArrayList<>(List.of(ETCD,
                "--name", "bulwark-test",
                "--data-dir", baseDir.resolve("data").toString(),
                "--listen-client-urls", endpoint(),
                "--advertise-client-urls", endpoint(),
                "--listen-peer-urls", peer,
                "--initial-advertise-peer-urls", peer,
                "--initial-cluster", "bulwark-test=" + peer,
                "--initial-cluster-state", "new",
                "--initial-cluster-token", "bulwark-test-" + clientPort));
        if (tls != null) {
            argv.addAll(List.of("--cert-file", tls.serverCert().toString(), "--key-file", tls.serverKey().toString(),
                    "--trusted-ca-file", tls.caCert().toString(), "--client-cert-auth"));
        }
        Path log = baseDir.resolve("etcd.log");
        int readyBefore = tls == null ? 0 : countReady(log);
        try {
            process = new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + ETCD + ": " + e.getMessage(), e);
        }
        if (tls == null) {
            awaitHealthy(log);
        } else {
            awaitReadyLine(log, readyBefore);
        }
    }

    /** HTTPS with a client certificate is not worth a Java client here: etcd logs when it serves clients. */
    private void awaitReadyLine(Path log, int readyBefore) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                process = null;
                throw new IllegalStateException("etcd exited during start-up; its log:\n" + tail(log));
            }
            if (countReady(log) > readyBefore) {
                return;
            }
            sleep(100);
        }
        process.destroyForcibly();
        process = null;
        throw new IllegalStateException("etcd did not serve clients within " + START_TIMEOUT + "; its log:\n"
                + tail(log));
    }

    private static int countReady(Path log) {
        try {
            if (!Files.exists(log)) {
                return 0;
            }
            return (int) Files.readAllLines(log).stream()
                    .filter(l -> l.contains("serving client requests on") || l.contains("serving client traffic securely"))
                    .count();
        } catch (IOException e) {
            return 0;
        }
    }

    private void awaitHealthy(Path log) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create(endpoint() + "/health"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                process = null;
                throw new IllegalStateException("etcd exited during start-up; its log:\n" + tail(log));
            }
            try {
                HttpResponse<String> r = http.send(health, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("\"health\":\"true\"")) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for etcd", e);
            }
            sleep(100);
        }
        process.destroyForcibly();
        process = null;
        throw new IllegalStateException("etcd did not become healthy within " + START_TIMEOUT + "; its log:\n"
                + tail(log));
    }

    private void signal(String sig) {
        long pid = pid();
        try {
            Process kill = new ProcessBuilder("kill", sig, Long.toString(pid)).redirectErrorStream(true).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill " + sig + " " + pid + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling etcd", e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a leftover temp dir must not fail a test
        }
    }
}
