package io.bulwark.ctl;

import io.bulwark.dcs.Cluster;
import io.bulwark.dcs.DcsCodec;
import io.bulwark.dcs.Member;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code switchover} and {@code failover}: patronictl's {@code _do_failover_or_switchover}. Prints the cluster,
 * checks leader and candidate, asks what was not given (unless {@code --force}), then POSTs {@code /switchover}
 * or {@code /failover} to the leader (the candidate when there is none) and prints the server's answer. Only
 * when no member answers at all does it write the {@code failover} key itself, as patronictl does.
 */
final class FailoverCommands {
    private FailoverCommands() {
    }

    @Command(name = "switchover", mixinStandardHelpOptions = true, versionProvider = BulwarkCtl.Version.class,
            description = "Switchover to a replica")
    static final class Switchover implements Callable<Integer> {
        @Parameters(paramLabel = "CLUSTER", arity = "0..1", description = "Cluster name (default: scope)")
        String cluster;

        @Option(names = {"--leader", "--primary"}, paramLabel = "NAME", description = "The name of the current leader")
        String leader;

        @Option(names = "--candidate", paramLabel = "NAME", description = "The name of the candidate")
        String candidate;

        @Option(names = "--scheduled", paramLabel = "TIMESTAMP",
                description = "Timestamp of a scheduled switchover in unambiguous format (e.g. ISO 8601), or now")
        String scheduled;

        @Option(names = "--force", description = "Do not ask for confirmation at any point")
        boolean force;

        private final BulwarkCtl root;

        Switchover(BulwarkCtl root) {
            this.root = root;
        }

        @Override
        public Integer call() {
            return run(root, "switchover", cluster, candidate, force, leader, scheduled);
        }
    }

    @Command(name = "failover", mixinStandardHelpOptions = true, versionProvider = BulwarkCtl.Version.class,
            description = "Failover to a replica")
    static final class Failover implements Callable<Integer> {
        @Parameters(paramLabel = "CLUSTER", arity = "0..1", description = "Cluster name (default: scope)")
        String cluster;

        @Option(names = "--candidate", paramLabel = "NAME", description = "The name of the candidate")
        String candidate;

        @Option(names = "--force", description = "Do not ask for confirmation at any point")
        boolean force;

        private final BulwarkCtl root;

        Failover(BulwarkCtl root) {
            this.root = root;
        }

        @Override
        public Integer call() {
            return run(root, "failover", cluster, candidate, force, null, null);
        }
    }

