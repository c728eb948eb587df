package io.bulwark.dcs.etcd;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Explains TLS failures that gRPC hides: with {@code waitForReady} a failed handshake only shows up as a call
 * that never got a connection and timed out. A probe does one TLS handshake per endpoint with the
 * same certificates, in a background daemon thread (never on the caller's deadline), and keeps a sentence
 * describing the first TLS problem found, or {@code null} when every handshake worked or the failure is not a
 * TLS one (refused connection, timeout).
 */
final class EtcdTlsProbe {
    private static final int TIMEOUT_MILLIS = 3000;
    private static final int ALERT_WAIT_MILLIS = 1000;
    private static final long MIN_INTERVAL_NANOS = 5_000_000_000L;

    private final List<URI> uris;
    private final SSLContext context;
    private final EtcdTls tls;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile long lastStart = System.nanoTime() - MIN_INTERVAL_NANOS;
    private volatile String finding;

    EtcdTlsProbe(List<URI> uris, EtcdTls tls) {
        this.uris = List.copyOf(uris);
        this.tls = tls;
        this.context = tls.jdkContext();
    }

    /** The latest finding, or null; also starts a new probe if none ran in the last few seconds. */
    String findingAndRecheck() {
        trigger();
        return finding;
    }

    void trigger() {
        if (System.nanoTime() - lastStart < MIN_INTERVAL_NANOS || !running.compareAndSet(false, true)) {
            return;
        }
        lastStart = System.nanoTime();
        Thread t = new Thread(() -> {
            try {
                finding = probeAll();
            } finally {
                running.set(false);
            }
        }, "bulwark-etcd-tls-probe");
        t.setDaemon(true);
        t.start();
    }

    /** Runs the probe in the calling thread; for tests and diagnostics. */
    String probeAll() {
        for (URI uri : uris) {
            String problem = probe(uri);
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    /**
     * Handshake, then wait briefly for the server's first bytes: with TLS 1.3 a server rejects the client
     * certificate only after the handshake, with an alert (or by closing). A server that accepted us sends
     * nothing until we speak, so the short read times out.
     */
    private String probe(URI uri) {
        String where = uri.getHost() + ":" + uri.getPort();
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), TIMEOUT_MILLIS);
            plain.setSoTimeout(TIMEOUT_MILLIS);
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory()
                    .createSocket(plain, uri.getHost(), uri.getPort(), true)) {
                SSLParameters params = socket.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS");
                socket.setSSLParameters(params);
                socket.startHandshake();
                socket.setSoTimeout(ALERT_WAIT_MILLIS);
                try {
                    socket.getInputStream().read();
                } catch (SocketTimeoutException e) {
                    return null; // accepted: the server waits for our request
                } catch (SSLException e) {
                    return describe(where, e);
                } catch (IOException e) {
                    // closed without an alert we could read: same meaning as an alert
                }
                return rejected(where);
            }
        } catch (SSLException e) {
            return describe(where, e);
        } catch (IOException e) {
            return null; // not a TLS problem: the call's own error says unreachable or timed out
        }
    }

    private String rejected(String where) {
        return tls.cert() == null
                ? "TLS: etcd at " + where + " requires a client certificate: set cert and key"
                : "TLS: etcd at " + where + " rejected the client certificate " + tls.cert()
                + " (not signed by a CA it trusts, expired, or not for client authentication)";
    }

    private String describe(String where, SSLException e) {
        String text = messages(e);
        if (text.contains("PKIX") || text.contains("certification path")) {
            return "TLS: the certificate of etcd at " + where + " is not signed by a CA in "
                    + (tls.cacert() == null ? "the JVM's default trust store (set cacert)" : "cacert " + tls.cacert());
        }
        if (text.contains("No subject alternative") || text.contains("No name matching")) {
            return "TLS: the certificate of etcd at " + where + " does not name that host (subjectAltName)";
        }
        if (text.contains("certificate_required") || text.contains("bad_certificate")
                || text.contains("unknown_ca") || text.contains("certificate_unknown")) {
            return rejected(where);
        }
        if (text.contains("plaintext") || text.contains("Unsupported or unrecognized SSL message")) {
            return "TLS: etcd at " + where + " does not speak TLS; use protocol http";
        }
        if (text.contains("Remote host terminated the handshake") || text.contains("peer shut down incorrectly")) {
            return "TLS: etcd at " + where + " closed the connection during the TLS handshake; if it serves plain"
                    + " http, use protocol http";
        }
        return "TLS handshake with etcd at " + where + " failed: " + text;
    }

    private static String messages(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null && sb.length() < 500; t = t.getCause()) {
            sb.append(sb.isEmpty() ? "" : "; ").append(t.getMessage());
        }
        return sb.toString();
    }
}
