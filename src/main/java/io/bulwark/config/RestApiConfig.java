package io.bulwark.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code restapi}: where the REST API listens, how peers reach it, and how it protects its unsafe endpoints
 * (reference §3.5). The one reading of the section: the REST server takes this record
 * ({@code io.bulwark.api.RestSecurity#of}), never the raw map.
 *
 * <p>Hazard: holds passwords; {@link #toString()} masks them, keep it that way.
 *
 * @param listenHost                host part of {@code listen} ({@code 0.0.0.0} for all interfaces)
 * @param listenPort                port part of {@code listen}
 * @param connectAddress            {@code connect_address} as {@code host:port}; published in {@code api_url}
 * @param authentication            {@code authentication.username/password}, or {@code null}
 * @param allowlist                 {@code allowlist}: IPs, CIDRs or hostnames allowed to call unsafe endpoints
 * @param allowlistIncludeMembers   {@code allowlist_include_members}
 * @param certfile                  {@code certfile}: the API is served over HTTPS; {@code null}: plain HTTP
 * @param keyfile                   {@code keyfile}; {@code null}: the key is in {@code certfile}
 * @param keyfilePassword           {@code keyfile_password}, or {@code null}
 * @param cafile                    {@code cafile}: CAs that client certificates must chain to, or {@code null}
 * @param verifyClient              {@code verify_client}: none, optional or required (lower case)
 * @param allowUnauthenticatedAdmin {@code allow_unauthenticated_admin} (Bulwark): serve unsafe endpoints on a
 *                                  non-loopback listener that has no authentication, allowlist or required
 *                                  client certificate
 * @param maxConnectionsPerClient   {@code max_connections_per_client} (Bulwark): how many of the REST API's
 *                                  connections one client address may hold at once; more are closed at accept,
 *                                  so a flood from one address cannot crowd out HAProxy's and the peers' checks
 */
public record RestApiConfig(String listenHost, int listenPort, String connectAddress, Credentials authentication,
                            List<String> allowlist, boolean allowlistIncludeMembers, Path certfile, Path keyfile,
                            String keyfilePassword, Path cafile, String verifyClient,
                            boolean allowUnauthenticatedAdmin, int maxConnectionsPerClient) {
    /**
     * A third of the server's 768 connections: one address can never take them all, and a busy single client
     * (bench/slow-clients' 200 health checks a second, from HAProxy's address) keeps room through a stall of
     * about a second. 64 was too few there: stalls of 0.5 to 1.6 s on a loaded machine piled the checks past it and
     * HAProxy's own checks, from the same address, were refused with them.
     */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_CLIENT = 256;
    /** The REST server's connection cap ({@code io.bulwark.api.HttpLimits}): a larger quota would mean none. */
    public static final int MAX_CONNECTIONS = 768;

    public RestApiConfig {
        allowlist = allowlist == null ? List.of() : List.copyOf(allowlist);
        verifyClient = verifyClient == null ? "none" : verifyClient;
    }

    /** Plain HTTP, no allowlist, no client certificates; Basic auth when {@code username} is set. */
    public RestApiConfig(String listenHost, int listenPort, String connectAddress, String username, String password) {
        this(listenHost, listenPort, connectAddress, username == null ? null : new Credentials(username, password),
                List.of(), false, null, null, null, null, "none", false, DEFAULT_MAX_CONNECTIONS_PER_CLIENT);
    }

    public String username() {
        return authentication == null ? null : authentication.username();
    }

    public String password() {
        return authentication == null ? null : authentication.password();
    }

    /**
     * Unsafe endpoints are protected by Basic auth, an allowlist or client certificates ({@code verify_client}
     * optional or required, which needs {@code certfile}).
     */
    public boolean protectsUnsafeEndpoints() {
        return protectsUnsafeEndpoints(username(), allowlist, allowlistIncludeMembers, certfile, verifyClient);
    }

    /**
     * The one statement of the rule above, also for the REST server's copy of these settings
     * ({@code io.bulwark.api.RestSecurity}, whose {@code AdminExposure} refuses unsafe methods without it).
     */
    public static boolean protectsUnsafeEndpoints(String username, List<String> allowlist,
                                                  boolean allowlistIncludeMembers, Path certfile,
                                                  String verifyClient) {
        return username != null || !allowlist.isEmpty() || allowlistIncludeMembers
                || certfile != null && verifyClient != null && !"none".equals(verifyClient);
    }

    /**
     * Every address {@code host} resolves to is a loopback address. A wildcard ({@code 0.0.0.0}, {@code ::},
     * empty) or a name that does not resolve counts as reachable from elsewhere.
     */
    public static boolean isLoopbackOnly(String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        try {
            InetAddress[] all = InetAddress.getAllByName(bare);
            for (InetAddress a : all) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return all.length > 0;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** {@code certfile} is set: the API is served over HTTPS. */
    public boolean tls() {
        return certfile != null;
    }

    /** {@code http[s]://<connect_address>/patroni}, the value published as a member's {@code api_url}. */
    public String apiUrl() {
        return (tls() ? "https://" : "http://") + connectAddress + "/patroni";
    }

    @Override
    public String toString() {
        return "RestApiConfig[listen=" + listenHost + ":" + listenPort + ", connectAddress=" + connectAddress
                + ", username=" + username() + ", password=" + Secrets.mask(password())
                + ", allowlist=" + allowlist + ", allowlistIncludeMembers=" + allowlistIncludeMembers
                + ", certfile=" + certfile + ", keyfile=" + keyfile + ", keyfilePassword="
                + Secrets.mask(keyfilePassword) + ", cafile=" + cafile + ", verifyClient=" + verifyClient
                + ", allowUnauthenticatedAdmin=" + allowUnauthenticatedAdmin + ", maxConnectionsPerClient="
                + maxConnectionsPerClient + "]";
    }
}
