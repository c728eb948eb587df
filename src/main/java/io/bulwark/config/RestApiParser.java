package io.bulwark.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Maps the {@code restapi} section (reference §4.5) to {@link RestApiConfig}, the only reader of that section: the
 * REST server's security settings come from the record, so a key is validated (and misspelled keys refused) once.
 */
final class RestApiParser {
    private static final Set<String> SUPPORTED = Set.of("listen", "connect_address", "authentication", "certfile",
            "keyfile", "keyfile_password", "cafile", "verify_client", "allowlist", "allowlist_include_members",
            "allow_unauthenticated_admin", "max_connections_per_client");
    private static final Set<String> IGNORED = Set.of("ciphers", "http_extra_headers", "https_extra_headers",
            "request_queue_size", "server_tokens", "thread_pool_size");
    private static final Set<String> VERIFY_CLIENT = Set.of("none", "optional", "required");

    private RestApiParser() {
    }

    /** Null when the section has errors (they are recorded). */
    static RestApiConfig parse(Section restapi) {
        Problems problems = restapi.problems();
        int errorsBefore = problems.errors().size();
        restapi.requireKnownKeys(SUPPORTED, IGNORED);
        HostPort listen = HostPort.listen(restapi, "listen", false);
        String connectAddress = HostPort.connectAddress(restapi, "connect_address", listen);
        Credentials credentials = authentication(restapi);
        List<String> allowlist = allowlist(restapi);
        boolean includeMembers = restapi.bool("allowlist_include_members", false);
        boolean allowUnauthenticated = restapi.bool("allow_unauthenticated_admin", false);
        Path certfile = path(restapi, "certfile");
        Path keyfile = path(restapi, "keyfile");
        Path cafile = cafile(restapi);
        String keyfilePassword = restapi.string("keyfile_password");
        String verifyClient = verifyClient(restapi, certfile, cafile);
        Integer perClient = restapi.integer("max_connections_per_client",
                RestApiConfig.DEFAULT_MAX_CONNECTIONS_PER_CLIENT, 1);
        if (perClient != null && perClient > RestApiConfig.MAX_CONNECTIONS) {
            problems.error(restapi.path("max_connections_per_client"), "must be at most "
                    + RestApiConfig.MAX_CONNECTIONS + " (the REST API's connection cap), got " + perClient);
        }
        if (listen == null || perClient == null || connectAddress == null || problems.errors().size() > errorsBefore) {
            return null;
        }
        RestApiConfig config = new RestApiConfig(listen.host(), listen.port(), connectAddress, credentials, allowlist,
                includeMembers, certfile, keyfile, keyfilePassword, cafile, verifyClient, allowUnauthenticated,
                perClient);
        if (!config.protectsUnsafeEndpoints() && !allowUnauthenticated && !RestApiConfig.isLoopbackOnly(listen.host())) {
            problems.warning(restapi.path("listen"), "is not loopback-only and the REST API has no authentication,"
                    + " allowlist or client certificates: unsafe methods (POST, PUT, PATCH, DELETE: switchover,"
                    + " restart, PATCH /config, ...) will be refused with 403; set " + restapi.path("authentication")
                    + ", or " + restapi.path("allow_unauthenticated_admin") + ": true");
        }
        return config;
    }

    /** {@code restapi.authentication}; also what bulwarkctl sends when {@code ctl.authentication} is not set. */
    static Credentials authentication(Section restapi) {
        Section auth = restapi.section("authentication");
        auth.requireKnownKeys(Set.of("username", "password"), Set.of());
        return usernameAndPassword(auth);
    }

    /** {@code restapi.cafile}; bulwarkctl trusts it when {@code ctl.cacert} is not set. */
    static Path cafile(Section restapi) {
        return path(restapi, "cafile");
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

    /** A YAML list of IPs, CIDRs or hostnames (as Patroni's {@code [str]}); a bare string is refused. */
    private static List<String> allowlist(Section restapi) {
        Object raw = restapi.value("allowlist");
        if (raw == null) {
            return List.of();
        }
        if (!(raw instanceof List<?> entries)) {
            restapi.problems().error(restapi.path("allowlist"), "must be a list of IPs, CIDRs or hostnames, got "
                    + Scalars.describe(raw));
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            String text = Scalars.asText(entries.get(i));
            if (text == null || text.isBlank()) {
                restapi.problems().error(restapi.path("allowlist") + "[" + i + "]",
                        "must be an IP, CIDR or hostname, got " + Scalars.describe(entries.get(i)));
            } else {
                out.add(text.strip());
            }
        }
        return out;
    }

    private static String verifyClient(Section restapi, Path certfile, Path cafile) {
        String text = restapi.string("verify_client");
        String value = text == null ? "none" : text.strip().toLowerCase(Locale.ROOT);
        String key = restapi.path("verify_client");
        if (!VERIFY_CLIENT.contains(value)) {
            restapi.problems().error(key, "must be none, optional or required, got '" + text + "'");
        } else if (!value.equals("none") && certfile == null) {
            restapi.problems().error(key, "'" + value + "' needs " + restapi.path("certfile"));
        } else if (!value.equals("none") && cafile == null) {
            restapi.problems().error(key, "'" + value + "' needs " + restapi.path("cafile"));
        }
        return value;
    }

    /** An optional path setting; an invalid path is an error naming the key. */
    static Path path(Section section, String key) {
        String text = section.string(key);
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Path.of(text.strip());
        } catch (InvalidPathException e) {
            section.problems().error(section.path(key), "is not a valid path: " + e.getReason());
            return null;
        }
    }
}
