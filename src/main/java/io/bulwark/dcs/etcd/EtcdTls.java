package io.bulwark.dcs.etcd;

import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS settings for {@code https://} etcd endpoints, Patroni's {@code etcd3.cacert}, {@code cert} and {@code key}
 * (reference §4.6). All PEM.
 *
 * <p>{@code cacert} null means the JVM's default trust store. {@code cert} without {@code key} means the cert
 * file also holds the private key (as Patroni allows); {@code key} without {@code cert} is rejected. Keys may be
 * PKCS#8 ({@code BEGIN PRIVATE KEY}), PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) or SEC1 ({@code BEGIN EC PRIVATE
 * KEY}, what cfssl writes); encrypted keys are not supported (Patroni has no key password for etcd). The
 * server's certificate must name the host of the endpoint it is reached at (DNS or IP SAN).
 *
 * <p>Files are read when a client is built ({@code EtcdDcs.connect}); {@link #check()} reads them at once so a
 * start-up can fail with a message naming the file.
 */
public record EtcdTls(Path cacert, Path cert, Path key) {
    /** TLS with the JVM's default trust store and no client certificate. */
    public static final EtcdTls SYSTEM_TRUST = new EtcdTls(null, null, null);

    public EtcdTls {
        if (key != null && cert == null) {
            throw new IllegalArgumentException("etcd key " + key + " is set without cert: set cert to the client"
                    + " certificate that goes with it");
        }
    }

    /** Reads every file; throws {@link IllegalArgumentException} naming the file and what is wrong with it. */
    public void check() {
        material();
    }

    /** Netty context for jetcd (ALPN h2 as gRPC needs). */
    SslContext sslContext() {
        Material m = material();
        try {
            var builder = GrpcSslContexts.forClient();
            if (m.trusted() != null) {
                builder.trustManager(m.trusted().toArray(X509Certificate[]::new));
            }
            if (m.clientKey() != null) {
                builder.keyManager(m.clientKey(), m.clientChain().toArray(X509Certificate[]::new));
            }
            return builder.build();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("etcd TLS settings " + this + " unusable: " + e.getMessage(), e);
        }
    }

    /** The same material as a JDK context, for the handshake diagnosis. */
    SSLContext jdkContext() {
        Material m = material();
        try {
            KeyManagerFactory kmf = null;
            if (m.clientKey() != null) {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                ks.setKeyEntry("client", m.clientKey(), new char[0], m.clientChain().toArray(X509Certificate[]::new));
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, new char[0]);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (m.trusted() == null) {
                tmf.init((KeyStore) null);
            } else {
                KeyStore ts = KeyStore.getInstance("PKCS12");
                ts.load(null, null);
                for (int i = 0; i < m.trusted().size(); i++) {
                    ts.setCertificateEntry("ca" + i, m.trusted().get(i));
                }
                tmf.init(ts);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("etcd TLS settings " + this + " unusable: " + e.getMessage(), e);
        }
    }

    private Material material() {
        List<X509Certificate> trusted = cacert == null ? null : PemFiles.certificates(cacert, "etcd cacert");
        if (cert == null) {
            return new Material(trusted, null, null);
        }
        List<X509Certificate> chain = PemFiles.certificates(cert, "etcd cert");
        return new Material(trusted, PemFiles.privateKey(key == null ? cert : key,
                key == null ? "etcd cert (no key set, so the cert file must also hold the private key)" : "etcd key"),
                chain);
    }

    private record Material(List<X509Certificate> trusted, java.security.PrivateKey clientKey,
                            List<X509Certificate> clientChain) {
    }
}
