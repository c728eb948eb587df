package io.bulwark.ctl;

import io.bulwark.dcs.DcsKeys;
import io.bulwark.dcs.etcd.EtcdTls;

import java.util.List;

/**
 * Which cluster in which DCS a {@code bulwarkctl} command talks to, resolved from {@code -c FILE}, {@code --dcs-url}
 * and the environment. Handed to the {@code Dcs} factory.
 *
 * @param scope     cluster name (the command's CLUSTER argument, else {@code scope} from the file)
 * @param namespace key namespace, default {@code /service}
 * @param endpoints etcd client URLs such as {@code http://127.0.0.1:2379}
 * @param username  etcd user, or {@code null}
 * @param password  etcd password, or {@code null}; never printed ({@link #toString()} masks it)
 * @param insecure  {@code -k}: do not verify the members' REST API certificates (etcd's are always verified)
 * @param etcdTls   certificate files for {@code https://} endpoints, or {@code null} (default trust store)
 */
public record CtlTarget(String scope, String namespace, List<String> endpoints, String username, String password,
                        boolean insecure, EtcdTls etcdTls) {

    public CtlTarget {
        endpoints = List.copyOf(endpoints);
    }

    /** Without etcd TLS files. */
    public CtlTarget(String scope, String namespace, List<String> endpoints, String username, String password,
                     boolean insecure) {
        this(scope, namespace, endpoints, username, password, insecure, null);
    }

    public DcsKeys keys() {
        return new DcsKeys(namespace, scope);
    }

    @Override
    public String toString() {
        return "CtlTarget[scope=" + scope + ", namespace=" + namespace + ", endpoints=" + endpoints
                + ", username=" + username + ", password=" + (password == null ? "null" : "*****")
                + ", insecure=" + insecure + ", etcdTls=" + etcdTls + "]";
    }
}
