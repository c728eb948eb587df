package io.bulwark.api;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How the REST API protects its unsafe endpoints (reference §3.5), read from the {@code restapi} section.
 *
 * <p>HTTPS is on iff {@code certfile} is set. {@code verifyClient}: {@code none} (default), {@code optional} (the
 * TLS handshake asks for a client certificate; unsafe endpoints refuse requests without a verified one),
 * {@code required} (the handshake fails without a certificate signed by {@code cafile}). Unsafe endpoints also
 * demand Basic auth when {@code username} is set, and a client address in {@code allowlist} (IPs, CIDRs,
 * hostnames resolved at start) or, with {@code allowlistIncludeMembers}, one of the members' {@code api_url}
 * hosts. Health checks and every GET stay open.
 *
 * <p>Hazard: holds passwords; {@link #toString()} masks them, keep it that way.
 *
 * @param keyfile         PEM private key; {@code null}: the key is in {@code certfile}
 * @param keyfilePassword password of an encrypted PKCS#8 key, or {@code null}
 * @param cafile          PEM CA certificates that client certificates must chain to, or {@code null}
 */
public record RestSecurity(String username, String password, List<String> allowlist, boolean allowlistIncludeMembers,
                           Path certfile, Path keyfile, String keyfilePassword, Path cafile, String verifyClient) {

    private static final Set<String> VERIFY_CLIENT = Set.of("none", "optional", "required");
    public static final RestSecurity NONE = new RestSecurity(null, null, List.of(), false, null, null, null, null,
            "none");

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

    /**
     * Reads {@code authentication.username/password}, {@code allowlist}, {@code allowlist_include_members},
     * {@code certfile}, {@code keyfile}, {@code keyfile_password}, {@code cafile} and {@code verify_client} from
     * the raw {@code restapi} map ({@code null}: no security).
     *
     * @throws IllegalArgumentException naming the key when a value has the wrong type or is not allowed
     */
    public static RestSecurity fromRaw(Map<String, Object> restapi) {
        if (restapi == null) {
            return NONE;
        }
        String username = null;
        String password = null;
        Object auth = restapi.get("authentication");
        if (auth instanceof Map<?, ?> a) {
            username = string(a.get("username"), "restapi.authentication.username");
            password = string(a.get("password"), "restapi.authentication.password");
        } else if (auth != null) {
            throw new IllegalArgumentException("restapi.authentication: expected a mapping with username and password");
        }
        return new RestSecurity(username, password, allowlist(restapi.get("allowlist")),
                bool(restapi.get("allowlist_include_members"), "restapi.allowlist_include_members"),
                path(restapi.get("certfile"), "restapi.certfile"), path(restapi.get("keyfile"), "restapi.keyfile"),
                string(restapi.get("keyfile_password"), "restapi.keyfile_password"),
                path(restapi.get("cafile"), "restapi.cafile"),
                lower(string(restapi.get("verify_client"), "restapi.verify_client")));
    }

    public boolean isHttps() {
        return certfile != null;
    }

    public boolean hasAuthentication() {
        return username != null;
    }

    @Override
    public String toString() {
        return "RestSecurity[username=" + username + ", password=" + (password == null ? null : "******")
                + ", allowlist=" + allowlist + ", allowlistIncludeMembers=" + allowlistIncludeMembers
                + ", certfile=" + certfile + ", keyfile=" + keyfile + ", keyfilePassword="
                + (keyfilePassword == null ? null : "******") + ", cafile=" + cafile + ", verifyClient="
                + verifyClient + "]";
    }

    private static List<String> allowlist(Object value) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new IllegalArgumentException("restapi.allowlist: expected a list of IPs, CIDRs or hostnames, got "
                    + value.getClass().getSimpleName());
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            Object v = list.get(i);
            if (!(v instanceof String s) || s.isBlank()) {
                throw new IllegalArgumentException("restapi.allowlist[" + i + "]: expected an IP, CIDR or hostname");
            }
            out.add(s.strip());
        }
        return out;
    }

    private static String string(Object value, String key) {
        if (value == null) {
            return null;
        }
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        throw new IllegalArgumentException(key + ": expected a string");
    }

    private static String lower(String s) {
        return s == null ? null : s.strip().toLowerCase(Locale.ROOT);
    }

    private static Path path(Object value, String key) {
        String s = string(value, key);
        return s == null || s.isBlank() ? null : Path.of(s);
    }

    private static boolean bool(Object value, String key) {
        if (value == null) {
            return false;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        String v = value.toString().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "on", "true", "yes", "1" -> true;
            case "off", "false", "no", "0" -> false;
            default -> throw new IllegalArgumentException(key + ": expected a boolean, got '" + value + "'");
        };
    }
}
