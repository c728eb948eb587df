package io.bulwark.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads Patroni's YAML configuration (reference §4) plus {@code PATRONI_*} environment overrides into a
 * validated {@link BulwarkConfig}.
 *
 * <p>Never throws on bad input: every problem is collected into the {@link ConfigResult} with its dotted path,
 * so a user fixes all of them in one round. Facts about this machine (missing data directory, listen addresses
 * that are not local) are warnings here; the start checks (io.bulwark.StartChecks, also run by
 * {@code --validate-config}) decide whether the agent can run on this host. {@link ClientConfigLoader} is the
 * lenient mode of the same reader, for bulwarkctl.
 * Secrets end up in the records and in {@link BulwarkConfig#raw()}; callers must not log either.
 */
public final class ConfigLoader {
    private static final Set<String> SUPPORTED = Set.of("name", "scope", "namespace", "restapi", "ctl", "etcd",
            "etcd3", "bootstrap", "postgresql", "tags", "log", "bulwark");
    private static final Set<String> IGNORED = Set.of("thread_pool_size", "thread_stack_size");
    static final List<String> OTHER_DCS = List.of("consul", "zookeeper", "exhibitor", "kubernetes", "raft");
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

    private ConfigLoader() {
    }

    /** Loads a YAML file; an unreadable file is one error whose path is the file name. */
    public static ConfigResult load(Path file, Map<String, String> env) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            return failure(file.toString(), "cannot read " + file + ": " + reason(e));
        }
        return fromYaml(text, env, file.toString());
    }

    /**
     * Patroni's fallback when no file is given: the whole YAML from {@code PATRONI_CONFIGURATION} (then no
     * other variable is read), else a configuration built from {@code PATRONI_*} variables alone.
     */
    public static ConfigResult fromEnvironment(Map<String, String> env) {
        String whole = env.get("PATRONI_CONFIGURATION");
        if (whole != null && !whole.isBlank()) {
            return fromYaml(whole, Map.of(), "PATRONI_CONFIGURATION");
        }
        return fromYaml("{}", env, "environment");
    }

    /**
     * Parses YAML text, applies {@code env} and validates.
     *
     * @param sourceName names the text in YAML syntax errors, usually the file name
     */
    public static ConfigResult fromYaml(String yaml, Map<String, String> env, String sourceName) {
        Problems problems = new Problems();
        Map<String, Object> root = tree(yaml, sourceName, problems);
        if (root == null) {
            return new ConfigResult(null, problems.errors(), List.of());
        }
        EnvOverrides.apply(root, env, problems);
        BulwarkConfig config = map(new Section(root, "", problems));
        return new ConfigResult(problems.hasErrors() ? null : config, problems.errors(), problems.warnings());
    }

    /** The YAML text as a mutable tree (see {@link Scalars#thaw}); null after recording why it is not one. */
    static Map<String, Object> tree(String yaml, String sourceName, Problems problems) {
        if (yaml.lines().allMatch(l -> l.isBlank() || l.strip().startsWith("#"))) {
            return new LinkedHashMap<>(); // Jackson calls an empty document an error; it is an empty mapping
        }
        Object tree;
        try {
            tree = YAML.readValue(yaml, Object.class);
        } catch (JsonProcessingException e) {
            problems.error(sourceName, yamlError(e));
            return null;
        }
        if (tree != null && !(tree instanceof Map<?, ?>)) {
            problems.error(sourceName, "must be a YAML mapping at the top level, got " + Scalars.describe(tree));
            return null;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> root = tree == null ? new LinkedHashMap<>() : (Map<String, Object>) Scalars.thaw(tree);
        return root;
    }

    private static BulwarkConfig map(Section root) {
        Problems problems = root.problems();
        PgBackRest pgbackrest = BulwarkSectionParser.parse(root.section("bulwark"));
        checkTopLevelKeys(root);
        checkUnsupportedSections(root);
        String name = root.requiredString("name");
        String nameProblem = name == null ? null : MemberNames.problemWithName(name);
        if (nameProblem != null) {
            problems.error("name", nameProblem);
        }
        String scope = root.requiredString("scope");
        String scopeProblem = scope == null ? null : MemberNames.problemWithScope(scope);
        if (scopeProblem != null) {
            problems.error("scope", scopeProblem);
        }
        String namespace = root.string("namespace", "/service");
        RestApiConfig restapi = RestApiParser.parse(root.section("restapi"));
        EtcdConfig etcd = etcd(root);
        BootstrapConfig bootstrap = root.has("bootstrap") ? BootstrapParser.parse(root.section("bootstrap"))
                : BootstrapConfig.defaults();
        PostgresqlConfig postgresql = PostgresqlParser.parse(root.section("postgresql"));
        if (postgresql != null && pgbackrest != null) {
            postgresql = pgbackrest.applyTo(postgresql, root.section("postgresql"));
        }
        Tags tags = TagsParser.parse(root.section("tags"));
        LogConfig log = TagsParser.parseLog(root.section("log"));
        RestClientConfig peers = CtlParser.parse(root.section("ctl"), null,
                restapi == null ? null : restapi.cafile());
        if (problems.hasErrors()) {
            return null;
        }
        if (peers.certfile() == null && restapi.certfile() != null) {
            // Patroni's peer calls fall back to the REST server's own certificate
            peers = new RestClientConfig(null, null, peers.insecure(), peers.cacert(), restapi.certfile(),
                    restapi.keyfile() != null ? restapi.keyfile() : restapi.certfile(), restapi.keyfilePassword());
        }
        return new BulwarkConfig(scope, namespace, name, restapi, etcd, bootstrap, postgresql, tags, log, peers,
                Scalars.freezeMap(root.map()));
    }

    static void checkTopLevelKeys(Section root) {
        Set<String> known = new HashSet<>(SUPPORTED);
        for (String key : root.map().keySet()) {
            if (DynamicConfigParser.isDynamicKey(key) && !SUPPORTED.contains(key)) {
                root.problems().warning(key, "is a dynamic setting: set it in bootstrap.dcs (or in the DCS with "
                        + "bulwarkctl edit-config); local value ignored");
                known.add(key);
            }
        }
        Set<String> ignored = new HashSet<>(IGNORED);
        ignored.addAll(OTHER_DCS);
        known.add("watchdog");
        known.add("citus");
        root.checkKeys(known, ignored);
    }

    /** The agent's checks of top-level Patroni sections it does not implement (bulwarkctl does not need them). */
    private static void checkUnsupportedSections(Section root) {
        checkWatchdog(root);
        if (root.has("citus")) {
            root.problems().unsupported("citus", "not implemented by Bulwark: a Citus cluster's coordinator and"
                    + " workers would not be registered or switched over");
        }
    }

    /**
     * Patroni's {@code watchdog.mode} defaults to {@code automatic} (use one if the host has it); {@code required}
     * makes a member refuse the leader lock without a working watchdog, a guarantee Bulwark cannot give (its
     * fence process is the nearest thing: docs/safety.md).
     */
    private static void checkWatchdog(Section root) {
        if (!root.has("watchdog")) {
            return;
        }
        Object raw = root.value("watchdog") instanceof Map<?, ?> m ? m.get("mode") : null;
        String mode = raw == null ? "automatic" : String.valueOf(raw).trim().toLowerCase(java.util.Locale.ROOT);
        if (mode.equals("required")) {
            root.problems().unsupported("watchdog.mode", "required is not implemented by Bulwark: a member"
                    + " would take the leader lock without any watchdog");
        } else if (!mode.equals("off") && !mode.equals("false")) {
            root.problems().warning("watchdog", "is a Patroni setting Bulwark does not support; ignored (mode "
                    + mode + ": no watchdog device is used)");
        }
    }

    static EtcdConfig etcd(Section root) {
        boolean v2 = root.has("etcd");
        boolean v3 = root.has("etcd3");
        if (v2 && v3) {
            root.problems().error("etcd3", "only one of etcd and etcd3 may be set");
            return null;
        }
        if (!v2 && !v3) {
            List<String> others = OTHER_DCS.stream().filter(root::has).toList();
            root.problems().error("etcd", "is required: no DCS section (etcd or etcd3)"
                    + (others.isEmpty() ? "" : "; " + String.join(", ", others) + " is not supported by Bulwark"));
            return null;
        }
        if (v2) {
            root.problems().warning("etcd", "Bulwark talks to etcd with its v3 API, where Patroni's etcd: section"
                    + " uses the v2 API: v2 and v3 keys are separate, so Patroni members configured with etcd: and"
                    + " Bulwark members would not see each other. In a mixed Patroni/Bulwark cluster, every member"
                    + " must use etcd3:");
        }
        return EtcdParser.parse(root.section(v2 ? "etcd" : "etcd3"));
    }

    private static String yamlError(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        // SnakeYAML's text interleaves its sentences with indented location lines and source snippets.
        String original = e.getOriginalMessage() == null ? "syntax error" : e.getOriginalMessage();
        String message = original.lines().filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0)))
                .collect(Collectors.joining("; "));
        return at == null ? "invalid YAML: " + message
                : "invalid YAML at line " + at.getLineNr() + ", column " + at.getColumnNr() + ": " + message;
    }

    static String reason(IOException e) {
        return switch (e) {
            case NoSuchFileException x -> "no such file";
            case AccessDeniedException x -> "permission denied";
            case MalformedInputException x -> "not valid UTF-8 text";
            default -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        };
    }

    private static ConfigResult failure(String path, String message) {
        return new ConfigResult(null, List.of(new ConfigProblem(path, message)), List.of());
    }
}
