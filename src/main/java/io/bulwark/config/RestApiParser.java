package io.bulwark.config;

import java.util.Set;

/** Maps the {@code restapi} section (reference §4.5) to {@link RestApiConfig}. */
final class RestApiParser {
    /** TLS and allowlist keys are read by the REST server itself (io.bulwark.api.RestSecurity). */
    private static final Set<String> SUPPORTED = Set.of("listen", "connect_address", "authentication", "certfile",
            "keyfile", "keyfile_password", "cafile", "verify_client", "allowlist", "allowlist_include_members");
    private static final Set<String> IGNORED = Set.of("ciphers", "http_extra_headers", "https_extra_headers",
            "request_queue_size", "server_tokens", "thread_pool_size");

    private RestApiParser() {
    }

    /** Null when the section has errors (they are recorded). */
    static RestApiConfig parse(Section restapi) {
        restapi.checkKeys(SUPPORTED, IGNORED);
        HostPort listen = HostPort.listen(restapi, "listen", false);
        String connectAddress = HostPort.connectAddress(restapi, "connect_address", listen);
        Credentials credentials = authentication(restapi);
        if (listen == null || connectAddress == null) {
            return null;
        }
        return new RestApiConfig(listen.host(), listen.port(), connectAddress,
                credentials == null ? null : credentials.username(),
                credentials == null ? null : credentials.password(), restapi.string("certfile") != null);
    }

    /** {@code restapi.authentication}; also what bulwarkctl sends when {@code ctl.authentication} is not set. */
    static Credentials authentication(Section restapi) {
        Section auth = restapi.section("authentication");
        auth.checkKeys(Set.of("username", "password"), Set.of());
        return usernameAndPassword(auth);
    }

    /** {@code restapi.cafile}; bulwarkctl trusts it when {@code ctl.cacert} is not set. */
    static java.nio.file.Path cafile(Section restapi) {
        return CtlParser.path(restapi, "cafile");
    }

    /**
     * An optional {@code username}/{@code password} pair that must be complete when present; null when
     * neither is set.
     */
    static Credentials usernameAndPassword(Section auth) {
        String username = auth.string("username");
        String password = auth.string("password");
        if (username == null && password == null) {
            return null;
        }
        if (username == null) {
            auth.problems().error(auth.path("username"), "is required when " + auth.path("password") + " is set");
        } else if (password == null) {
            auth.problems().error(auth.path("password"), "is required when " + auth.path("username") + " is set");
        }
        return new Credentials(username, password);
    }
}
