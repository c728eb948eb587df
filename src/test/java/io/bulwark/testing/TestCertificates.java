package io.bulwark.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Generates a test CA, an etcd server certificate for 127.0.0.1 and client certificates with {@code openssl}. */
final class TestCertificates {
    private static final String OPENSSL = "openssl";

    private TestCertificates() {
    }

    static TlsFiles generate(Path dir) {
        try {
            Files.createDirectories(dir);
            Path ext = dir.resolve("ext.cnf");
            Files.writeString(ext, """
                    [server]
                    subjectAltName = IP:127.0.0.1, DNS:localhost
                    extendedKeyUsage = serverAuth, clientAuth
                    [client]
                    extendedKeyUsage = clientAuth
                    """);
            ca(dir, "ca");
            ca(dir, "other-ca");
            leaf(dir, "server", "/CN=127.0.0.1", "server", List.of("-newkey", "rsa:2048"));
            leaf(dir, "client", "/CN=bulwark-client", "client", List.of("-newkey", "rsa:2048"));
            leaf(dir, "client-ec", "/CN=bulwark-client-ec", "client",
                    List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"));
            run(dir, OPENSSL, "rsa", "-in", "client.key", "-traditional", "-out", "client-pkcs1.key");
            run(dir, OPENSSL, "ec", "-in", "client-ec.key", "-out", "client-ec-sec1.key");
            Files.writeString(dir.resolve("client-combined.pem"),
                    Files.readString(dir.resolve("client.crt")) + Files.readString(dir.resolve("client.key")));
            return new TlsFiles(dir.resolve("ca.crt"), dir.resolve("other-ca.crt"), dir.resolve("server.crt"),
                    dir.resolve("server.key"), dir.resolve("client.crt"), dir.resolve("client.key"),
                    dir.resolve("client-pkcs1.key"), dir.resolve("client-ec.crt"), dir.resolve("client-ec-sec1.key"),
                    dir.resolve("client-combined.pem"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write test certificates to " + dir, e);
        }
    }

    private static void ca(Path dir, String name) {
        run(dir, OPENSSL, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key",
                "-out", name + ".crt", "-days", "2", "-subj", "/CN=bulwark-test-" + name);
    }

    private static void leaf(Path dir, String name, String subject, String extSection, List<String> keyArgs) {
        List<String> req = new java.util.ArrayList<>(List.of(OPENSSL, "req", "-nodes"));
        req.addAll(keyArgs);
        req.addAll(List.of("-keyout", name + ".key", "-out", name + ".csr", "-subj", subject));
        run(dir, req.toArray(String[]::new));
        run(dir, OPENSSL, "x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                "-CAcreateserial", "-out", name + ".crt", "-days", "2", "-extfile", "ext.cnf",
                "-extensions", extSection);
    }

    private static void run(Path dir, String... argv) {
        try {
            Process p = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", argv) + " failed:\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + argv[0] + " (is openssl installed?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running openssl", e);
        }
    }
}
