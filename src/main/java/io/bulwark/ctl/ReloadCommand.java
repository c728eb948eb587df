package io.bulwark.ctl;

import io.bulwark.dcs.Cluster;
import io.bulwark.dcs.Member;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code reload CLUSTER [MEMBER...]}: POST {@code /reload} (SIGHUP) to each selected member. */
@Command(name = "reload", mixinStandardHelpOptions = true, versionProvider = BulwarkCtl.Version.class,
        description = "Reload cluster member configuration")
final class ReloadCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CLUSTER", description = "Cluster name")
    String cluster;

    @Parameters(index = "1..*", paramLabel = "MEMBER", arity = "0..*", description = "Members to reload")
    List<String> members;

    @Option(names = {"-r", "--role"}, paramLabel = "ROLE", defaultValue = "any",
            completionCandidates = CtlRole.Names.class,
            description = "Reload only members with this role: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    CtlRole role;

    @Option(names = "--force", description = "Do not ask for confirmation at any point")
    boolean force;

    private final BulwarkCtl root;

    ReloadCommand(BulwarkCtl root) {
        this.root = root;
    }

    @Override
    public Integer call() {
        CtlTarget target = root.config().target(cluster);
        Cluster c = root.readCluster(target);
        List<Member> chosen = MemberSelection.select(root, c, cluster, members, role, force, "reload", true);
        boolean ok = true;
        for (Member m : chosen) {
            try {
                MemberApi.Response r = root.api().call(m, "POST", "reload", null);
                if (r.status() == 200) {
                    root.out.println("No changes to apply on member " + m.name());
                } else if (r.status() == 202) {
                    root.out.println("Reload request received for member " + m.name()
                            + " and will be processed within " + ClusterSettingsView.of(c).loopWait() + " seconds");
                } else {
                    root.out.println("Failed: reload for member " + m.name() + ", status code=" + r.status() + ", ("
                            + r.body() + ")");
                    ok = false;
                }
            } catch (MemberApi.Unreachable e) {
                ok = Responses.unreachable(root.out, m.name(), "reload", e);
            }
        }
        return ok ? 0 : 1;
    }
}
