package io.bulwark.ctl;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code haproxy-config [CLUSTER]}: print an HAProxy configuration for the cluster's current members. */
@Command(name = "haproxy-config", mixinStandardHelpOptions = true, versionProvider = BulwarkCtl.Version.class,
        description = "Print an HAProxy configuration routing to the cluster members")
final class HaproxyConfigCommand implements Callable<Integer> {
    @Parameters(paramLabel = "CLUSTER", arity = "0..1", description = "Cluster name (default: scope)")
    String cluster;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "*",
            description = "Address HAProxy listens on (default: ${DEFAULT-VALUE})")
    String bind;

    @Option(names = "--primary-port", defaultValue = "5000", description = "Read-write port (default: ${DEFAULT-VALUE})")
    int primaryPort;

    @Option(names = "--replica-port", defaultValue = "5001", description = "Read-only port (default: ${DEFAULT-VALUE})")
    int replicaPort;

    @Option(names = "--stats-port", defaultValue = "7000", description = "Stats page port (default: ${DEFAULT-VALUE})")
    int statsPort;

    @Option(names = "--maxconn", defaultValue = "100", description = "Per-server connection limit (default: ${DEFAULT-VALUE})")
    int maxconn;

    @Spec
    CommandSpec spec;

    private final BulwarkCtl root;

    HaproxyConfigCommand(BulwarkCtl root) {
        this.root = root;
    }

    @Override
    public Integer call() {
        checkPort("--primary-port", primaryPort);
        checkPort("--replica-port", replicaPort);
        checkPort("--stats-port", statsPort);
        if (primaryPort == replicaPort || primaryPort == statsPort || replicaPort == statsPort) {
            throw new ParameterException(spec.commandLine(),
                    "--primary-port, --replica-port and --stats-port must differ");
        }
        if (maxconn < 1) {
            throw new ParameterException(spec.commandLine(), "--maxconn: expected at least 1, got " + maxconn);
        }
        if (bind.isBlank() || bind.chars().anyMatch(Character::isWhitespace)) {
            throw new ParameterException(spec.commandLine(), "--bind: expected an address or '*', got '"
                    + bind + "'");
        }
        CtlTarget target = root.config().target(cluster);
        HaproxyConfig config = new HaproxyConfig(bind, primaryPort, replicaPort, statsPort, maxconn);
        root.out.print(config.render(target.scope(), root.readCluster(target)));
        return 0;
    }

    private void checkPort(String option, int port) {
        if (port < 1 || port > 65535) {
            throw new ParameterException(spec.commandLine(), option + ": expected a port 1-65535, got "
                    + port);
        }
    }
}