    static int run(BulwarkCtl root, String action, String clusterName, String candidate, boolean force,
                   String switchoverLeader, String switchoverScheduled) {
        CtlTarget target = root.config().target(clusterName);
        String name = target.scope();
        Cluster cluster = root.readCluster(target);
        root.out.println("Current cluster topology");
        MemberTable.print(root.out, cluster, name, false, TableOutput.Style.PRETTY);
        ClusterSettingsView settings = ClusterSettingsView.of(cluster);

        String clusterLeader = cluster.leader() == null || cluster.leader().name().isEmpty() ? null
                : cluster.leader().name();
        if (action.equals("switchover")) {
            if (clusterLeader == null) {
                throw new CtlException("This cluster has no leader");
            }
            if (switchoverLeader == null) {
                switchoverLeader = force ? clusterLeader : root.prompter()
                        .prompt(settings.standbyCluster() ? "Standby Leader" : "Primary", clusterLeader);
            }
            if (!clusterLeader.equals(switchoverLeader)) {
                throw new CtlException("Member " + switchoverLeader + " is not the leader of cluster " + name);
            }
        }
        List<String> candidates = cluster.members().stream()
                .filter(m -> !m.name().equals(clusterLeader) && m.data().mayFailover())
                .map(Member::name).sorted().toList();
        if (candidates.isEmpty()) {
            throw new CtlException("No candidates found to " + action + " to");
        }
        if (candidate == null && !force) {
            candidate = root.prompter().prompt("Candidate " + pythonList(candidates), "");
        }
        if (action.equals("failover") && (candidate == null || candidate.isEmpty())) {
            throw new CtlException("Failover could be performed only to a specific candidate");
        }
        if (candidate != null && candidate.isEmpty()) {
            candidate = null;
        }
        if (candidate != null && !candidates.contains(candidate)) {
            if (candidate.equals(clusterLeader)) {
                throw new CtlException("Member " + candidate + " is already the leader of cluster " + name);
            }
            throw new CtlException("Member " + candidate + " does not exist in cluster " + name
                    + " or is tagged as nofailover");
        }
        if (!force && action.equals("failover") && settings.synchronousMode() && cluster.sync() != null
                && !isSync(cluster, candidate)
                && !root.prompter().confirm("Are you sure you want to failover to the asynchronous node "
                + candidate + "?")) {
            throw new CtlException("Aborting " + action);
        }
        OffsetDateTime scheduledAt = null;
        if (action.equals("switchover")) {
            if (switchoverScheduled == null && !force) {
                switchoverScheduled = root.prompter().prompt("When should the switchover take place (e.g. "
                        + ScheduledTime.nextHourExample() + " ) ", "now");
            }
            scheduledAt = ScheduledTime.parse(switchoverScheduled);
            if (scheduledAt != null && settings.paused()) {
                throw new CtlException("Can't schedule switchover in the paused state");
            }
        }
        String scheduledText = scheduledAt == null ? null : ScheduledTime.isoformat(scheduledAt);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("candidate", candidate);
        if (action.equals("switchover")) {
            body.put("leader", switchoverLeader);
        }
        if (scheduledText != null) {
            body.put("scheduled_at", scheduledText);
        }
        if (!force) {
            String demote = clusterLeader != null ? ", demoting current leader " + clusterLeader : "";
            if (scheduledText != null) {
                if (!root.prompter().confirm("Are you sure you want to schedule switchover of cluster " + name
                        + " at " + scheduledText + demote + "?")) {
                    throw new CtlException("Aborting scheduled " + action);
                }
            } else if (!root.prompter().confirm("Are you sure you want to " + action + " cluster " + name
                    + demote + "?")) {
                throw new CtlException("Aborting " + action);
            }
        }
        Member via = clusterLeader != null ? MemberSelection.leaderMember(cluster)
                : cluster.member(candidate).orElseThrow();
        try {
            MemberApi.Response r = root.api().call(via, "POST", action, body);
            if (r.status() == 501 && action.equals("switchover")
                    && r.body().contains("Server does not support this operation")) {
                r = root.api().call(via, "POST", "failover", body);
            }
            if (r.status() != 200 && r.status() != 202) {
                String result = r.body().toLowerCase().contains("status unknown") ? "result unknown" : "failed";
                root.out.println(title(action) + " " + result + ", details: " + r.status() + ", " + r.body());
                return 1;
            }
            cluster = root.readCluster(target);
            root.out.println(BulwarkCtl.timestamp(6) + " " + r.body());
        } catch (MemberApi.Unreachable e) {
            root.err.println("Warning: " + e.getMessage());
            root.out.println(BulwarkCtl.timestamp(6) + " Could not " + action + " using Patroni api, falling back to DCS");
            String json = DcsCodec.encodeFailover(new io.bulwark.dcs.Failover(0, switchoverLeader, candidate,
                    scheduledAt));
            root.withDcs(target, dcs -> dcs.setFailover(json, null));
        }
        MemberTable.print(root.out, cluster, name, false, TableOutput.Style.PRETTY);
        return 0;
    }

    private static boolean isSync(Cluster cluster, String candidate) {
        String sync = cluster.sync().syncStandby();
        if (sync == null || sync.isBlank()) {
            return true; // patronictl asks only when the sync key names someone
        }
        return Arrays.stream(sync.split(",")).map(String::strip).anyMatch(s -> s.equals(candidate));
    }

    /** Python's {@code str(list)}: {@code ['a', 'b']}. */
    static String pythonList(List<String> items) {
        return items.stream().map(s -> "'" + s + "'").collect(Collectors.joining(", ", "[", "]"));
    }

    private static String title(String action) {
        return Character.toUpperCase(action.charAt(0)) + action.substring(1);
    }
}
