package io.bulwark.ctl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bulwark.api.BoundedBody;
import io.bulwark.api.Versions;
import io.bulwark.config.RestClientConfig;
import io.bulwark.dcs.Member;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;

/**
 * patronictl's {@code request_patroni}: one HTTP call to a member's REST API. The base URL is the member key's
 * {@code api_url} without its trailing {@code /patroni} (so a test can point members at any server and path).
 * Bodies are JSON, and every call but GET says {@code Content-Type: application/json}; answers are returned
 * whatever their status, up to {@link BoundedBody#PEER_MAX_BYTES} (a larger one is an error); a member that cannot
 * be reached throws {@link Unreachable} so callers can fall back (leader first, then others; or the DCS).
 */
final class MemberApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Switchover waits up to 2 × max(10, loop_wait) s on the server side before it answers (§3.4). */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(90);

    /** @param body the response text as the server sent it */
    record Response(int status, String body) {
        boolean ok() {
            return status < 400;
        }
    }

    /** The member has no api_url, or the connection failed or timed out. */
    static final class Unreachable extends CtlException {
        Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final RestClientConfig settings;
    private final HttpClient http;

    MemberApi(RestClientConfig settings) {
        this.settings = settings;
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5));
        SSLContext ssl = TlsContexts.forRest(settings);
        if (ssl != null) {
            b.sslContext(ssl);
        }
        this.http = b.build();
    }

    /** {@code http://host:8008/patroni} → {@code http://host:8008}; null when the member publishes none. */
    static String baseUrl(Member m) {
        String api = m.data().apiUrl();
        if (api == null || api.isBlank()) {
            return null;
        }
        String s = api.replaceAll("/+$", "");
        return s.endsWith("/patroni") ? s.substring(0, s.length() - "/patroni".length()) : s;
    }

    /**
     * @param method   GET, POST, PATCH, DELETE
     * @param endpoint path without the leading slash ({@code switchover})
     * @param body     serialized as JSON (a {@code null} map value stays {@code null}); {@code null} for none
     */
    Response call(Member member, String method, String endpoint, Object body) {
        String base = baseUrl(member);
        if (base == null) {
            throw new Unreachable("member " + member.name() + " has no api_url", null);
        }
        URI uri;
        try {
            uri = URI.create(base + "/" + endpoint);
        } catch (IllegalArgumentException e) {
            throw new Unreachable("member " + member.name() + ": bad api_url '" + member.data().apiUrl() + "'", e);
        }
        HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                .header("User-Agent", "bulwarkctl/" + Versions.BULWARK);
        if (settings.hasAuth()) {
            String pair = settings.username() + ":" + (settings.password() == null ? "" : settings.password());
            req.header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        }
        HttpRequest.BodyPublisher publisher = HttpRequest.BodyPublishers.noBody();
        String verb = method.toUpperCase(Locale.ROOT);
        if (!verb.equals("GET")) {
            // the agents refuse unsafe requests in any other type (no form posts from browsers)
            req.header("Content-Type", "application/json");
        }
        if (body != null) {
            publisher = HttpRequest.BodyPublishers.ofString(json(body), StandardCharsets.UTF_8);
        }
        req.method(verb, publisher);
        try {
            HttpResponse<String> r = http.send(req.build(), BoundedBody.utf8(BoundedBody.PEER_MAX_BYTES));
            return new Response(r.statusCode(), r.body());
        } catch (IOException e) {
            if (BoundedBody.isTooLarge(e)) {
                throw new CtlException("member " + member.name() + " (" + uri + ") answered more than "
                        + BoundedBody.PEER_MAX_BYTES + " bytes; refused", e);
            }
            throw new Unreachable("member " + member.name() + " (" + uri + ") is not accessible: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable("interrupted while calling member " + member.name(), e);
        }
    }

    static String json(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON-serializable: " + body, e);
        }
    }
}
