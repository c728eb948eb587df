package io.bulwark.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bulwark.dcs.Cluster;
import io.bulwark.dcs.Member;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code backup [CLUSTER] [--type full|diff|incr] [--no-wait]} (Bulwark's; patronictl has none): POST {@code /backup}
 * to the leader, which runs pgBackRest from its {@code bulwark.pgbackrest} section, then poll {@code GET /backup}
 * until it ends and print the outcome. Exit code 0 only when the backup succeeded (or, with {@code --no-wait},
 * started). A standby cluster has no primary to back up: its WAL is the primary site's.
 */
@Command(name = "backup", mixinStandardHelpOptions = true, versionProvider = BulwarkCtl.Version.class,
        description = "Take a pgBackRest backup of the cluster's primary (bulwark.pgbackrest)")
final class BackupCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SILENCE_LIMIT_NANOS = 60_000_000_000L;

    @Parameters(paramLabel = "CLUSTER", arity = "0..1", description = "Cluster name (default: scope)")
    String cluster;

    @Option(names = "--type", paramLabel = "TYPE", defaultValue = "full",
            description = "pgBackRest backup type: full, diff or incr (default: ${DEFAULT-VALUE})")
    String type;

    @Option(names = "--no-wait", description = "Return once the leader has started the backup")
    boolean noWait;

    private final BulwarkCtl root;

    BackupCommand(BulwarkCtl root) {
        this.root = root;
    }

    @Override
    public Integer call() throws InterruptedException {
        if (!io.bulwark.config.PgBackRest.BACKUP_TYPES.contains(type)) {
            throw new CtlException("--type: expected full, diff or incr, got '" + type + "'");
        }
        CtlTarget target = root.config().target(cluster);
        Cluster c = root.readCluster(target);
        if (ClusterSettingsView.of(c).standbyCluster()) {
            throw new CtlException("Cluster " + target.scope() + " is a standby cluster: back up its primary site");
        }
        Member leader = c.leaderMember().orElseThrow(() -> new CtlException("Cluster has no leader"));
        MemberApi.Response r = root.api().call(leader, "POST", "backup", Map.of("type", type));
        if (r.status() != 202) {
            root.out.println("Failed: backup on member " + leader.name() + ", status code=" + r.status() + ", ("
                    + r.body() + ")");
            return 1;
        }
        root.out.println("Started a " + type + " backup on member " + leader.name());
        if (noWait) {
            return 0;
        }
        long startedNanos = System.nanoTime();
        long answeredNanos = startedNanos;
        while (true) {
            Thread.sleep(1000);
            JsonNode st = status(leader);
            String state = st == null ? "unknown" : st.path("state").asText();
            if (st != null) {
                answeredNanos = System.nanoTime();
            } else if (System.nanoTime() - answeredNanos > SILENCE_LIMIT_NANOS) {
                root.out.println("Failed: member " + leader.name() + " has not answered GET /backup for "
                        + SILENCE_LIMIT_NANOS / 1_000_000_000L + " s; the backup's outcome is unknown");
                return 1;
            }
            if (state.equals("succeeded")) {
                root.out.printf("Backup succeeded on member %s (%s, %.1f s)%n", leader.name(), type,
                        (System.nanoTime() - startedNanos) / 1e9);
                return 0;
            }
            if (!state.equals("running") && !state.equals("unknown")) {
                root.out.println("Failed: backup on member " + leader.name() + " " + state + " (exit code "
                        + st.path("exit_code").asText("?") + ")");
                st.path("output").forEach(line -> root.out.println("  " + line.asText()));
                return 1;
            }
        }
    }

    /** The leader's {@code GET /backup}, or null while it does not answer (an agent restart: keep polling). */
    private JsonNode status(Member leader) {
        try {
            MemberApi.Response r = root.api().call(leader, "GET", "backup", null);
            return r.status() == 200 ? JSON.readTree(r.body()) : null;
        } catch (MemberApi.Unreachable | com.fasterxml.jackson.core.JsonProcessingException e) {
            return null;
        }
    }
}
