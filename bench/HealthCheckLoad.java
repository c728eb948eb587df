import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Sends {@code OPTIONS <path>} at a fixed rate, as HAProxy's checks do, and prints latency percentiles.
 * <pre>java bench/HealthCheckLoad.java URL RATE_PER_SECOND SECONDS</pre>
 * Each request is sent on its own schedule tick (open loop), so a slow answer does not hide later ones.
 */
public final class HealthCheckLoad {
    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        int rate = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
                .executor(Executors.newFixedThreadPool(4)).build();
        List<Long> micros = Collections.synchronizedList(new ArrayList<>());
        List<Integer> codes = Collections.synchronizedList(new ArrayList<>());
        ScheduledExecutorService ticker = Executors.newScheduledThreadPool(2);
        long periodNanos = 1_000_000_000L / rate;
        var task = ticker.scheduleAtFixedRate(() -> {
            long t0 = System.nanoTime();
            HttpRequest req = HttpRequest.newBuilder(uri).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                    .timeout(Duration.ofSeconds(2)).build();
            http.sendAsync(req, HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
                micros.add((System.nanoTime() - t0) / 1000);
                codes.add(e == null ? r.statusCode() : -1);
            });
        }, 0, periodNanos, TimeUnit.NANOSECONDS);
        Thread.sleep(seconds * 1000L);
        task.cancel(false);
        Thread.sleep(2500);
        ticker.shutdownNow();
        List<Long> sorted = new ArrayList<>(micros);
        Collections.sort(sorted);
        long errors = codes.stream().filter(c -> c < 0).count();
        System.out.printf("requests %d, errors %d, p50 %.2f ms, p99 %.2f ms, max %.2f ms%n", sorted.size(), errors,
                pct(sorted, 0.50) / 1000.0, pct(sorted, 0.99) / 1000.0, sorted.get(sorted.size() - 1) / 1000.0);
        System.exit(0);
    }

    private static long pct(List<Long> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }
}
