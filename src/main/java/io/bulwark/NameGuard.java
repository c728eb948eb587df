package io.bulwark;

import io.bulwark.api.PlainHttp;
import io.bulwark.dcs.Cluster;
import io.bulwark.dcs.Member;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * Refuses a second agent with a name already in use: if the member key exists and its REST API answers
 * {@code GET /liveness}, that member is alive (reference §2.1).
 */
final class NameGuard {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private NameGuard() {
    }

    static boolean anotherMemberAlive(Cluster cluster, String name) {
        Optional<Member> member = cluster.member(name);
        if (member.isEmpty() || member.get().data().apiUrl() == null) {
            return false;
        }
        String liveness = member.get().data().apiUrl().replaceFirst("/patroni/?$", "") + "/liveness";
        try {
            HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(TIMEOUT);
            HttpClient http = (PlainHttp.isHttps(liveness) ? builder : PlainHttp.withoutTls(builder)).build();
            HttpRequest req = HttpRequest.newBuilder(URI.create(liveness)).timeout(TIMEOUT).GET().build();
            return http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }
}
