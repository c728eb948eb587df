package io.bulwark.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bulwark.dcs.Cluster;
import io.bulwark.dcs.Member;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code reinit CLUSTER MEMBER...}: POST {@code /reinitialize} {@code {"force", "from_leader"}} to replicas;
 * "already in progress" offers to force it; {@code --wait} polls {@code GET /patroni} every 2 s until the state
 * is no longer {@code creating replica}.
 */
@Command(name = "reinit", mixinStandardHelpOptions = true, versionProvider = BulwarkCtl.Version.class,
        description = "Reinitialize cluster member")
final class ReinitCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(index = "0", paramLabel = "CLUSTER", description = "Cluster name")
    String cluster;

    @Parameters(index = "1..*", paramLabel = "MEMBER", arity = "0..*", description = "Members to reinitialize")
    List<String> members;

    @Option(names = "--force", description = "Do not ask for confirmation at any point")
    boolean force;

    @Option(names = "--from-leader", description = "Get basebackup from leader")
    boolean fromLeader;

    @Option(names = "--wait", description = "Wait until reinitialization completes")
    boolean await;

    @Option(names = "--poll-interval-ms", hidden = true, defaultValue = "2000")
    long pollMillis;

    private final BulwarkCtl root;

    ReinitCommand(BulwarkCtl root) {
        this.root = root;
    }

    @Override
    public Integer call() throws InterruptedException {
        CtlTarget target = root.config().target(cluster);
        Cluster c = root.readCluster(target);
        List<Member> chosen = MemberSelection.select(root, c, cluster, members, CtlRole.REPLICA, force,
                "reinitialize", true);
        boolean ok = true;
        List<Member> waitOn = new ArrayList<>();
        for (Member m : chosen) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("force", force);
            body.put("from_leader", fromLeader);
            try {
                while (true) {
                    MemberApi.Response r = root.api().call(m, "POST", "reinitialize", body);
                    boolean started = Responses.check(root.out, r, m.name(), "reinitialize", false);
                    if (!started && r.body().endsWith(" already in progress") && !force
                            && root.prompter().confirm("Do you want to cancel it and reinitialize anyway?")) {
                        body.put("force", true);
                        continue;
                    }
                    ok &= started;
                    if (started && await) {
                        waitOn.add(m);
                    }
                    break;
                }
            } catch (MemberApi.Unreachable e) {
                ok = Responses.unreachable(root.out, m.name(), "reinitialize", e);
            }
        }
        List<Member> shown = List.of();
        while (!waitOn.isEmpty()) {
            if (!waitOn.equals(shown)) {
                root.out.println("Waiting for reinitialize to complete on: "
                        + String.join(", ", waitOn.stream().map(Member::name).toList()));
                shown = List.copyOf(waitOn);
            }
            Thread.sleep(pollMillis);
            for (Member m : List.copyOf(waitOn)) {
                if (!"creating replica".equals(state(m))) {
                    root.out.println("Reinitialize is completed on: " + m.name());
                    waitOn.remove(m);
                }
            }
        }
        return ok ? 0 : 1;
    }

    /** The member's state from {@code GET /patroni}; an unreachable member is still creating (it may restart). */
    private String state(Member m) {
        try {
            JsonNode j = JSON.readTree(root.api().call(m, "GET", "patroni", null).body());
            return j.path("state").asText("");
        } catch (MemberApi.Unreachable | java.io.IOException e) {
            return "creating replica";
        }
    }
}
