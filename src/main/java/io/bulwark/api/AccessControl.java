package io.bulwark.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsExchange;
import io.bulwark.dcs.Cluster;
import io.bulwark.dcs.Member;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;

/**
 * Patroni's {@code check_access} for unsafe endpoints (reference §3.5), in its order: (1) allowlist, then
 * (2) client certificate when {@code verify_client} is optional or required, then (3) Basic auth. Returns the
 * refusal to send, or {@code null} when the request may proceed.
 *
 * <p>Allowlist entries are resolved once, at start (a hostname that does not resolve is logged and matches
 * nothing). Member hosts ({@code allowlist_include_members}) are resolved per request from the last cluster
 * snapshot, as Patroni does; a slow resolver therefore delays only unsafe requests. The password is compared as
 * the base64 {@code user:password} token with {@link MessageDigest#isEqual} (constant time).
 */
final class AccessControl {
    private static final Logger log = LoggerFactory.getLogger(AccessControl.class);

    private final RestSecurity security;
    private final List<Cidr> allowlist;
    private final byte[] authToken;
    private final Supplier<Cluster> cluster;

    AccessControl(RestSecurity security, Supplier<Cluster> cluster) {
        this.security = security;
        this.cluster = cluster;
        this.allowlist = resolveAllowlist(security.allowlist());
        this.authToken = security.hasAuthentication()
                ? Base64.getEncoder().encode((security.username() + ":" + security.password())
                .getBytes(StandardCharsets.UTF_8))
                : null;
    }

    /** {@code client}: the request's real source ({@link ConnectionGate#clientOf}). */
    Reply check(HttpExchange ex, InetAddress client) {
        if (!security.allowlist().isEmpty() || security.allowlistIncludeMembers()) {
            if (!allowed(client)) {
                return Reply.message(403, "Access is denied");
            }
        }
        if (security.isHttps() && !"none".equals(security.verifyClient()) && !hasVerifiedClientCert(ex)) {
            return Reply.message(403, "client certificate required");
        }
        if (authToken != null) {
            String header = ex.getRequestHeaders().getFirst("Authorization");
            String reason = header == null ? "no auth header received"
                    : !header.startsWith("Basic ") || !MessageDigest.isEqual(authToken,
                    header.substring(6).getBytes(StandardCharsets.UTF_8)) ? "not authenticated" : null;
            if (reason != null) {
                return Reply.message(401, reason).withHeader("WWW-Authenticate", "Basic realm=\"Patroni\"");
            }
        }
        return null;
    }

    private boolean allowed(InetAddress client) {
        for (Cidr c : allowlist) {
            if (c.contains(client)) {
                return true;
            }
        }
        if (security.allowlistIncludeMembers()) {
            Cluster c = cluster.get();
            for (Member m : c == null ? List.<Member>of() : c.members()) {
                if (m.data() != null && m.data().apiUrl() != null && memberHostIs(m.data().apiUrl(), client)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean memberHostIs(String apiUrl, InetAddress client) {
        try {
            String host = URI.create(apiUrl).getHost();
            if (host == null) {
                return false;
            }
            for (InetAddress a : InetAddress.getAllByName(host)) {
                if (a.equals(client)) {
                    return true;
                }
            }
        } catch (IllegalArgumentException | UnknownHostException e) {
            log.debug("allowlist_include_members: cannot resolve api_url {}: {}", apiUrl, e.toString());
        }
        return false;
    }

    private static boolean hasVerifiedClientCert(HttpExchange ex) {
        if (!(ex instanceof HttpsExchange https)) {
            return false;
        }
        SSLSession session = https.getSSLSession();
        try {
            return session != null && session.getPeerCertificates().length > 0;
        } catch (SSLPeerUnverifiedException e) {
            return false;
        }
    }

    private static List<Cidr> resolveAllowlist(List<String> entries) {
        List<Cidr> out = new ArrayList<>();
        for (String entry : entries) {
            try {
                if (entry.contains("/")) {
                    out.add(Cidr.parse(entry));
                } else {
                    for (InetAddress a : InetAddress.getAllByName(entry)) {
                        out.add(new Cidr(a.getAddress(), a.getAddress().length * 8));
                    }
                }
            } catch (IllegalArgumentException | UnknownHostException e) {
                log.error("restapi.allowlist: ignoring '{}': {}", entry, e.getMessage());
            }
        }
        return List.copyOf(out);
    }

    /** An IP network; a plain address is a /32 (or /128). */
    record Cidr(byte[] network, int prefix) {
        static Cidr parse(String text) throws UnknownHostException {
            int slash = text.indexOf('/');
            String address = text.substring(0, slash);
            if (!address.matches("[0-9a-fA-F:.]+")) {
                throw new IllegalArgumentException("not an IP network: " + text);
            }
            byte[] bytes = InetAddress.getByName(address).getAddress();
            int prefix;
            try {
                prefix = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad prefix length in " + text);
            }
            if (prefix < 0 || prefix > bytes.length * 8) {
                throw new IllegalArgumentException("prefix length out of range in " + text);
            }
            return new Cidr(bytes, prefix);
        }

        boolean contains(InetAddress address) {
            byte[] a = address.getAddress();
            if (a.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (a[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (a[full] & mask) == (network[full] & mask);
        }
    }
}
