package io.bulwark.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code cacert}, {@code cert} and {@code key} of an etcd section (reference §4.6), checked as far as a
 * configuration can be checked on any host: {@code key} needs {@code cert}, and a {@code cert} given alone
 * must also hold the private key (Patroni passes such a file to its HTTP client as a combined PEM). Files that
 * cannot be read here are only warnings (the configuration may be validated on another host); the agent
 * fails at start naming the file.
 */
record EtcdTlsFiles(Path cacert, Path cert, Path key) {

    static EtcdTlsFiles parse(Section etcd, boolean https) {
        Problems problems = etcd.problems();
        Path cacert = path(etcd, "cacert");
        Path cert = path(etcd, "cert");
        Path key = path(etcd, "key");
        if (key != null && cert == null) {
            problems.error(etcd.path("key"), "is set without " + etcd.path("cert") + "; set cert to the client"
                    + " certificate of this key");
        }
        if (!https && (cacert != null || cert != null || key != null)) {
            problems.warning(etcd.path(),
                    "cacert, cert and key are unused with http:// endpoints; set protocol: https");
        }
        readable(etcd, "cacert", cacert, "CERTIFICATE");
        readable(etcd, "cert", cert, "CERTIFICATE");
        readable(etcd, "key", key, "PRIVATE KEY");
        if (cert != null && key == null && Files.isReadable(cert) && !contains(cert, "PRIVATE KEY-----")) {
            problems.error(etcd.path("cert"), cert + " holds no private key; set " + etcd.path("key")
                    + " to the key file (a cert without key must be a combined PEM)");
        }
        return new EtcdTlsFiles(cacert, cert, key);
    }

    private static Path path(Section etcd, String field) {
        String value = etcd.string(field);
        return value == null || value.isBlank() ? null : Path.of(value.strip());
    }

    private static void readable(Section etcd, String field, Path file, String pemType) {
        if (file == null) {
            return;
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            etcd.problems().warning(etcd.path(field), file + " is not a readable file here; the agent will not"
                    + " start without it");
        } else if (!contains(file, "-----BEGIN ") || !contains(file, pemType + "-----")) {
            etcd.problems().error(etcd.path(field), file + " is not PEM with a " + pemType + " block");
        }
    }

    private static boolean contains(Path file, String text) {
        try {
            return Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1).contains(text);
        } catch (IOException e) {
            return false;
        }
    }
}
