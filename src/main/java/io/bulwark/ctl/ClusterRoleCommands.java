package io.bulwark.ctl;

import io.bulwark.dcs.Cluster;
import io.bulwark.dcs.Member;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/**
 * Patroni 4's {@code demote-cluster} / {@code promote-cluster} (reference §5, §6): PATCH {@code /config} with
 * {@code {"standby_cluster": {...}}} / {@code {"standby_cluster": null}} on the leader, then poll the DCS until the
 * leader's member key shows the new role. A planned site switchover is demote-cluster on the old site, then (once
 * the new site's standby leader has replayed the position demote-cluster prints) promote-cluster on the new one:
 * see docs/dr.md. {@code promote-cluster --wait-for-lsn} (Bulwark's) refuses to promote before that.
 */
final class ClusterRoleCommands {
    /** How long the commands wait for the leader to take its new role (a fast stop and a start, or a promotion). */
    static final long WAIT_SECONDS = 120;

    private ClusterRoleCommands() {
    }

    @Command(name = "demote-cluster", mixinStandardHelpOptions = true, versionProvider = BulwarkCtl.Version.class,
            description = "Demote cluster to a standby cluster")
    static final class Demote implements Callable<Integer> {
        @Parameters(paramLabel = "CLUSTER", arity = "0..1", description = "Cluster name (default: scope)")
        String cluster;

        @Option(names = "--host", description = "Address of the remote node")
        String host;

        @Option(names = "--port", description = "Port of the remote node")
        Integer port;

        @Option(names = "--restore-command", description = "Command to restore WAL records from the remote primary")
        String restoreCommand;

        @Option(names = "--primary-slot-name", description = "Name of the slot on the remote node to use for"
                + " replication")
        String primarySlotName;

        @Option(names = "--force", description = "Do not ask for confirmation at any point")
        boolean force;

        private final BulwarkCtl root;

        Demote(BulwarkCtl root) {
            this.root = root;
        }

        @Override
        public Integer call() throws InterruptedException {
            if (blank(host) && port == null && blank(restoreCommand)) {
                throw new CtlException("At least --host, --port or --restore-command should be specified");
            }
            if (port != null && (port < 1 || port > 65535)) {
                throw new CtlException("--port: expected a port number 1..65535, got " + port);
            }
            Map<String, Object> standby = new LinkedHashMap<>();
            putIfSet(standby, "host", host);
            if (port != null) {
                standby.put("port", port);
            }
            putIfSet(standby, "primary_slot_name", primarySlotName);
            putIfSet(standby, "restore_command", restoreCommand);
            Map<String, Object> body = new HashMap<>();
            body.put("standby_cluster", standby);
            int rc = change(root, cluster, force, true, body);
            if (rc == 0) {
                Cluster after = root.readCluster(root.config().target(cluster));
                long end = after.status().optime();
                if (end > 0) {
                    root.out.println("The WAL of the former primary ends at " + lsn(end) + ": promote the other site"
                            + " only once its standby leader has replayed it (bulwarkctl promote-cluster"
                            + " --wait-for-lsn " + lsn(end) + ")");
                }
            }
            return rc;
        }
    }

    @Command(name = "promote-cluster", mixinStandardHelpOptions = true, versionProvider = BulwarkCtl.Version.class,
            description = "Promote cluster, make it run standalone")
    static final class Promote implements Callable<Integer> {
        @Parameters(paramLabel = "CLUSTER", arity = "0..1", description = "Cluster name (default: scope)")
        String cluster;

        @Option(names = "--force", description = "Do not ask for confirmation at any point")
        boolean force;

        @Option(names = "--wait-for-lsn", paramLabel = "LSN", description = "Bulwark: promote only once the standby"
                + " leader has replayed WAL up to LSN (the position demote-cluster printed on the old site); wait up"
                + " to " + WAIT_SECONDS + " s for it")
        String waitForLsn;

        private final BulwarkCtl root;

        Promote(BulwarkCtl root) {
            this.root = root;
        }

        @Override
        public Integer call() throws InterruptedException {
            if (waitForLsn != null) {
                long target = parseLsn(waitForLsn);
                if (!awaitReplay(root, cluster, target)) {
                    return 1;
                }
            }
            Map<String, Object> body = new HashMap<>();
            body.put("standby_cluster", null);
            return change(root, cluster, force, false, body);
        }
    }

