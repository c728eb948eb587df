package io.bulwark.ctl;

import io.bulwark.config.RestClientConfig;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The TLS context of {@code bulwarkctl}'s REST calls: the JDK's default trust unless a CA file is given, an
 * optional client certificate (PEM certificate chain plus an unencrypted PEM PKCS#8 key), or no verification at
 * all with {@code insecure}. Returns {@code null} when the JDK default context will do.
 */
public final class TlsContexts {
    private TlsContexts() {
    }

    public static SSLContext forRest(RestClientConfig s) {
        if (!s.insecure() && s.cacert() == null && s.certfile() == null) {
            return null;
        }
        try {
            TrustManager[] trust = null;
            if (s.insecure()) {
                trust = new TrustManager[]{new TrustAll()};
            } else if (s.cacert() != null) {
                KeyStore ks = emptyStore();
                int i = 0;
                for (Certificate c : certificates(s.cacert(), "ctl.cacert")) {
                    ks.setCertificateEntry("ca" + i++, c);
                }
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(ks);
                trust = tmf.getTrustManagers();
            }
            javax.net.ssl.KeyManager[] keys = null;
            if (s.certfile() != null) {
                if (s.keyfile() == null) {
                    throw new CtlException("ctl.certfile is set but ctl.keyfile is not");
                }
                List<Certificate> chain = certificates(s.certfile(), "ctl.certfile");
                KeyStore ks = emptyStore();
                ks.setKeyEntry("client", privateKey(s.keyfile(), s.keyfilePassword()), new char[0],
                        chain.toArray(new Certificate[0]));
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, new char[0]);
                keys = kmf.getKeyManagers();
            }
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(keys, trust, new SecureRandom());
            return ssl;
        } catch (GeneralSecurityException | IOException e) {
            throw new CtlException("cannot set up TLS for REST calls: " + e.getMessage(), e);
        }
    }

    private static KeyStore emptyStore() throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        return ks;
    }

    private static List<Certificate> certificates(Path file, String field) throws GeneralSecurityException {
        try (InputStream in = Files.newInputStream(file)) {
            List<Certificate> certs = new ArrayList<>(CertificateFactory.getInstance("X.509").generateCertificates(in));
            if (certs.isEmpty()) {
                throw new CtlException(field + ": no certificate in " + file);
            }
            return certs;
        } catch (IOException e) {
            throw new CtlException(field + ": cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static PrivateKey privateKey(Path file, String password) throws GeneralSecurityException {
        String pem;
        try {
            pem = Files.readString(file);
        } catch (IOException e) {
            throw new CtlException("ctl.keyfile: cannot read " + file + ": " + e.getMessage(), e);
        }
        if (password != null || !pem.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new CtlException("ctl.keyfile: expected an unencrypted PEM PKCS#8 key (BEGIN PRIVATE KEY) in "
                    + file + "; convert with: openssl pkcs8 -topk8 -nocrypt");
        }
        String body = pem.substring(pem.indexOf("-----BEGIN PRIVATE KEY-----") + 27, pem.indexOf("-----END"))
                .replaceAll("\\s", "");
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body));
        for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException ignored) {
                // try the next algorithm: PKCS#8 names it inside, but KeyFactory needs it up front
            }
        }
        throw new CtlException("ctl.keyfile: unsupported key type in " + file + " (RSA, EC or Ed25519 expected)");
    }

    /**
     * {@code -k/--insecure}: accept any server certificate and host name, as patronictl does with
     * {@code ctl.insecure}. Extended so that JSSE does not add its own host name check around it.
     */
    static final class TrustAll extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
