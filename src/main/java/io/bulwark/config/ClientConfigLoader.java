package io.bulwark.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The lenient mode of the configuration reader, for {@code bulwarkctl}: a partial file (a patronictl.yaml with
 * only {@code scope}, an etcd section and {@code ctl}, or a whole node configuration) is read with the same
 * parsers, environment overrides ({@link EnvOverrides}) and problem reports as the agent's, but only the
 * sections the CLI uses are mapped and none of them is required. Other sections are not validated: a node's
 * file that the agent would refuse for a {@code postgresql} problem still serves the CLI.
 */
public final class ClientConfigLoader {
    private ClientConfigLoader() {
    }

    /**
     * @param file   YAML file, or {@code null} for none (environment and {@code dcsUrl} only)
     * @param dcsUrl {@code --dcs-url} or {@code DCS_URL}, or {@code null}; replaces the file's DCS section
     * @param dcsUrlLabel names {@code dcsUrl} in problems ({@code --dcs-url} or {@code DCS_URL})
     */
    public static ClientConfigResult load(Path file, Map<String, String> env, String dcsUrl, String dcsUrlLabel) {
        if (file == null) {
            return fromYaml("{}", env, dcsUrl, dcsUrlLabel, "environment");
        }
        try {
            return fromYaml(Files.readString(file), env, dcsUrl, dcsUrlLabel, file.toString());
        } catch (IOException e) {
            return new ClientConfigResult(null, file.toString(), List.of(new ConfigProblem(file.toString(),
                    "cannot read " + file + ": " + ConfigLoader.reason(e))), List.of());
        }
    }

    static ClientConfigResult fromYaml(String yaml, Map<String, String> env, String dcsUrl, String dcsUrlLabel,
                                       String sourceName) {
        Problems problems = new Problems();
        Map<String, Object> tree = ConfigLoader.tree(yaml, sourceName, problems);
        if (tree == null) {
            return new ClientConfigResult(null, sourceName, problems.errors(), problems.warnings());
        }
        EnvOverrides.apply(tree, env, problems);
        if (dcsUrl != null) {
            DcsUrl.apply(tree, dcsUrl, dcsUrlLabel, problems);
        }
        Section root = new Section(tree, "", problems);
        ConfigLoader.checkTopLevelKeys(root);
        String scope = root.string("scope");
        String scopeProblem = scope == null ? null : MemberNames.problemWithScope(scope);
        if (scopeProblem != null) {
            problems.error("scope", scopeProblem);
        }
        String namespace = root.string("namespace", "/service");
        boolean anyDcs = root.has("etcd") || root.has("etcd3") || ConfigLoader.OTHER_DCS.stream().anyMatch(root::has);
        EtcdConfig etcd = anyDcs ? ConfigLoader.etcd(root) : null;
        Section restapi = root.section("restapi");
        RestClientConfig rest = CtlParser.parse(root.section("ctl"), RestApiParser.authentication(restapi),
                RestApiParser.cafile(restapi));
        ClientConfig config = problems.hasErrors() ? null : new ClientConfig(scope, namespace, etcd, rest);
        return new ClientConfigResult(config, sourceName, problems.errors(), problems.warnings());
    }

    /**
     * How the agent itself calls its peers' unsafe endpoints ({@code POST /failsafe}), by bulwarkctl's rule:
     * {@code ctl.authentication} else {@code restapi.authentication}, {@code ctl.cacert} else
     * {@code restapi.cafile}, {@code ctl.certfile}/{@code ctl.keyfile}. The agent's tree was validated when it
     * was loaded, so problems are not reported again here.
     */
    public static RestClientConfig restClientOf(Map<String, Object> agentTree) {
        Problems problems = new Problems();
        Section root = new Section(agentTree == null ? Map.of() : agentTree, "", problems);
        Section restapi = root.section("restapi");
        return CtlParser.parse(root.section("ctl"), RestApiParser.authentication(restapi),
                RestApiParser.cafile(restapi));
    }
}
