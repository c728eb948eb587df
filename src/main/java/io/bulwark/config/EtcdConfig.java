package io.bulwark.config;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code etcd} / {@code etcd3}: how to reach the DCS. Both sections are served over etcd's v3 API.
 *
 * @param endpoints client URLs such as {@code http://127.0.0.1:2379}, from {@code host}, {@code hosts},
 *                  {@code url} or {@code urls}, with {@code protocol} applied
 * @param username  etcd user, or {@code null}
 * @param password  etcd password, or {@code null}; never printed ({@link #toString()} masks it)
 * @param cacert    PEM CA bundle that signs the etcd servers' certificates, or {@code null} (JVM default trust);
 *                  used only with {@code https://} endpoints, as every TLS setting here
 * @param cert      PEM client certificate, or {@code null}; without {@code key} it must also hold the key
 * @param key       PEM private key of {@code cert} (PKCS#8, PKCS#1 or SEC1, unencrypted), or {@code null}
 */
public record EtcdConfig(List<String> endpoints, String username, String password, Path cacert, Path cert,
                         Path key) {
    public EtcdConfig {
        endpoints = List.copyOf(endpoints);
    }

    /** Without TLS files. */
    public EtcdConfig(List<String> endpoints, String username, String password) {
        this(endpoints, username, password, null, null, null);
    }

    @Override
    public String toString() {
        return "EtcdConfig[endpoints=" + endpoints + ", username=" + username + ", password="
                + Secrets.mask(password) + ", cacert=" + cacert + ", cert=" + cert + ", key=" + key + "]";
    }

    /** True when the endpoints are {@code https://}. */
    public boolean tls() {
        return endpoints.stream().anyMatch(e -> e.startsWith("https://"));
    }
}
