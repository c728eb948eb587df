package io.bulwark.config;

import java.util.List;

/**
 * {@code etcd} / {@code etcd3}: how to reach the DCS. Both sections are served over etcd's v3 API.
 *
 * @param endpoints client URLs such as {@code http://127.0.0.1:2379}, from {@code host}, {@code hosts},
 *                  {@code url} or {@code urls}, with {@code protocol} applied
 * @param username  etcd user, or {@code null}
 * @param password  etcd password, or {@code null}
 */
public record EtcdConfig(List<String> endpoints, String username, String password) {
    public EtcdConfig {
        endpoints = List.copyOf(endpoints);
    }
}
