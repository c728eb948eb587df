import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * A client that writes through HAProxy and measures what a user sees during a failover.
 *
 * <pre>java -cp target/bulwark.jar bench/WriteProbe.java PORT[,PORT...] PASSWORD OUT_DIR</pre>
 *
 * Inserts one row (id = sequence number) into table {@code TABLE} (default bench_writes) per attempt, one
 * statement per autocommit transaction, reconnecting on any error, every {@code INTERVAL_MS} (default 10). With
 * several ports (bin/dr-drill: one HAProxy primary port per site) a new connection tries them in order and keeps
 * the first that accepts the write. Each acknowledged insert is appended to OUT_DIR/acks as "id epoch_ms port".
 * It stops when OUT_DIR/stop appears, then reads back every acknowledged id (through the first port that answers)
 * and writes OUT_DIR/result: "acked N lost M max_gap_ms G first_ack_after_ms F" where F is the time from the
 * fault (epoch ms in OUT_DIR/t0) to the first acknowledgement after the fault had taken effect (OUT_DIR/t1, the
 * moment the kill command returned: the old primary is dead, so any later ack comes from the new one).
 */
public final class WriteProbe {
    public static void main(String[] args) throws Exception {
        int[] ports = java.util.Arrays.stream(args[0].split(",")).mapToInt(Integer::parseInt).toArray();
        String password = args[1];
        Path out = Path.of(args[2]);
        long interval = Long.parseLong(System.getenv().getOrDefault("INTERVAL_MS", "10"));
        Files.createDirectories(out);
        List<long[]> acks = new ArrayList<>();
        Connection c = null;
        int port = 0;
        long id = 0;
        try (var ackLog = Files.newBufferedWriter(out.resolve("acks"))) {
            while (!Files.exists(out.resolve("stop"))) {
                try {
                    if (c == null) {
                        c = connectToAny(ports, password);
                        port = connectedPort;
                    }
                    long next = id + 1;
                    try (PreparedStatement ps = c.prepareStatement("insert into " + TABLE + "(id) values (?) on conflict do nothing")) {
                        ps.setLong(1, next);
                        ps.executeUpdate();
                    }
                    id = next;
                    long now = System.currentTimeMillis();
                    acks.add(new long[]{id, now});
                    ackLog.write(id + " " + now + " " + port + "\n");
                    ackLog.flush();
                } catch (SQLException e) {
                    closeQuietly(c);
                    c = null;
                }
                Thread.sleep(interval);
            }
        }
        closeQuietly(c);
        report(ports, password, out, acks);
    }

    private static final String TABLE = System.getenv().getOrDefault("TABLE", "bench_writes");
    /** The port of the connection {@link #connectToAny} returned last. */
    private static int connectedPort;

    /** A connection through the first port that takes a write (the table is created there if missing). */
    private static Connection connectToAny(int[] ports, String password) throws SQLException {
        SQLException last = null;
        for (int port : ports) {
            Connection c = null;
            try {
                c = connect(port, password);
                try (Statement s = c.createStatement()) {
                    s.execute("create table if not exists " + TABLE + " (id bigint primary key, at timestamptz default now())");
                }
                connectedPort = port;
                return c;
            } catch (SQLException e) {
                closeQuietly(c);
                last = e;
            }
        }
        throw last;
    }

    private static void report(int[] ports, String password, Path out, List<long[]> acks) throws Exception {
        Set<Long> present = new HashSet<>();
        for (int attempt = 0; ; attempt++) {
            try (Connection c = connectToAny(ports, password); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select id from " + TABLE)) {
                while (rs.next()) {
                    present.add(rs.getLong(1));
                }
                break;
            } catch (SQLException e) {
                if (attempt > 100) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
        long lost = acks.stream().filter(a -> !present.contains(a[0])).count();
        long maxGap = 0;
        for (int i = 1; i < acks.size(); i++) {
            maxGap = Math.max(maxGap, acks.get(i)[1] - acks.get(i - 1)[1]);
        }
        long firstAfter = -1;
        Path t0File = out.resolve("t0");
        Path t1File = out.resolve("t1");
        if (Files.exists(t0File)) {
            long t0 = Long.parseLong(Files.readString(t0File).trim());
            long t1 = Files.exists(t1File) ? Long.parseLong(Files.readString(t1File).trim()) : t0;
            firstAfter = acks.stream().filter(a -> a[1] > t1).mapToLong(a -> a[1] - t0).min().orElse(-1);
        }
        Files.writeString(out.resolve("result"), "acked " + acks.size() + " lost " + lost + " max_gap_ms " + maxGap
                + " first_ack_after_ms " + firstAfter + "\n");
    }

    private static Connection connect(int port, String password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("password", password);
        p.setProperty("connectTimeout", "2");
        p.setProperty("socketTimeout", "5");
        p.setProperty("tcpKeepAlive", "true");
        Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", p);
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
