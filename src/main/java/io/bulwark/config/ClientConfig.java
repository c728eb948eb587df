package io.bulwark.config;

/**
 * What {@code bulwarkctl} reads from a configuration file (reference §5): {@code scope}, {@code namespace}, the
 * {@code etcd3}/{@code etcd} section and the REST client settings of {@code ctl} and {@code restapi}. A
 * patronictl.yaml often holds only these, so nothing else is required (see {@link ClientConfigLoader}).
 *
 * @param scope      cluster name, or {@code null} when neither the file nor {@code PATRONI_SCOPE} sets it
 * @param namespace  key namespace, default {@code /service}
 * @param etcd       the DCS, or {@code null} when there is no etcd section (the command then needs
 *                   {@code --dcs-url})
 * @param restClient how to call members' REST APIs
 */
public record ClientConfig(String scope, String namespace, EtcdConfig etcd, RestClientConfig restClient) {
}
