import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * The client of the fault suite (bench/faults/run): a writer through HAProxy, a direct prober on each node, and
 * the checker that turns what they saw into lost rows and split-brain windows.
 *
 * <pre>PGPASSWORD=... java -cp bulwark.jar bench/faults/FaultProbe.java OUT_DIR HAPROXY_HOST:PORT NAME=HOST:PORT NAME=HOST:PORT</pre>
 *
 * <ul>
 *   <li>Writer: every {@value #WRITE_EVERY_MS} ms one autocommit insert of a new id into {@code fault_writes}
 *       through HAProxy, reconnecting after any error. Each acknowledged id is appended to OUT_DIR/acks as
 *       "id epoch_ms". An id is tried once: an insert whose outcome is unknown is never counted as acknowledged.</li>
 *   <li>Probers: every {@value #PROBE_EVERY_MS} ms, for each node, one autocommit insert into {@code fault_probe}
 *       straight to that node's PostgreSQL, logged to OUT_DIR/probe-NAME as "start_ms end_ms ok|fail". A replica
 *       refuses (read-only); a primary accepts.</li>
 *   <li>When OUT_DIR/stop appears: every id is read back from the address in OUT_DIR/readback (the final primary,
 *       host:port), and OUT_DIR/result gets one line:
 *       "acked N lost M split_windows K split_ms T worst_gap_ms G". Lost ids go to OUT_DIR/lost.</li>
 * </ul>
 *
 * <p>A split-brain window is a time when both nodes accepted a direct write. A node counts as writable from the
 * end of one accepted probe to the start of its next one when both were accepted and the next started at most
 * {@value #SPAN_MAX_GAP_MS} ms later (its commits happened at the ends of that span, so it was writable for the
 * whole span unless it changed role twice in between). Writable spans of the two nodes that overlap, and an
 * accepted probe of one node that lies wholly inside a writable span of the other, are split-brain moments; moments
 * closer than {@value #PROBE_EVERY_MS} ms are one window. A split shorter than a probe period can go unseen.
 */
public final class FaultProbe {
    static final long WRITE_EVERY_MS = 20;
    static final long PROBE_EVERY_MS = 100;
    static final long SPAN_MAX_GAP_MS = 300;

    private static final long NANO_BASE = System.nanoTime();
    private static final long EPOCH_BASE = System.currentTimeMillis();
    private static volatile boolean stopping;

    /** Epoch milliseconds from the monotonic clock, so probe intervals are comparable across threads. */
    static double nowMs() {
        return EPOCH_BASE + (System.nanoTime() - NANO_BASE) / 1e6;
    }

    record Probe(double start, double end, boolean ok) {
    }

    record Window(double start, double end) {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            throw new IllegalArgumentException("usage: FaultProbe OUT_DIR HAPROXY_HOST:PORT NAME=HOST:PORT NAME=HOST:PORT"
                    + " (got " + args.length + " arguments)");
        }
        Path out = Path.of(args[0]);
        String haproxy = args[1];
        String password = System.getenv("PGPASSWORD");
        if (password == null) {
            throw new IllegalArgumentException("PGPASSWORD: expected the superuser password in the environment");
        }
        String[][] nodes = {nodeArg(args[2]), nodeArg(args[3])};
        Files.createDirectories(out);
        createTables(haproxy, password);

        List<long[]> acks = new ArrayList<>();
        Thread writer = Thread.ofPlatform().name("writer").start(() -> write(haproxy, password, out, acks));
        List<List<Probe>> probes = List.of(new ArrayList<>(), new ArrayList<>());
        List<Thread> probers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            String[] node = nodes[i];
            List<Probe> log = probes.get(i);
            probers.add(Thread.ofPlatform().name("probe-" + node[0])
                    .start(() -> probe(node[1], password, out.resolve("probe-" + node[0]), log)));
        }
        Files.writeString(out.resolve("started"), "");
        while (!Files.exists(out.resolve("stop"))) {
            Thread.sleep(50);
        }
        stopping = true;
        writer.join();
        for (Thread t : probers) {
            t.join();
        }
        String readback = Files.readString(out.resolve("readback")).trim();
        Set<Long> present = readBack(readback, password);
        List<Long> lost = acks.stream().map(a -> a[0]).filter(id -> !present.contains(id)).toList();
        Files.writeString(out.resolve("lost"), lost.stream().map(String::valueOf).reduce("", (a, b) -> a + b + "\n"));
        List<Window> windows = splitWindows(probes.get(0), probes.get(1));
        long splitMs = Math.round(windows.stream().mapToDouble(w -> w.end() - w.start()).sum());
        StringBuilder w = new StringBuilder();
        for (Window x : windows) {
            w.append(String.format("%.0f %.0f%n", x.start(), x.end()));
        }
        Files.writeString(out.resolve("split"), w.toString());
        Files.writeString(out.resolve("result"), "acked " + acks.size() + " lost " + lost.size() + " split_windows "
                + windows.size() + " split_ms " + splitMs + " worst_gap_ms " + worstGap(acks) + "\n");
    }

    private static String[] nodeArg(String arg) {
        int eq = arg.indexOf('=');
        if (eq < 1 || eq == arg.length() - 1) {
            throw new IllegalArgumentException("node: expected NAME=HOST:PORT, got '" + arg + "'");
        }
        return new String[]{arg.substring(0, eq), arg.substring(eq + 1)};
    }

    private static void createTables(String address, String password) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (true) {
            try (Connection c = connect(address, password, 5); Statement s = c.createStatement()) {
                s.execute("create table if not exists fault_writes (id bigint primary key, at timestamptz default now())");
                s.execute("create table if not exists fault_probe (node text, at timestamptz default now())");
                return;
            } catch (SQLException e) {
                if (System.currentTimeMillis() > deadline) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }

    private static void write(String haproxy, String password, Path out, List<long[]> acks) {
        Connection c = null;
        long id = 0;
        try (BufferedWriter ackLog = Files.newBufferedWriter(out.resolve("acks"))) {
            while (!stopping) {
                long started = System.nanoTime();
                id++;
                try {
                    if (c == null) {
                        c = connect(haproxy, password, 3);
                    }
                    try (PreparedStatement ps = c.prepareStatement("insert into fault_writes(id) values (?)")) {
                        ps.setLong(1, id);
                        ps.executeUpdate();
                    }
                    long now = System.currentTimeMillis();
                    acks.add(new long[]{id, now});
                    ackLog.write(id + " " + now + "\n");
                    ackLog.flush();
                } catch (SQLException e) {
                    closeQuietly(c);
                    c = null;
                }
                sleepRest(started, WRITE_EVERY_MS);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            closeQuietly(c);
        }
    }

    private static void probe(String address, String password, Path logFile, List<Probe> log) {
        Connection c = null;
        try (BufferedWriter w = Files.newBufferedWriter(logFile)) {
            while (!stopping) {
                long started = System.nanoTime();
                double start = nowMs();
                boolean ok = false;
                try {
                    if (c == null) {
                        c = connect(address, password, 2);
                    }
                    try (Statement s = c.createStatement()) {
                        s.executeUpdate("insert into fault_probe(node) values ('" + logFile.getFileName() + "')");
                        ok = true;
                    }
                } catch (SQLException e) {
                    if (!"25006".equals(e.getSQLState())) { // read-only transaction: a replica, keep the session
                        closeQuietly(c);
                        c = null;
                    }
                }
                Probe p = new Probe(start, nowMs(), ok);
                log.add(p);
                w.write(String.format("%.1f %.1f %s%n", p.start(), p.end(), ok ? "ok" : "fail"));
                w.flush();
                sleepRest(started, PROBE_EVERY_MS);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            closeQuietly(c);
        }
    }

    /** Times when both nodes were writable, merged into windows (see the class comment). */
    static List<Window> splitWindows(List<Probe> a, List<Probe> b) {
        List<Window> spansA = writableSpans(a);
        List<Window> spansB = writableSpans(b);
        List<Window> moments = new ArrayList<>();
        for (Window x : spansA) {
            for (Window y : spansB) {
                double s = Math.max(x.start(), y.start());
                double e = Math.min(x.end(), y.end());
                if (s <= e) {
                    moments.add(new Window(s, e));
                }
            }
        }
        addAcceptedInside(b, spansA, moments);
        addAcceptedInside(a, spansB, moments);
        moments.sort(Comparator.comparingDouble(Window::start));
        List<Window> windows = new ArrayList<>();
        for (Window m : moments) {
            Window last = windows.isEmpty() ? null : windows.getLast();
            if (last != null && m.start() - last.end() <= PROBE_EVERY_MS) {
                windows.set(windows.size() - 1, new Window(last.start(), Math.max(last.end(), m.end())));
            } else {
                windows.add(m);
            }
        }
        return windows;
    }

    private static List<Window> writableSpans(List<Probe> probes) {
        List<Window> spans = new ArrayList<>();
        for (int i = 0; i + 1 < probes.size(); i++) {
            Probe p = probes.get(i);
            Probe q = probes.get(i + 1);
            if (p.ok() && q.ok() && q.start() - p.end() <= SPAN_MAX_GAP_MS) {
                spans.add(new Window(p.end(), q.start()));
            }
        }
        return spans;
    }

    private static void addAcceptedInside(List<Probe> probes, List<Window> spans, List<Window> moments) {
        for (Probe p : probes) {
            if (!p.ok()) {
                continue;
            }
            for (Window s : spans) {
                if (s.start() <= p.start() && p.end() <= s.end()) {
                    moments.add(new Window(p.start(), p.end()));
                }
            }
        }
    }

    private static long worstGap(List<long[]> acks) {
        long worst = 0;
        for (int i = 1; i < acks.size(); i++) {
            worst = Math.max(worst, acks.get(i)[1] - acks.get(i - 1)[1]);
        }
        return worst;
    }

    private static Set<Long> readBack(String address, String password) throws Exception {
        for (int attempt = 0; ; attempt++) {
            try (Connection c = connect(address, password, 10); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select id from fault_writes")) {
                Set<Long> present = new HashSet<>();
                while (rs.next()) {
                    present.add(rs.getLong(1));
                }
                return present;
            } catch (SQLException e) {
                if (attempt >= 60) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }

    private static void sleepRest(long startedNanos, long periodMs) {
        long left = periodMs - (System.nanoTime() - startedNanos) / 1_000_000;
        if (left > 0) {
            try {
                Thread.sleep(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopping = true;
            }
        }
    }

    private static Connection connect(String address, String password, int socketTimeoutSeconds) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("password", password);
        p.setProperty("connectTimeout", "1");
        p.setProperty("loginTimeout", "2");
        p.setProperty("socketTimeout", String.valueOf(socketTimeoutSeconds));
        p.setProperty("tcpKeepAlive", "true");
        Connection c = DriverManager.getConnection("jdbc:postgresql://" + address + "/postgres", p);
        c.setAutoCommit(true);
        return c;
    }

    private static void closeQuietly(Connection c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (SQLException ignored) {
            // the connection is already broken
        }
    }
}
