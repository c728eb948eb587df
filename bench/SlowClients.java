import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Slowloris against the leader's REST API while it keeps doing its job.
 *
 * <pre>java -cp target/bulwark.jar bench/SlowClients.java API_PORT ETCD_PORT LEADER_KEY HAPROXY_PORT PASSWORD
 *     AGENT_PID SLOW_CONNECTIONS RATE SECONDS DRIBBLE_SECONDS [PAD_BYTES [SLOW_FROM]]</pre>
 *
 * Holds SLOW_CONNECTIONS connections to API_PORT, each sending a request line and then one header byte every
 * DRIBBLE_SECONDS, after PAD_BYTES (default 0) of header fields sent at once (a connection the server cuts off is
 * reopened at once, so the count stays up), from the local address SLOW_FROM (default 127.0.0.2: another host than
 * HAProxy's and the health checks', which connect from 127.0.0.1); meanwhile sends
 * GET /health at RATE per second (open loop, a new connection each, as HAProxy's checks do) and, once a second,
 * reads LEADER_KEY from etcd's v3 JSON gateway, runs SELECT 1 through HAProxy's primary port on a fresh
 * connection, and reads AGENT_PID's VmRSS. Prints a summary; exits 1 if the leader key holder changed or a
 * SELECT failed.
 */
public final class SlowClients {
    private static final Pattern RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");
    private static final Pattern VALUE = Pattern.compile("\"value\":\"([^\"]*)\"");

    public static void main(String[] args) throws Exception {
        int apiPort = Integer.parseInt(args[0]);
        int etcdPort = Integer.parseInt(args[1]);
        String leaderKey = args[2];
        int haproxyPort = Integer.parseInt(args[3]);
        String password = args[4];
        long agentPid = Long.parseLong(args[5]);
        int slowCount = Integer.parseInt(args[6]);
        int rate = Integer.parseInt(args[7]);
        int seconds = Integer.parseInt(args[8]);
        long dribbleMillis = Long.parseLong(args[9]) * 1000;
        int padBytes = args.length > 10 ? Integer.parseInt(args[10]) : 0;
        String slowFrom = args.length > 11 ? args[11] : "127.0.0.2";

        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong slowOpened = new AtomicLong();
        AtomicLong slowCutOff = new AtomicLong();
        AtomicLong slowConnectFailures = new AtomicLong();
        List<Thread> slow = new ArrayList<>();
        for (int i = 0; i < slowCount; i++) {
            slow.add(Thread.ofVirtual().start(() -> dribble(apiPort, slowFrom, dribbleMillis, padBytes, running, slowOpened,
                    slowCutOff, slowConnectFailures)));
        }
        Thread.sleep(Math.min(dribbleMillis, 3000) + 1000);
        long rssStart = rssKb(agentPid);

        List<Long> micros = Collections.synchronizedList(new ArrayList<>());
        Map<Integer, AtomicLong> codes = new ConcurrentHashMap<>();
        ScheduledExecutorService ticker = Executors.newScheduledThreadPool(2);
        var load = ticker.scheduleAtFixedRate(() -> Thread.ofVirtual().start(() -> {
            long t0 = System.nanoTime();
            int code = healthCheck(apiPort);
            micros.add((System.nanoTime() - t0) / 1000);
            codes.computeIfAbsent(code, k -> new AtomicLong()).incrementAndGet();
        }), 0, 1_000_000_000L / rate, TimeUnit.NANOSECONDS);

        String firstHolder = null;
        List<String> holderChanges = new ArrayList<>();
        int selectsOk = 0;
        List<String> selectFailures = new ArrayList<>();
        long rssPeak = rssStart;
        HttpClient etcd = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        for (int second = 0; System.nanoTime() < end; second++) {
            long tick = System.nanoTime();
            String holder = leaderHolder(etcd, etcdPort, leaderKey);
            if (firstHolder == null) {
                firstHolder = holder;
            } else if (!firstHolder.equals(holder)) {
                holderChanges.add("t=" + second + "s: " + holder);
            }
            String failure = select(haproxyPort, password);
            if (failure == null) {
                selectsOk++;
            } else {
                selectFailures.add("t=" + second + "s: " + failure);
            }
            rssPeak = Math.max(rssPeak, rssKb(agentPid));
            long sleep = 1000 - (System.nanoTime() - tick) / 1_000_000;
            if (sleep > 0) {
                Thread.sleep(sleep);
            }
        }
        load.cancel(false);
        Thread.sleep(2500);
        ticker.shutdownNow();
        long alive = slow.stream().filter(Thread::isAlive).count();
        long rssEnd = rssKb(agentPid);
        running.set(false);

        List<Long> sorted = new ArrayList<>(micros);
        Collections.sort(sorted);
        System.out.printf("slow connections: %d held (%d opened in all, %d cut off by the server, %d connects"
                + " refused)%n", alive, slowOpened.get(), slowCutOff.get(), slowConnectFailures.get());
        System.out.printf("GET /health at %d/s for %d s: %d requests, codes %s, p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                rate, seconds, sorted.size(), new TreeMap<>(codes), pct(sorted, 0.50) / 1000.0,
                pct(sorted, 0.99) / 1000.0, sorted.isEmpty() ? 0 : sorted.getLast() / 1000.0);
        System.out.printf("leader key holder: %s throughout: %s%s%n", firstHolder, holderChanges.isEmpty() ? "yes"
                : "NO", holderChanges.isEmpty() ? "" : " " + holderChanges);
        System.out.printf("SELECT 1 through HAProxy :%d once a second: %d ok, %d failed%s%n", haproxyPort,
                selectsOk, selectFailures.size(), selectFailures.isEmpty() ? "" : " " + selectFailures);
        System.out.printf("agent RSS: start %.1f MB, peak %.1f MB, end %.1f MB%n", rssStart / 1024.0,
                rssPeak / 1024.0, rssEnd / 1024.0);
        boolean ok = holderChanges.isEmpty() && selectFailures.isEmpty() && firstHolder != null
                && !firstHolder.isEmpty();
        System.out.println(ok ? "PASS" : "FAIL");
        System.exit(ok ? 0 : 1);
    }

    /**
     * One slowloris client: request line, {@code padBytes} of header fields sent at once (to make the server hold
     * them), then a header byte every {@code dribbleMillis}; reopens when cut off.
     */
    private static void dribble(int port, String from, long dribbleMillis, int padBytes, AtomicBoolean running,
                                AtomicLong opened, AtomicLong cutOff, AtomicLong connectFailures) {
        while (running.get()) {
            try (Socket s = new Socket()) {
                try {
                    s.bind(new InetSocketAddress(from, 0));
                    s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                } catch (IOException e) {
                    connectFailures.incrementAndGet();
                    Thread.sleep(100);
                    continue;
                }
                opened.incrementAndGet();
                OutputStream out = s.getOutputStream();
                StringBuilder head = new StringBuilder("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n");
                for (int field = 0; head.length() < padBytes; field++) {
                    head.append("X-Pad-").append(field).append(": ").append("p".repeat(200)).append("\r\n");
                }
                out.write(head.append("X-Slow: ").toString().getBytes(StandardCharsets.US_ASCII));
                out.flush();
                while (running.get()) {
                    Thread.sleep(dribbleMillis);
                    out.write('a');
                    out.flush();
                    if (s.getInputStream().available() > 0) {
                        break; // answered (e.g. 431): start over
                    }
                }
            } catch (IOException e) {
                if (running.get()) {
                    cutOff.incrementAndGet();
                }
            } catch (InterruptedException e) {
                return;
            }
            if (!running.get()) {
                return;
            }
        }
    }

    /**
     * GET /health on a new connection, as HAProxy's checks do: the status code, or -1 when the connection was
     * refused, closed, or gave no status line within 2 s.
     */
    private static int healthCheck(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout(2000);
            s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] head = new byte[12];
            int n = s.getInputStream().readNBytes(head, 0, 12);
            String line = new String(head, 0, n, StandardCharsets.US_ASCII);
            return line.startsWith("HTTP/1.1 ") && n == 12 ? Integer.parseInt(line.substring(9, 12)) : -1;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    private static String leaderHolder(HttpClient etcd, int port, String key) {
        String body = "{\"key\":\"" + Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8)) + "\"}";
        try {
            HttpResponse<String> r = etcd.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/v3/kv/range")).timeout(Duration.ofSeconds(2)).POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(), HttpResponse.BodyHandlers.ofString());
            Matcher m = VALUE.matcher(r.body());
            return m.find() ? new String(Base64.getDecoder().decode(m.group(1)), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(etcd unreachable: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted)";
        }
    }

    private static String select(int port, String password) {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("password", password);
        p.setProperty("connectTimeout", "2");
        p.setProperty("socketTimeout", "2");
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", p);
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select 1")) {
            return rs.next() ? null : "no row";
        } catch (Exception e) {
            return e.getMessage();
        }
    }

    private static long rssKb(long pid) {
        try {
            Matcher m = RSS.matcher(Files.readString(Path.of("/proc/" + pid + "/status")));
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    private static long pct(List<Long> sorted, double p) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }
}
