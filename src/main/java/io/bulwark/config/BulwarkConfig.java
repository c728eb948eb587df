package io.bulwark.config;

import java.util.Map;

/**
 * The local configuration of one agent, as read from Patroni's YAML schema plus {@code PATRONI_*} overrides
 * (reference §4) and validated. Immutable once built.
 *
 * @param scope      cluster name ({@code scope})
 * @param namespace  key namespace ({@code namespace}, default {@code /service})
 * @param name       member name ({@code name})
 * @param restapi    {@code restapi} section
 * @param etcd       {@code etcd} or {@code etcd3} section
 * @param bootstrap  {@code bootstrap} section
 * @param postgresql {@code postgresql} section
 * @param tags       {@code tags} section
 * @param log        {@code log} section
 * @param peers      how the agent calls its peers' REST APIs ({@code GET /patroni} in the leader race): CA from
 *                   {@code ctl.cacert} else {@code restapi.cafile}; client certificate from {@code ctl.certfile}/
 *                   {@code keyfile} else {@code restapi.certfile}/{@code keyfile}, as Patroni, for peers with
 *                   {@code verify_client: required}
 * @param raw        the whole merged tree as loaded (for {@code GET /config}-style dumps; never logged: it
 *                   holds passwords; {@link #toString()} masks them)
 */
public record BulwarkConfig(
        String scope,
        String namespace,
        String name,
        RestApiConfig restapi,
        EtcdConfig etcd,
        BootstrapConfig bootstrap,
        PostgresqlConfig postgresql,
        Tags tags,
        LogConfig log,
        RestClientConfig peers,
        Map<String, Object> raw) {

    /** Every field, with passwords masked here and in the nested records (safe to log, unlike {@link #raw}). */
    @Override
    public String toString() {
        return "BulwarkConfig[scope=" + scope + ", namespace=" + namespace + ", name=" + name + ", restapi="
                + restapi + ", etcd=" + etcd + ", bootstrap=" + bootstrap + ", postgresql=" + postgresql + ", tags="
                + tags + ", log=" + log + ", peers=" + peers + ", raw=" + Secrets.maskTree(raw) + "]";
    }
}
