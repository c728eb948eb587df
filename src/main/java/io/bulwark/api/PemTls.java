package io.bulwark.api;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;

import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the server's {@link SSLContext} from Patroni's PEM files: {@code certfile} (certificate chain, may also
 * hold the key), {@code keyfile} (PKCS#8 {@code PRIVATE KEY}, PKCS#8 {@code ENCRYPTED PRIVATE KEY} with
 * {@code keyfile_password}, or PKCS#1 {@code RSA PRIVATE KEY}; RSA or EC) and {@code cafile} (CAs trusted for
 * client certificates). SEC1 {@code EC PRIVATE KEY} files are refused with a hint to convert them
 * ({@code openssl pkcs8 -topk8 -nocrypt}). Errors name the file and never include key material or passwords.
 */
final class PemTls {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+?)-----END \\1-----");
    private static final char[] STORE_PASSWORD = "bulwark".toCharArray();

    private PemTls() {
    }

    static SSLContext serverContext(RestSecurity sec) throws IOException {
        try {
            List<Certificate> chain = certificates(sec.certfile(), "restapi.certfile");
            Path keyPath = sec.keyfile() == null ? sec.certfile() : sec.keyfile();
            PrivateKey key = privateKey(keyPath, sec.keyfilePassword());
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("server", key, STORE_PASSWORD, chain.toArray(Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, STORE_PASSWORD);
            TrustManagerFactory tmf = null;
            if (sec.cafile() != null) {
                KeyStore trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                int i = 0;
                for (Certificate ca : certificates(sec.cafile(), "restapi.cafile")) {
                    trust.setCertificateEntry("ca" + i++, ca);
                }
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trust);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("restapi TLS setup failed: " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * A client context that trusts only the CA certificates in {@code cafile} ({@code key} names the setting in
     * errors): the agent's calls to its peers' HTTPS REST APIs, whose certificates a private CA signed.
     */
    static SSLContext trustingOnly(Path cafile, String key) throws IOException {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            int i = 0;
            for (Certificate ca : certificates(cafile, key)) {
                trust.setCertificateEntry("ca" + i++, ca);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException(key + " " + cafile + ": " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The agent's client context for its peers' HTTPS REST APIs: trusts {@code cafile} (the JVM's default trust
     * store when {@code null}) and presents {@code certfile} with its key when set (peers with
     * {@code verify_client: required} refuse the handshake otherwise).
     */
    static SSLContext peerContext(Path cafile, Path certfile, Path keyfile, String keyPassword) throws IOException {
        if (certfile == null) {
            return cafile == null ? null : trustingOnly(cafile, "peer CA file");
        }
        try {
            TrustManagerFactory tmf = null;
            if (cafile != null) {
                KeyStore trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                int i = 0;
                for (Certificate ca : certificates(cafile, "peer CA file")) {
                    trust.setCertificateEntry("ca" + i++, ca);
                }
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trust);
            }
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            List<Certificate> chain = certificates(certfile, "ctl.certfile");
            keys.setKeyEntry("client", privateKey(keyfile != null ? keyfile : certfile, keyPassword), STORE_PASSWORD,
                    chain.toArray(new Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, STORE_PASSWORD);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("peer client certificate " + certfile + ": " + e.getClass().getSimpleName() + ": "
                    + e.getMessage(), e);
        }
    }

    /** An HTTPS server whose handshake asks for (optional) or demands (required) a client certificate. */
    static HttpsServer httpsServer(String host, int port, RestSecurity security) throws IOException {
        SSLContext ssl = PemTls.serverContext(security);
        HttpsServer server = HttpsServer.create(new InetSocketAddress(host, port), HttpLimits.ACCEPT_BACKLOG);
        server.setHttpsConfigurator(new HttpsConfigurator(ssl) {
            @Override
            public void configure(HttpsParameters params) {
                var p = ssl.getDefaultSSLParameters();
                p.setNeedClientAuth("required".equals(security.verifyClient()));
                if ("optional".equals(security.verifyClient())) {
                    p.setWantClientAuth(true);
                }
                params.setSSLParameters(p);
            }
        });
        return server;
    }

    static List<Certificate> certificates(Path file, String key) throws IOException, GeneralSecurityException {
        byte[] bytes = read(file, key);
        Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(onlyCertificates(bytes)));
        if (certs.isEmpty()) {
            throw new IOException(key + ": no certificate found in " + file);
        }
        return List.copyOf(certs);
    }

    static PrivateKey privateKey(Path file, String password) throws IOException, GeneralSecurityException {
        String text = new String(read(file, "restapi.keyfile"), StandardCharsets.US_ASCII);
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            byte[] der = Base64.getMimeDecoder().decode(m.group(2).replaceAll("\\s", ""));
            switch (m.group(1)) {
                case "PRIVATE KEY" -> {
                    return pkcs8(der, file);
                }
                case "ENCRYPTED PRIVATE KEY" -> {
                    if (password == null) {
                        throw new IOException("restapi.keyfile " + file + " is encrypted: set restapi.keyfile_password");
                    }
                    return pkcs8(decrypt(der, password, file), file);
                }
                case "RSA PRIVATE KEY" -> {
                    return pkcs8(rsaPkcs1ToPkcs8(der), file);
                }
                case "EC PRIVATE KEY" -> throw new IOException("restapi.keyfile " + file
                        + ": SEC1 'EC PRIVATE KEY' is not supported; convert it with openssl pkcs8 -topk8 -nocrypt");
                default -> {
                    // certificates or parameters in the same file: keep looking
                }
            }
        }
        throw new IOException("restapi.keyfile: no PEM private key found in " + file);
    }

    private static PrivateKey pkcs8(byte[] der, Path file) throws IOException, GeneralSecurityException {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : List.of("RSA", "EC", "Ed25519", "RSASSA-PSS")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (InvalidKeySpecException e) {
                // try the next algorithm
            }
        }
        throw new IOException("restapi.keyfile " + file + ": unsupported private key algorithm (expected RSA or EC)");
    }

    private static byte[] decrypt(byte[] der, String password, Path file) throws IOException {
        try {
            EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
            // for PBES2 the parameters name the real algorithm, e.g. PBEWithHmacSHA256AndAES_256
            String algorithm = info.getAlgParameters() != null ? info.getAlgParameters().toString() : info.getAlgName();
            SecretKeyFactory factory = SecretKeyFactory.getInstance(algorithm);
            Cipher cipher = Cipher.getInstance(algorithm);
            cipher.init(Cipher.DECRYPT_MODE, factory.generateSecret(new PBEKeySpec(password.toCharArray())),
                    info.getAlgParameters());
            return info.getKeySpec(cipher).getEncoded();
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IOException("restapi.keyfile " + file + ": cannot decrypt with restapi.keyfile_password ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /** Wraps a PKCS#1 RSAPrivateKey in a PKCS#8 PrivateKeyInfo (version 0, rsaEncryption, NULL params). */
    private static byte[] rsaPkcs1ToPkcs8(byte[] pkcs1) {
        byte[] algorithm = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01,
                0x01, 0x01, 0x05, 0x00};
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[]{0x02, 0x01, 0x00});
        body.writeBytes(algorithm);
        body.writeBytes(derHeader(0x04, pkcs1.length));
        body.writeBytes(pkcs1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(derHeader(0x30, body.size()));
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    private static byte[] derHeader(int tag, int length) {
        if (length < 0x80) {
            return new byte[]{(byte) tag, (byte) length};
        }
        if (length < 0x100) {
            return new byte[]{(byte) tag, (byte) 0x81, (byte) length};
        }
        if (length < 0x10000) {
            return new byte[]{(byte) tag, (byte) 0x82, (byte) (length >> 8), (byte) length};
        }
        return new byte[]{(byte) tag, (byte) 0x83, (byte) (length >> 16), (byte) (length >> 8), (byte) length};
    }

    /** CertificateFactory chokes on private key blocks in a combined file: keep only the certificates. */
    private static byte[] onlyCertificates(byte[] pem) {
        String text = new String(pem, StandardCharsets.US_ASCII);
        StringBuilder out = new StringBuilder();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            if (m.group(1).equals("CERTIFICATE")) {
                out.append(m.group()).append('\n');
            }
        }
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] read(Path file, String key) throws IOException {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IOException(key + ": cannot read " + file + ": " + e.getClass().getSimpleName(), e);
        }
    }
}
