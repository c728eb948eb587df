package io.bulwark.ctl;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code haproxy-config [CLUSTER]}: print an HAProxy configuration for the cluster's current members, or for the
 * servers named by {@code --server} without reading the DCS.
 */
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

    @Option(names = "--leader-port", defaultValue = "0", description = "Also listen on this port, routed to the"
            + " leader-lock holder whatever its role (/leader): the replication source of a standby cluster in"
            + " another site (default: none)")
    int leaderPort;

    @Option(names = "--maxconn", defaultValue = "100", description = "Per-server connection limit (default: ${DEFAULT-VALUE})")
    int maxconn;

    @Option(names = "--server", paramLabel = HaproxyServer.FORMAT,
            description = "Route to this server instead of the DCS members, e.g. node1=node1:5432/8008 (PGPORT"
                    + " default 5432, APIPORT 8008); repeatable, kept in order. With --server the DCS and the"
                    + " configuration file are not read")
    List<String> servers;

    @Option(names = "--resolvers", description = "Add a 'resolvers dns' section (from /etc/resolv.conf) and"
            + " resolve server host names again at run time, so a container that comes back with a new address is"
            + " found again")
    boolean resolvers;

    @Option(names = "--check-ssl", description = "Health-check every server's REST API over HTTPS (agents with"
            + " restapi.certfile); without it only members whose api_url is https:// are")
    boolean checkSsl;

    @Option(names = "--ca-file", paramLabel = "PATH", description = "Verify the agents' certificates in HTTPS checks"
            + " against the CA certificates in PATH (a path inside HAProxy's host or container) and, for servers"
            + " named by host name, that name; without it they are not verified")
    String caFile;

    @Option(names = "--crt", paramLabel = "PATH", description = "Client certificate and key (one PEM file) HAProxy"
            + " presents in HTTPS checks, for agents with restapi.verify_client: required")
    String crt;

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
        if (leaderPort != 0) {
            checkPort("--leader-port", leaderPort);
            if (leaderPort == primaryPort || leaderPort == replicaPort || leaderPort == statsPort) {
                throw new ParameterException(spec.commandLine(), "--leader-port: expected a port other than"
                        + " --primary-port, --replica-port and --stats-port, got " + leaderPort);
            }
        }
        if (maxconn < 1) {
            throw new ParameterException(spec.commandLine(), "--maxconn: expected at least 1, got " + maxconn);
        }
        if (bind.isBlank() || bind.chars().anyMatch(Character::isWhitespace)) {
            throw new ParameterException(spec.commandLine(), "--bind: expected an address or '*', got '"
                    + bind + "'");
        }
        checkPath("--ca-file", caFile);
        checkPath("--crt", crt);
        List<HaproxyServer> named = parseServers();
        if (!named.isEmpty() && !checkSsl && (caFile != null || crt != null)) {
            throw new ParameterException(spec.commandLine(), (caFile != null ? "--ca-file" : "--crt")
                    + ": applies to HTTPS checks; with --server, add --check-ssl (the servers' REST APIs are"
                    + " otherwise checked over plain HTTP)");
        }
        HaproxyConfig config = new HaproxyConfig(bind, primaryPort, replicaPort, statsPort, maxconn, resolvers,
                new HaproxyCheckTls(checkSsl, caFile, crt), leaderPort);
        if (!named.isEmpty()) {
            // No root.config(): a container renders this before any agent registers, and it may have neither a
            // configuration file nor a DCS section (config() fails on a missing -c FILE, target() on no DCS).
            root.out.print(config.render(cluster, named));
            return 0;
        }
        CtlTarget target = root.config().target(cluster);
        root.out.print(config.render(target.scope(), root.readCluster(target)));
        return 0;
    }

    private List<HaproxyServer> parseServers() {
        List<HaproxyServer> out = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        for (String value : servers == null ? List.<String>of() : servers) {
            HaproxyServer server;
            try {
                server = HaproxyServer.parse(value);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--server: " + e.getMessage());
            }
            String earlier = seen.putIfAbsent(server.name(), value);
            if (earlier != null) {
                throw new ParameterException(spec.commandLine(), "--server: expected a NAME used once, got '"
                        + server.name() + "' in '" + earlier + "' and in '" + value + "'");
            }
            out.add(server);
        }
        return out;
    }

    /** A file path HAProxy reads: one token of its configuration, so no whitespace, quotes or '#'. */
    private void checkPath(String option, String path) {
        if (path != null && (path.isBlank() || !path.matches("[^\\s#\"'\\\\]+"))) {
            throw new ParameterException(spec.commandLine(), option + ": expected a file path without whitespace,"
                    + " quotes, '#' or '\\', got '" + path + "'");
        }
    }

    private void checkPort(String option, int port) {
        if (port < 1 || port > 65535) {
            throw new ParameterException(spec.commandLine(), option + ": expected a port 1-65535, got "
                    + port);
        }
    }
}
