package io.bulwark.api;

import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
    void fromRawReadsTheRestapiSectionAndNamesBadKeys() {
        RestSecurity sec = RestSecurity.fromRaw(Map.of("listen", "0.0.0.0:8008",
                "authentication", Map.of("username", "admin", "password", "s3cret"),
                "allowlist", List.of("10.0.0.0/8", "node1"), "allowlist_include_members", "on",
                "certfile", "/etc/ssl/cert.pem", "cafile", "/etc/ssl/ca.pem", "verify_client", "Optional"));
        assertThat(sec.username()).isEqualTo("admin");
        assertThat(sec.allowlist()).containsExactly("10.0.0.0/8", "node1");
        assertThat(sec.allowlistIncludeMembers()).isTrue();
        assertThat(sec.isHttps()).isTrue();
        assertThat(sec.verifyClient()).isEqualTo("optional");
        assertThat(sec.toString()).doesNotContain("s3cret").contains("******");
        assertThat(RestSecurity.fromRaw(null)).isEqualTo(RestSecurity.NONE);
        assertThatThrownBy(() -> RestSecurity.fromRaw(Map.of("allowlist", "10.0.0.0/8")))
                .hasMessageStartingWith("restapi.allowlist:");
        assertThatThrownBy(() -> RestSecurity.fromRaw(Map.of("certfile", "c.pem", "cafile", "a.pem",
                "verify_client", "sometimes"))).hasMessageStartingWith("restapi.verify_client:");
        assertThatThrownBy(() -> RestSecurity.fromRaw(Map.of("verify_client", "required")))
                .hasMessageContaining("restapi.certfile");
        assertThatThrownBy(() -> RestSecurity.fromRaw(Map.of("authentication", Map.of("username", "admin"))))
                .hasMessageStartingWith("restapi.authentication").hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> RestSecurity.fromRaw(Map.of("allowlist_include_members", "maybe")))
                .hasMessageStartingWith("restapi.allowlist_include_members:");
    }
}