    private static int change(BulwarkCtl root, String clusterName, boolean force, boolean demote,
                              Map<String, Object> body) throws InterruptedException {
        CtlTarget target = root.config().target(clusterName);
        Cluster cluster = root.readCluster(target);
        if (cluster.leaderMember().isEmpty()) {
            throw new CtlException("Cluster has no leader");
        }
        boolean standby = ClusterSettingsView.of(cluster).standbyCluster();
        if (demote && standby) {
            throw new CtlException("Cluster is already in the standby mode");
        }
        if (!demote && !standby) {
            throw new CtlException("Cluster is already in the primary mode");
        }
        String verb = demote ? "demote" : "promote";
        if (!force && !root.prompter().confirm("Are you sure you want to " + verb + " " + target.scope()
                + " cluster?")) {
            throw new CtlException("Aborted cluster " + (demote ? "demotion" : "promotion"));
        }
        Member leader = cluster.leaderMember().get();
        MemberApi.Response r;
        try {
            r = root.api().call(leader, "PATCH", "config", body);
        } catch (MemberApi.Unreachable e) {
            throw new CtlException("Member " + leader.name() + " is not accessible: " + e.getMessage(), e);
        }
        if (r.status() != 200) {
            root.out.println("Failed: " + verb + " cluster status code=" + r.status() + ", (" + r.body() + ")");
            return 1;
        }
        root.out.println("'" + verb + "-cluster' request sent, waiting until the leader is "
                + (demote ? "a standby leader" : "a running primary"));
        Predicate<Member> done = demote
                ? m -> "standby_leader".equals(m.data().role()) && "running".equals(m.data().state())
                : m -> m.data().isPrimaryRole() && "running".equals(m.data().state());
        long deadline = System.nanoTime() + WAIT_SECONDS * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            Cluster now = root.readCluster(target);
            if (now.leaderMember().filter(done).isPresent()) {
                root.out.println("Cluster " + (demote ? "demoted" : "promoted") + ": " + now.leader().name()
                        + " is the " + (demote ? "standby leader" : "primary"));
                return 0;
            }
            Thread.sleep(200);
        }
        root.out.println("Timed out after " + WAIT_SECONDS + " s waiting for the leader to become "
                + (demote ? "a standby leader" : "a running primary") + "; check bulwarkctl list");
        return 1;
    }

    /** Polls the standby leader's member key until it has replayed {@code target}. */
    private static boolean awaitReplay(BulwarkCtl root, String clusterName, long target) throws InterruptedException {
        CtlTarget t = root.config().target(clusterName);
        long deadline = System.nanoTime() + WAIT_SECONDS * 1_000_000_000L;
        long seen = -1;
        while (true) {
            Cluster now = root.readCluster(t);
            Long replayed = now.leaderMember().map(m -> m.data().replayLsn()).orElse(null);
            seen = replayed == null ? seen : replayed;
            if (seen >= target) {
                root.out.println("The standby leader has replayed " + lsn(seen) + " (>= " + lsn(target) + ")");
                return true;
            }
            if (System.nanoTime() >= deadline) {
                root.out.println("Not promoting: the standby leader has replayed " + (seen < 0 ? "nothing known"
                        : lsn(seen)) + ", not " + lsn(target) + ", after " + WAIT_SECONDS + " s; promoting now would"
                        + " lose the writes after that position");
                return false;
            }
            Thread.sleep(200);
        }
    }

    static long parseLsn(String text) {
        String[] parts = text.trim().split("/");
        try {
            if (parts.length != 2) {
                throw new NumberFormatException();
            }
            return (Long.parseLong(parts[0], 16) << 32) + Long.parseLong(parts[1], 16);
        } catch (NumberFormatException e) {
            throw new CtlException("--wait-for-lsn: expected an LSN like 0/3000060, got \"" + text + "\"");
        }
    }

    static String lsn(long position) {
        return String.format("%X/%X", position >>> 32, position & 0xFFFFFFFFL);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static void putIfSet(Map<String, Object> into, String key, String value) {
        if (!blank(value)) {
            into.put(key, value);
        }
    }
}
