package io.bulwark.ctl;

import io.bulwark.config.ClientConfig;
import io.bulwark.config.ClientConfigLoader;
import io.bulwark.config.ClientConfigResult;
import io.bulwark.config.ConfigProblem;
import io.bulwark.config.EtcdConfig;
import io.bulwark.config.RestClientConfig;
import io.bulwark.dcs.etcd.EtcdTls;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The configuration a {@code bulwarkctl} command runs with: the file chosen as patronictl chooses it, read by
 * {@link ClientConfigLoader} (the same parsers and {@code PATRONI_*} overrides as the agent), with {@code --dcs-url}
 * and {@code -k} applied. This class parses no key itself; it only decides which file is read and turns the
 * result into a {@link CtlTarget}.
 */
final class CtlConfig {
    private final ClientConfig config;
    private final RestClientConfig restClient;
    private final List<String> warnings;

    private CtlConfig(ClientConfig config, boolean insecure, List<String> warnings) {
        this.config = config;
        this.restClient = config.restClient().orInsecure(insecure);
        this.warnings = List.copyOf(warnings);
    }

    /**
     * @param file     YAML file, or {@code null}
     * @param explicit the user named {@code file} ({@code -c} or {@code PATRONICTL_CONFIG_FILE}): it must exist;
     *                 otherwise (the default path) a missing or unreadable file means "no file", as in patronictl
     * @param dcsUrl   {@code --dcs-url} or {@code DCS_URL}, or {@code null}
     * @param dcsUrlLabel which of the two, for error messages
     * @throws CtlException naming every problem of the file, each as {@code FILE: key.path: rule}
     */
    static CtlConfig load(Path file, boolean explicit, String dcsUrl, String dcsUrlLabel, boolean insecureFlag,
                          Map<String, String> env) {
        boolean usable = file != null && Files.isReadable(file) && Files.isRegularFile(file);
        if (file != null && !usable && explicit) {
            throw new CtlException("Provided config file " + file
                    + " not existing or no read rights. Check the -c/--config-file parameter");
        }
        ClientConfigResult result = ClientConfigLoader.load(usable ? file : null, env, dcsUrl, dcsUrlLabel);
        if (!result.ok()) {
            throw new CtlException(result.errors().stream()
                    .map(p -> describe(result.source(), p, dcsUrlLabel, usable))
                    .collect(Collectors.joining("\nError: ")));
        }
        return new CtlConfig(result.config(), insecureFlag,
                result.warnings().stream().map(p -> describe(result.source(), p, dcsUrlLabel, usable)).toList());
    }

    /** Same as {@link #load(Path, boolean, String, String, boolean, Map)} with {@code --dcs-url} as the label. */
    static CtlConfig load(Path file, boolean explicit, String dcsUrl, boolean insecureFlag, Map<String, String> env) {
        return load(file, explicit, dcsUrl, "--dcs-url", insecureFlag, env);
    }

    /** {@code FILE: key.path: rule}; without the file for whole-file problems and for --dcs-url/DCS_URL. */
    private static String describe(String source, ConfigProblem p, String dcsUrlLabel, boolean fromFile) {
        boolean bare = !fromFile || p.path().equals(source) || p.path().equals(dcsUrlLabel);
        return bare ? p.toString() : source + ": " + p;
    }

    /** Legal but probably unintended settings, one line each, for stderr. */
    List<String> warnings() {
        return warnings;
    }

    /** How to call members' REST APIs; reference §3.5 "Outgoing calls". */
    RestClientConfig restClient() {
        return restClient;
    }

    /** {@code scope} from the file or {@code PATRONI_SCOPE}, or {@code null}. */
    String scope() {
        return config.scope();
    }

    /** The target for cluster {@code clusterName} (or {@link #scope()} when null). */
    CtlTarget target(String clusterName) {
        String name = clusterName != null ? clusterName : config.scope();
        if (name == null || name.isBlank()) {
            throw new CtlException("no cluster name: pass CLUSTER or set 'scope' in the configuration file");
        }
        EtcdConfig etcd = config.etcd();
        if (etcd == null) {
            throw new CtlException("Can not find suitable configuration of distributed configuration store:"
                    + " pass --dcs-url etcd3://host:2379 or -c FILE with an 'etcd3' section");
        }
        EtcdTls tls = etcd.cacert() == null && etcd.cert() == null ? null
                : new EtcdTls(etcd.cacert(), etcd.cert(), etcd.key());
        return new CtlTarget(name, config.namespace(), etcd.endpoints(), etcd.username(), etcd.password(),
                restClient.insecure(), tls);
    }
}
