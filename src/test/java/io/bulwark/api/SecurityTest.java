package io.bulwark.api;

import io.bulwark.config.Credentials;
import io.bulwark.config.RestApiConfig;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecurityTest {
    private static final RestSecurity AUTH = new RestSecurity("admin", "s3cret", List.of(), false, null, null, null,
            null, "none");

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void unsafeEndpointsDemandBasicAuth() throws Exception {
        try (ActionServer s = new ActionServer(AUTH, true)) {
            HttpResponse<String> none = s.send("POST", "/reload", null);
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(none.body()).isEqualTo("no auth header received");
            assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"Patroni\"");
            HttpResponse<String> wrong = s.send("POST", "/reload", null,
                    Map.of("Authorization", basic("admin", "guess")));
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(wrong.body()).isEqualTo("not authenticated");
            HttpResponse<String> bearer = s.send("DELETE", "/switchover", null, Map.of("Authorization", "Bearer x"));
            assertThat(bearer.statusCode()).isEqualTo(401);
            assertThat(s.admin.calls).isEmpty();
            HttpResponse<String> right = s.send("POST", "/reload", null,
                    Map.of("Authorization", basic("admin", "s3cret")));
            assertThat(right.statusCode()).isEqualTo(202);
            assertThat(s.admin.calls).containsExactly("reload");
        }
    }

    @Test
    void readsAndHealthChecksStayOpen() throws Exception {
        try (ActionServer s = new ActionServer(AUTH, true)) {
            for (String path : List.of("/patroni", "/primary", "/cluster", "/config", "/history", "/metrics")) {
                assertThat(s.send("GET", path, null).statusCode()).as(path).isEqualTo(200);
            }
            assertThat(s.rawRequest("OPTIONS / HTTP/1.0\r\n\r\n")).startsWith("HTTP/1.1 200 ");
            assertThat(s.rawRequest("HEAD /replica HTTP/1.0\r\n\r\n")).startsWith("HTTP/1.1 503 ");
        }
    }

    @Test
    void allowlistMissIsDeniedBeforeAuth() throws Exception {
        RestSecurity sec = new RestSecurity("admin", "s3cret", List.of("10.0.0.0/8", "192.0.2.7"), false, null, null,
                null, null, "none");
        try (ActionServer s = new ActionServer(sec, true)) {
            HttpResponse<String> r = s.send("POST", "/reload", null, Map.of("Authorization", basic("admin", "s3cret")));
            assertThat(r.statusCode()).isEqualTo(403);
            assertThat(r.body()).isEqualTo("Access is denied");
            assertThat(s.send("GET", "/patroni", null).statusCode()).isEqualTo(200);
            assertThat(s.admin.calls).isEmpty();
        }
    }

    @Test
    void allowlistHitsByCidrAddressAndHostname() throws Exception {
        for (String entry : List.of("127.0.0.0/8", "127.0.0.1", "localhost")) {
            RestSecurity sec = new RestSecurity(null, null, List.of("10.0.0.0/8", entry), false, null, null, null,
                    null, "none");
            try (ActionServer s = new ActionServer(sec, true)) {
                assertThat(s.send("POST", "/reload", null).statusCode()).as(entry).isEqualTo(202);
            }
        }
    }

    @Test
    void allowlistIncludeMembersUsesTheMembersApiUrlHosts() throws Exception {
        RestSecurity sec = new RestSecurity(null, null, List.of("10.0.0.0/8"), true, null, null, null, null, "none");
        try (ActionServer s = new ActionServer(sec, true)) {
            // the snapshot's cluster has no members: only the allowlist counts
            assertThat(s.send("POST", "/reload", null).statusCode()).isEqualTo(403);
            s.status.set(Situations.status("node1", "primary", Situations.primaryPg(), s.node1.cluster(),
                    Situations.NOW + Situations.SECOND, Map.of()));
            assertThat(s.send("POST", "/reload", null).statusCode()).isEqualTo(202);
        }
    }

    @Test
    void cidrMatching() throws Exception {
        AccessControl.Cidr net = AccessControl.Cidr.parse("192.168.4.0/22");
        assertThat(net.contains(java.net.InetAddress.getByName("192.168.7.255"))).isTrue();
        assertThat(net.contains(java.net.InetAddress.getByName("192.168.8.0"))).isFalse();
        assertThat(net.contains(java.net.InetAddress.getByName("::1"))).isFalse();
        assertThat(AccessControl.Cidr.parse("::1/128").contains(java.net.InetAddress.getByName("::1"))).isTrue();
        assertThatThrownBy(() -> AccessControl.Cidr.parse("10.0.0.0/33")).hasMessageContaining("10.0.0.0/33");
    }

    @Test
    void ofTakesEverySettingFromTheParsedSection() {
        RestApiConfig parsed = new RestApiConfig("0.0.0.0", 8008, "node1:8008",
                new Credentials("admin", "s3cret"), List.of("10.0.0.0/8", "node1"), true, Path.of("/etc/ssl/cert.pem"),
                null, "kp", Path.of("/etc/ssl/ca.pem"), "optional", true, 64);
        RestSecurity sec = RestSecurity.of(parsed);
        assertThat(sec.username()).isEqualTo("admin");
        assertThat(sec.password()).isEqualTo("s3cret");
        assertThat(sec.allowlist()).containsExactly("10.0.0.0/8", "node1");
        assertThat(sec.allowlistIncludeMembers()).isTrue();
        assertThat(sec.isHttps()).isTrue();
        assertThat(sec.verifyClient()).isEqualTo("optional");
        assertThat(sec.keyfilePassword()).isEqualTo("kp");
        assertThat(sec.allowUnauthenticatedAdmin()).isTrue();
        assertThat(sec.toString()).doesNotContain("s3cret").doesNotContain("kp,").contains("******");
        assertThat(parsed.toString()).doesNotContain("s3cret");
    }
}
