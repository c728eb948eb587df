package io.bulwark.api;

import io.bulwark.config.RestApiConfig;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * How the REST API protects its unsafe endpoints (reference §3.5), taken from the parsed {@link RestApiConfig}
 * (the config package validates the {@code restapi} section once; nothing here re-reads raw YAML).
 *
 * <p>HTTPS is on iff {@code certfile} is set. {@code verifyClient}: {@code none} (default), {@code optional} (the
 * TLS handshake asks for a client certificate; unsafe endpoints refuse requests without a verified one),
 * {@code required} (the handshake fails without a certificate signed by {@code cafile}). Unsafe endpoints also
 * demand Basic auth when {@code username} is set, and a client address in {@code allowlist} (IPs, CIDRs,
 * hostnames resolved at start) or, with {@code allowlistIncludeMembers}, one of the members' {@code api_url}
 * hosts. Health checks and every GET stay open. {@code allowUnauthenticatedAdmin}: see {@link AdminExposure}.
 *
 * <p>Hazard: holds passwords; {@link #toString()} masks them, keep it that way.
 *
 * @param keyfile         PEM private key; {@code null}: the key is in {@code certfile}
 * @param keyfilePassword password of an encrypted PKCS#8 key, or {@code null}
 * @param cafile          PEM CA certificates that client certificates must chain to, or {@code null}
 */
public record RestSecurity(String username, String password, List<String> allowlist, boolean allowlistIncludeMembers,
                           Path certfile, Path keyfile, String keyfilePassword, Path cafile, String verifyClient,
                           boolean allowUnauthenticatedAdmin) {

    private static final Set<String> VERIFY_CLIENT = Set.of("none", "optional", "required");
    public static final RestSecurity NONE = new RestSecurity(null, null, List.of(), false, null, null, null, null,
            "none", false);

    public RestSecurity {
        allowlist = allowlist == null ? List.of() : List.copyOf(allowlist);
        verifyClient = verifyClient == null ? "none" : verifyClient;
        if (!VERIFY_CLIENT.contains(verifyClient)) {
            throw new IllegalArgumentException("restapi.verify_client: expected none, optional or required, got '"
                    + verifyClient + "'");
        }
        if ((username == null) != (password == null)) {
            throw new IllegalArgumentException("restapi.authentication: username and password must be set together");
        }
        if (certfile == null && !"none".equals(verifyClient)) {
            throw new IllegalArgumentException("restapi.verify_client: '" + verifyClient + "' needs restapi.certfile");
        }
        if (!"none".equals(verifyClient) && cafile == null) {
            throw new IllegalArgumentException("restapi.verify_client: '" + verifyClient + "' needs restapi.cafile");
        }
    }

    /** As the canonical constructor, without {@code allow_unauthenticated_admin}. */
    public RestSecurity(String username, String password, List<String> allowlist, boolean allowlistIncludeMembers,
                        Path certfile, Path keyfile, String keyfilePassword, Path cafile, String verifyClient) {
        this(username, password, allowlist, allowlistIncludeMembers, certfile, keyfile, keyfilePassword, cafile,
                verifyClient, false);
    }

    /** The security settings of a parsed {@code restapi} section. */
    public static RestSecurity of(RestApiConfig restapi) {
        return new RestSecurity(restapi.username(), restapi.password(), restapi.allowlist(),
                restapi.allowlistIncludeMembers(), restapi.certfile(), restapi.keyfile(), restapi.keyfilePassword(),
                restapi.cafile(), restapi.verifyClient(), restapi.allowUnauthenticatedAdmin());
    }

    public boolean isHttps() {
        return certfile != null;
    }

    public boolean hasAuthentication() {
        return username != null;
    }

    /** An allowlist (or the members' hosts) restricts who may call unsafe endpoints. */
    public boolean hasAllowlist() {
        return !allowlist.isEmpty() || allowlistIncludeMembers;
    }

    /**
     * Unsafe endpoints demand a client certificate signed by {@code cafile}: {@code required} (the handshake
     * refuses clients without one) or {@code optional} ({@link AccessControl} refuses unsafe requests without one).
     */
    public boolean verifiesClientCertificates() {
        return isHttps() && !"none".equals(verifyClient);
    }

    @Override
    public String toString() {
        return "RestSecurity[username=" + username + ", password=" + (password == null ? null : "******")
                + ", allowlist=" + allowlist + ", allowlistIncludeMembers=" + allowlistIncludeMembers
                + ", certfile=" + certfile + ", keyfile=" + keyfile + ", keyfilePassword="
                + (keyfilePassword == null ? null : "******") + ", cafile=" + cafile + ", verifyClient="
                + verifyClient + ", allowUnauthenticatedAdmin=" + allowUnauthenticatedAdmin + "]";
    }
}
