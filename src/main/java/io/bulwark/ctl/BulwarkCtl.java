package io.bulwark.ctl;

import io.bulwark.api.Versions;
import io.bulwark.dcs.Cluster;
import io.bulwark.dcs.Dcs;
import io.bulwark.dcs.DcsException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code bulwarkctl}: patronictl's commands, options and output (reference §5) for a Bulwark (or Patroni) cluster.
 * It reads cluster state from the DCS directly and acts through members' REST APIs ({@link MemberApi}: the base
 * URL is each member key's {@code api_url}), or by compare-and-set writes of the {@code config} and
 * {@code failover} keys, as patronictl does. Only {@code query} connects to PostgreSQL.
 *
 * <p>Exit codes: 0 success, 1 the command failed or was refused ({@code Error: ...} on stderr, or a member's
 * {@code Failed: ...} answer), 2 bad arguments (picocli's message names the option). Prompts read stdin; end of
 * input is never consent.
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
    final Map<String, String> env;
    private final InputStream in;
    private final Function<CtlTarget, Dcs> dcsFactory;
    private CtlConfig config;
    private Prompter prompter;
    private MemberApi api;

    private BulwarkCtl(InputStream in, PrintStream out, PrintStream err, Map<String, String> env,
                       Function<CtlTarget, Dcs> dcsFactory) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.env = env;
        this.dcsFactory = dcsFactory;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out, System.err, System.getenv(), DcsFactory::open));
    }

    /** Run with the real DCS ({@link DcsFactory}) and no stdin (every prompt is answered "no"). */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        return run(args, InputStream.nullInputStream(), out, err, env, DcsFactory::open);
    }

    /** Run with {@code dcsFactory} opening the DCS for each cluster a command reads (tests pass an in-memory one). */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env,
                          Function<CtlTarget, Dcs> dcsFactory) {
        return run(args, InputStream.nullInputStream(), out, err, env, dcsFactory);
    }

    /**
     * Run with prompts answered from {@code in} (one line per prompt). REST calls go to each member key's
     * {@code api_url}, so a test points members at its own HTTP server.
     */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err, Map<String, String> env,
                          Function<CtlTarget, Dcs> dcsFactory) {
        BulwarkCtl root = new BulwarkCtl(in, out, err, env, dcsFactory);
        CommandLine cmd = new CommandLine(root);
        cmd.registerConverter(CtlRole.class, CtlRole::parse);
        cmd.addSubcommand("list", new ListCommand(root))
                .addSubcommand("topology", new TopologyCommand(root))
                .addSubcommand("history", new HistoryCommand(root))
                .addSubcommand("switchover", new FailoverCommands.Switchover(root))
                .addSubcommand("failover", new FailoverCommands.Failover(root))
                .addSubcommand("restart", new RestartCommand(root))
                .addSubcommand("reload", new ReloadCommand(root))
                .addSubcommand("reinit", new ReinitCommand(root))
                .addSubcommand("flush", new FlushCommand(root))
                .addSubcommand("pause", new PauseCommands.Pause(root))
                .addSubcommand("resume", new PauseCommands.Resume(root))
                .addSubcommand("demote-cluster", new ClusterRoleCommands.Demote(root))
                .addSubcommand("promote-cluster", new ClusterRoleCommands.Promote(root))
                .addSubcommand("backup", new BackupCommand(root))
                .addSubcommand("show-config", new ShowConfigCommand(root))
                .addSubcommand("edit-config", new EditConfigCommand(root))
                .addSubcommand("remove", new RemoveCommand(root))
                .addSubcommand("dsn", new DsnCommand(root))
                .addSubcommand("query", new QueryCommand(root))
                .addSubcommand("haproxy-config", new HaproxyConfigCommand(root))
                .addSubcommand("version", new VersionCommand(root))
                .addSubcommand("completion", new CompletionCommand(root));
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
            config = CtlConfig.load(file, explicit, url, dcsUrl != null ? "--dcs-url" : "DCS_URL", insecure, env);
            config.warnings().forEach(w -> err.println("Warning: " + w));
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

    /** Answers to prompts come from stdin (or the test's stream). */
    Prompter prompter() {
        if (prompter == null) {
            prompter = new Prompter(in, out, in == System.in);
        }
        return prompter;
    }

    /** REST client with the configuration's credentials and TLS settings. */
    MemberApi api() {
        if (api == null) {
            api = new MemberApi(config().restClient());
        }
        return api;
    }

    /** The raw stdin, for {@code --apply -} and {@code --replace -}. */
    InputStream in() {
        return in;
    }

    /** patronictl's {@code timestamp(precision)}: {@code 2024-01-02 10:11:12.12345} (6) or without fraction (0). */
    static String timestamp(int precision) {
        String full = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS"));
        return full.substring(0, full.length() - 7 + precision);
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
        return withDcs(target, Dcs::cluster);
    }

    /** A DCS operation that may read and write; {@link DcsException} becomes a {@link CtlException} naming it. */
    <T> T withDcs(CtlTarget target, DcsCall<T> call) {
        try (Dcs dcs = dcsFactory.apply(target)) {
            return call.apply(dcs);
        } catch (DcsException e) {
            throw new CtlException("could not read cluster " + target.scope() + " from " + target.endpoints()
                    + ": " + e.getMessage(), e);
        }
    }

    /** One use of an open DCS. */
    interface DcsCall<T> {
        T apply(Dcs dcs) throws DcsException;
    }
}
