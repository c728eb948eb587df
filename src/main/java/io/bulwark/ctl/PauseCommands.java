package io.bulwark.ctl;

import io.bulwark.dcs.Cluster;
import io.bulwark.dcs.Member;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code pause} / {@code resume}: PATCH {@code /config} {@code {"pause": true}} / {@code {"pause": null}} on the
 * first member that answers, leader first (§2.11). {@code --wait} then polls the member keys once a second, for
 * loop_wait + 1 seconds, until every member that was there publishes the new {@code pause} state.
 */
final class PauseCommands {
    private PauseCommands() {
    }

    @Command(name = "pause", mixinStandardHelpOptions = true, versionProvider = BulwarkCtl.Version.class,
            description = "Disable auto failover")
    static final class Pause implements Callable<Integer> {
        @Parameters(paramLabel = "CLUSTER", arity = "0..1", description = "Cluster name (default: scope)")
        String cluster;

        @Option(names = "--wait", description = "Wait until pause is applied on all nodes")
        boolean await;

        private final BulwarkCtl root;

        Pause(BulwarkCtl root) {
            this.root = root;
        }

        @Override
        public Integer call() throws InterruptedException {
            return toggle(root, cluster, true, await);
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, versionProvider = BulwarkCtl.Version.class,
            description = "Resume auto failover")
    static final class Resume implements Callable<Integer> {
        @Parameters(paramLabel = "CLUSTER", arity = "0..1", description = "Cluster name (default: scope)")
        String cluster;

        @Option(names = "--wait", description = "Wait until pause is cleared on all nodes")
        boolean await;

        private final BulwarkCtl root;

        Resume(BulwarkCtl root) {
            this.root = root;
        }

        @Override
        public Integer call() throws InterruptedException {
            return toggle(root, cluster, false, await);
        }
    }

    static int toggle(BulwarkCtl root, String clusterName, boolean paused, boolean await)
            throws InterruptedException {
        CtlTarget target = root.config().target(clusterName);
        Cluster cluster = root.readCluster(target);
        if (ClusterSettingsView.of(cluster).paused() == paused) {
            throw new CtlException("Cluster is " + (paused ? "already" : "not") + " paused");
        }
        Map<String, Object> body = new HashMap<>();
        body.put("pause", paused ? Boolean.TRUE : null);
        for (Member m : MemberSelection.leaderFirst(cluster)) {
            MemberApi.Response r;
            try {
                r = root.api().call(m, "PATCH", "config", body);
            } catch (MemberApi.Unreachable e) {
                root.err.println("Warning: Member " + m.name() + " is not accessible: " + e.getMessage());
                continue;
            }
            if (r.status() != 200) {
                root.out.println("Failed: " + (paused ? "pause" : "resume") + " cluster management status code="
                        + r.status() + ", (" + r.body() + ")");
                return 1;
            }
            if (await) {
                return waitUntilApplied(root, target, paused, cluster);
            }
            root.out.println("Success: cluster management is " + (paused ? "paused" : "resumed"));
            return 0;
        }
        throw new CtlException("Can not find accessible cluster member");
    }

    private static int waitUntilApplied(BulwarkCtl root, CtlTarget target, boolean paused, Cluster old)
            throws InterruptedException {
        root.out.println("'" + (paused ? "pause" : "resume")
                + "' request sent, waiting until it is recognized by all nodes");
        Map<String, Long> before = new HashMap<>();
        old.members().stream().filter(m -> MemberApi.baseUrl(m) != null).forEach(m -> before.put(m.name(), m.version()));
        int loopWait = ClusterSettingsView.of(old).loopWait();
        long deadline = System.nanoTime() + (loopWait + 1) * 1_000_000_000L;
        Cluster now = old;
        while (true) {
            now = root.readCluster(target);
            if (now.members().stream().filter(m -> before.containsKey(m.name()))
                    .allMatch(m -> isPaused(m) == paused)) {
                break;
            }
            if (System.nanoTime() >= deadline) {
                List<String> remaining = now.members().stream().filter(m -> before.containsKey(m.name())
                        && isPaused(m) != paused && before.get(m.name()) != m.version()).map(Member::name).toList();
                if (!remaining.isEmpty()) {
                    root.out.println(String.join(", ", remaining) + " members didn't recognized pause state after "
                            + loopWait + " seconds");
                    return 1;
                }
                break;
            }
            Thread.sleep(1000);
        }
        root.out.println("Success: cluster management is " + (paused ? "paused" : "resumed"));
        return 0;
    }

    private static boolean isPaused(Member m) {
        return ClusterSettingsView.isTrue(m.data().extra().get("pause"));
    }
}
