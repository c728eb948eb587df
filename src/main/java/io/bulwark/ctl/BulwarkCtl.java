package io.bulwark.ctl;

import io.bulwark.api.Versions;
import io.bulwark.dcs.Cluster;
import io.bulwark.dcs.Dcs;
import io.bulwark.dcs.DcsException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code bulwarkctl}: patronictl's commands, options and output (reference §5) for a Bulwark (or Patroni) cluster.
 * It reads cluster state from the DCS directly, as patronictl does, and never touches a node's PostgreSQL.
 *
 * <p>Exit codes: 0 success, 1 the command failed ({@code Error: ...} on stderr), 2 bad arguments (picocli's
 * message names the option).
 */
@Command(name = "bulwarkctl", mixinStandardHelpOptions = true, version = "bulwarkctl " + Versions.BULWARK,
        description = "Command-line interface for a Bulwark/Patroni PostgreSQL cluster.")
public final class BulwarkCtl {
    @Option(names = {"-c", "--config-file"}, paramLabel = "FILE",
            description = "Configuration file (default: $PATRONICTL_CONFIG_FILE or ~/.config/patroni/patronictl.yaml)")
    Path configFile;

    @Option(names = {"-d", "--dcs-url", "--dcs"}, paramLabel = "URL",
            description = "The DCS connect url, e.g. etcd3://host:2379[/namespace] (default: $DCS_URL)")
    String dcsUrl;

    @Option(names = {"-k", "--insecure"}, description = "Allow connections to SSL sites without certs")
    boolean insecure;

    final PrintStream out;
    final PrintStream err;
    private final Map<String, String> env;
    private final Function<CtlTarget, Dcs> dcsFactory;
    private CtlConfig config;

    private BulwarkCtl(PrintStream out, PrintStream err, Map<String, String> env,
                       Function<CtlTarget, Dcs> dcsFactory) {
        this.out = out;
        this.err = err;
        this.env = env;
        this.dcsFactory = dcsFactory;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, System.getenv()));
    }

    /** Run with the real DCS ({@link DcsFactory}). */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        return run(args, out, err, env, DcsFactory::open);
    }

    /** Run with {@code dcsFactory} opening the DCS for each cluster a command reads (tests pass an in-memory one). */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env,
                          Function<CtlTarget, Dcs> dcsFactory) {
        BulwarkCtl root = new BulwarkCtl(out, err, env, dcsFactory);
        CommandLine cmd = new CommandLine(root)
                .addSubcommand("list", new ListCommand(root))
                .addSubcommand("topology", new TopologyCommand(root))
                .addSubcommand("history", new HistoryCommand(root))
                .addSubcommand("haproxy-config", new HaproxyConfigCommand(root))
                .addSubcommand("version", new VersionCommand(root));
        cmd.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cmd.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        cmd.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof CtlException || e instanceof UnsupportedOperationException) {
                err.println("Error: " + e.getMessage());
                return 1;
            }
            throw e;
        });
        if (args.length == 0) {
            cmd.usage(out);
            return 0;
        }
        return cmd.execute(args);
    }

    /** The resolved configuration, loaded on first use (so {@code version} works without any). */
    CtlConfig config() {
        if (config == null) {
            String fromEnv = env.get("PATRONICTL_CONFIG_FILE");
            Path file = configFile != null ? configFile : fromEnv != null ? Path.of(fromEnv) : defaultConfigFile();
            boolean explicit = configFile != null || fromEnv != null;
            String url = dcsUrl != null ? dcsUrl : env.get("DCS_URL");
            config = CtlConfig.load(file, explicit, url, insecure, env);
        }
        return config;
    }

    /** patronictl's default: {@code $XDG_CONFIG_HOME/patroni/patronictl.yaml} or {@code ~/.config/patroni/...}. */
    private Path defaultConfigFile() {
        String xdg = env.get("XDG_CONFIG_HOME");
        String home = env.get("HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "patroni", "patronictl.yaml");
        }
        return home == null ? null : Path.of(home, ".config", "patroni", "patronictl.yaml");
    }

    /** {@code -V} on every subcommand prints the same as on the root. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"bulwarkctl " + Versions.BULWARK};
        }
    }

    /** One linearizable read of cluster {@code clusterName} (null = the configured scope). */
    Cluster readCluster(CtlTarget target) {
        try (Dcs dcs = dcsFactory.apply(target)) {
            return dcs.cluster();
        } catch (DcsException e) {
            throw new CtlException("could not read cluster " + target.scope() + " from " + target.endpoints()
                    + ": " + e.getMessage(), e);
        }
    }
}
