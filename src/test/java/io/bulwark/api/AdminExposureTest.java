package io.bulwark.api;

import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Safe by default: an unprotected REST API on a reachable address refuses unsafe methods. */
class AdminExposureTest {
    private static final Path CERT = Path.of("server.crt");
    private static final Path CA = Path.of("ca.crt");

    private static RestSecurity security(boolean auth, List<String> allowlist, boolean includeMembers,
                                         String verifyClient, boolean allowUnauthenticated) {
        boolean tls = !"none".equals(verifyClient);
        return new RestSecurity(auth ? "admin" : null, auth ? "pw" : null, allowlist, includeMembers,
                tls ? CERT : null, null, null, tls ? CA : null, verifyClient, allowUnauthenticated);
    }

    private static RestSecurity open(boolean allowUnauthenticated) {
        return security(false, List.of(), false, "none", allowUnauthenticated);
    }

    @Test
    void refusalMatrix() {
        for (String host : List.of("0.0.0.0", "192.0.2.10", "::", "")) {
            assertThat(AdminExposure.of(host, open(false))).as(host).isEqualTo(AdminExposure.REFUSED);
            assertThat(AdminExposure.of(host, open(true))).as(host).isEqualTo(AdminExposure.OPEN_BY_CHOICE);
            for (boolean flag : new boolean[]{false, true}) {
                assertThat(AdminExposure.of(host, security(true, List.of(), false, "none", flag)))
                        .as(host + " auth").isEqualTo(AdminExposure.PROTECTED);
                assertThat(AdminExposure.of(host, security(false, List.of("10.0.0.0/8"), false, "none", flag)))
                        .as(host + " allowlist").isEqualTo(AdminExposure.PROTECTED);
                assertThat(AdminExposure.of(host, security(false, List.of(), true, "none", flag)))
                        .as(host + " allowlist_include_members").isEqualTo(AdminExposure.PROTECTED);
                assertThat(AdminExposure.of(host, security(false, List.of(), false, "required", flag)))
                        .as(host + " verify_client required").isEqualTo(AdminExposure.PROTECTED);
                assertThat(AdminExposure.of(host, security(false, List.of(), false, "optional", flag)))
                        .as(host + " verify_client optional").isEqualTo(AdminExposure.PROTECTED);
            }
        }
        for (String host : List.of("127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost")) {
            assertThat(AdminExposure.of(host, open(false))).as(host).isEqualTo(AdminExposure.LOOPBACK_ONLY);
            assertThat(AdminExposure.of(host, open(true))).as(host).isEqualTo(AdminExposure.LOOPBACK_ONLY);
            assertThat(AdminExposure.of(host, security(true, List.of(), false, "none", false)))
                    .as(host).isEqualTo(AdminExposure.PROTECTED);
        }
        assertThat(AdminExposure.of("no-such-host.invalid", open(false))).isEqualTo(AdminExposure.REFUSED);
    }

    @Test
    void startupSentenceSaysWhichModeApplies() {
        assertThat(AdminExposure.REFUSED.describe("0.0.0.0")).contains("0.0.0.0").contains("refused with 403")
                .contains("restapi.allow_unauthenticated_admin");
        assertThat(AdminExposure.OPEN_BY_CHOICE.describe("0.0.0.0")).contains("open to anyone");
        assertThat(AdminExposure.REFUSED.isWarning()).isTrue();
        assertThat(AdminExposure.OPEN_BY_CHOICE.isWarning()).isTrue();
        assertThat(AdminExposure.PROTECTED.isWarning()).isFalse();
    }

    @Test
    void refusedListenerAnswersEveryUnsafeMethod403NamingTheSettings() throws Exception {
        try (ActionServer s = new ActionServer(RestSecurity.NONE, AdminExposure.REFUSED)) {
            for (String[] call : new String[][]{{"POST", "/reload", null}, {"POST", "/switchover", "{\"leader\":\"node1\"}"},
                    {"PATCH", "/config", "{\"ttl\":40}"}, {"PUT", "/config", "{\"ttl\":40}"},
                    {"DELETE", "/switchover", null}, {"POST", "/no-such-endpoint", null}}) {
                HttpResponse<String> r = s.send(call[0], call[1], call[2]);
                assertThat(r.statusCode()).as(call[0] + " " + call[1]).isEqualTo(403);
                assertThat(r.body()).contains("restapi.allow_unauthenticated_admin").contains("restapi.authentication")
                        .contains("restapi.allowlist").contains("restapi.verify_client");
                assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
            }
            assertThat(s.admin.calls).isEmpty();
            assertThat(s.raw("failover")).isNull();
            assertThat(s.send("GET", "/primary", null).statusCode()).isEqualTo(200);
            assertThat(s.send("GET", "/config", null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void theFlagOrAnyProtectionServesUnsafeMethods() throws Exception {
        try (ActionServer s = new ActionServer(RestSecurity.NONE, AdminExposure.OPEN_BY_CHOICE)) {
            assertThat(s.send("POST", "/reload", null).statusCode()).isEqualTo(202);
        }
        RestSecurity auth = security(true, List.of(), false, "none", false);
        try (ActionServer s = new ActionServer(auth, AdminExposure.of("0.0.0.0", auth))) {
            String basic = "Basic " + Base64.getEncoder().encodeToString("admin:pw".getBytes(StandardCharsets.UTF_8));
            assertThat(s.send("POST", "/reload", null, Map.of("Authorization", basic)).statusCode()).isEqualTo(202);
        }
    }
}
