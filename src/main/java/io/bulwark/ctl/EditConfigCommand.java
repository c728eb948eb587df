package io.bulwark.ctl;

import io.bulwark.config.ConfigProblem;
import io.bulwark.config.DynamicConfigParser;
import io.bulwark.dcs.Cluster;
import io.bulwark.dcs.ClusterConfig;
import io.bulwark.dcs.DcsCodec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code edit-config [CLUSTER]}: change the {@code config} key by compare-and-set on the version read, as
 * patronictl does. Edits come from {@code --replace}, then {@code --apply}, then {@code --set}/{@code --pg}, or
 * else from {@code $EDITOR}. The result must pass {@link DynamicConfigParser} (patronictl writes anything):
 * a config the agents would reject is never written.
 */
@Command(name = "edit-config", mixinStandardHelpOptions = true, versionProvider = BulwarkCtl.Version.class,
        description = "Edit cluster configuration")
final class EditConfigCommand implements Callable<Integer> {
    @Parameters(paramLabel = "CLUSTER", arity = "0..1", description = "Cluster name (default: scope)")
    String cluster;

    @Option(names = {"-q", "--quiet"}, description = "Do not show changes")
    boolean quiet;

    @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE",
            description = "Set specific configuration value. Can be specified multiple times")
    List<String> set = new ArrayList<>();

    @Option(names = {"-p", "--pg"}, paramLabel = "NAME=VALUE", description = "Set specific PostgreSQL parameter"
            + " value. Shorthand for -s postgresql.parameters. Can be specified multiple times")
    List<String> pg = new ArrayList<>();

    @Option(names = "--apply", paramLabel = "FILE", description = "Apply configuration from file. Use - for stdin.")
    String apply;

    @Option(names = "--replace", paramLabel = "FILE",
            description = "Apply configuration from file, replacing existing configuration. Use - for stdin.")
    String replace;

    @Option(names = "--force", description = "Do not ask for confirmation at any point")
    boolean force;

    private final BulwarkCtl root;

    EditConfigCommand(BulwarkCtl root) {
        this.root = root;
    }

    @Override
    public Integer call() {
        CtlTarget target = root.config().target(cluster);
        Cluster c = root.readCluster(target);
        if (c.config() == null) {
            throw new CtlException("The config key does not exist in the cluster " + target.scope());
        }
        if (!c.config().readable() && replace == null) {
            throw new CtlException("The config key of the cluster " + target.scope() + " holds no JSON object, so"
                    + " there is nothing to edit (the agents keep their last good configuration); write a whole new"
                    + " one with --replace FILE");
        }
        Map<String, Object> original = c.config().data();
        String before = YamlText.block(original);
        Map<String, Object> changed = ConfigEdits.copy(original);
        boolean edited = false;
        if (replace != null) {
            changed = ConfigEdits.copy(Map.of());
            ConfigEdits.patch(changed, ConfigEdits.parseMapping(read(replace), "--replace " + replace));
            edited = true;
        }
        if (apply != null) {
            ConfigEdits.patch(changed, ConfigEdits.parseMapping(read(apply), "--apply " + apply));
            edited = true;
        }
        for (String pair : set) {
            ConfigEdits.set(changed, pair);
            edited = true;
        }
        for (String pair : pg) {
            ConfigEdits.set(changed, "postgresql.parameters." + pair.stripLeading());
            edited = true;
        }
        if (!edited) {
            changed = ConfigEdits.parseMapping(Editor.edit(root.env, before, target.scope()), "edited config");
        }
        if (changed.equals(original)) {
            if (!quiet) {
                root.out.println("Not changed");
            }
            return 0;
        }
        if (!quiet) {
            UnifiedDiff.diff(YamlText.block(ClusterConfig.masked(original)),
                    YamlText.block(ClusterConfig.masked(changed))).forEach(root.out::println);
        }
        DynamicConfigParser.Result result = DynamicConfigParser.parse(changed, "");
        if (!result.ok()) {
            root.err.println("Error: the new configuration is not valid; nothing was changed:");
            for (ConfigProblem p : result.errors()) {
                root.err.println("  " + p);
            }
            return 1;
        }
        result.warnings().forEach(p -> root.err.println("Warning: " + p));
        if (("-".equals(apply) || "-".equals(replace)) && !force) {
            root.out.println("Use --force option to apply changes");
            return 1;
        }
        if (!force && !root.prompter().confirm("Apply these changes?")) {
            return 1;
        }
        String json = DcsCodec.encodeConfig(changed);
        long version = c.config().version();
        if (!root.withDcs(target, dcs -> dcs.setConfig(json, version))) {
            throw new CtlException("Config modification aborted due to concurrent changes: the config changed"
                    + " after you started editing it");
        }
        root.out.println("Configuration changed");
        return 0;
    }

    private String read(String file) {
        try {
            return file.equals("-") ? new String(root.in().readAllBytes(), StandardCharsets.UTF_8)
                    : Files.readString(Path.of(file));
        } catch (IOException e) {
            throw new CtlException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
