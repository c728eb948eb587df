package io.bulwark;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.bulwark.config.RestClientConfig;
import io.bulwark.ctl.TlsContexts;
import io.bulwark.ha.FailsafeCall;
import io.bulwark.ha.FailsafeProbe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code POST /failsafe} to every other member at once (Patroni's {@code check_failsafe_topology}), with the
 * credentials Patroni's own peer calls use: Basic auth from {@code ctl.authentication}, else
 * {@code restapi.authentication}; the CA and client certificate of the {@code ctl} section (else
 * {@code restapi.cafile}). One round waits at most its timeout (derived from ttl by the caller), not a fixed 2 s.
 * A member counts as accepting only on 200 with the body {@code Accepted}.
 */
final class FailsafeCalls implements FailsafeProbe {
    private static final Logger log = LoggerFactory.getLogger(FailsafeCalls.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final String authorization;

    FailsafeCalls(RestClientConfig settings) {
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER);
        SSLContext ssl = TlsContexts.forRest(settings);
        if (ssl != null) {
            b.sslContext(ssl);
        }
        this.http = b.build();
        this.authorization = settings.hasAuth() ? "Basic " + Base64.getEncoder().encodeToString(
                (settings.username() + ":" + (settings.password() == null ? "" : settings.password()))
                        .getBytes(StandardCharsets.UTF_8)) : null;
    }

    @Override
    public Set<String> ask(Map<String, String> apiUrls, FailsafeCall call, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String body = body(call);
        Map<String, CompletableFuture<HttpResponse<String>>> pending = new LinkedHashMap<>();
        apiUrls.forEach((name, url) -> pending.put(name, send(name, url, body, timeout)));
        Set<String> accepted = new HashSet<>();
        pending.forEach((name, f) -> {
            try {
                HttpResponse<String> r = f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (r.statusCode() == 200 && "Accepted".equals(r.body())) {
                    accepted.add(name);
                } else {
                    log.warn("failsafe: {} did not accept: {} {}", name, r.statusCode(), abbreviate(r.body()));
                }
            } catch (TimeoutException e) {
                f.cancel(true);
                log.warn("failsafe: {} did not answer within {} ms", name, timeout.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                f.cancel(true);
            } catch (Exception e) {
                log.warn("failsafe: request to {} failed: {}", name, e.getCause() != null ? e.getCause() : e);
            }
        });
        return accepted;
    }

    private CompletableFuture<HttpResponse<String>> send(String name, String apiUrl, String body, Duration timeout) {
        try {
            HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(failsafeUrl(apiUrl))).timeout(timeout)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
            if (authorization != null) {
                r.header("Authorization", authorization);
            }
            return http.sendAsync(r.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("api_url of " + name + " is not a URL: "
                    + apiUrl, e));
        }
    }

    /** {@code http://h:8008/patroni} → {@code http://h:8008/failsafe}. */
    static String failsafeUrl(String apiUrl) {
        String s = apiUrl.strip().replaceAll("/+$", "");
        if (s.endsWith("/patroni")) {
            s = s.substring(0, s.length() - "/patroni".length());
        }
        return s + "/failsafe";
    }

    private static String body(FailsafeCall call) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", call.name());
        m.put("conn_url", call.connUrl());
        m.put("api_url", call.apiUrl());
        try {
            return JSON.writeValueAsString(m);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
