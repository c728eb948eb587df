package io.bulwark.ctl;

import io.bulwark.dcs.Cluster;
import io.bulwark.dcs.Failover;
import io.bulwark.dcs.Member;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code flush CLUSTER [MEMBER...] restart|switchover}: DELETE {@code /restart} on members with a scheduled
 * restart, or DELETE {@code /switchover} on the first member that answers (leader first); when none answers,
 * clear the {@code failover} key by compare-and-set, as patronictl does.
 */
@Command(name = "flush", mixinStandardHelpOptions = true, versionProvider = BulwarkCtl.Version.class,
        description = "Discard scheduled events")
final class FlushCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CLUSTER", description = "Cluster name")
    String cluster;

    @Parameters(index = "1..*", paramLabel = "MEMBER... restart|switchover", arity = "1..*",
            description = "Members (optional), then what to discard: restart or switchover")
    List<String> rest;

    @Option(names = {"-r", "--role"}, paramLabel = "ROLE", defaultValue = "any",
            completionCandidates = CtlRole.Names.class,
            description = "Flush only members with this role: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    CtlRole role;

    @Option(names = "--force", description = "Do not ask for confirmation at any point")
    boolean force;

    @Spec
    CommandSpec spec;

    private final BulwarkCtl root;

    FlushCommand(BulwarkCtl root) {
        this.root = root;
    }

    @Override
    public Integer call() {
        String what = rest.getLast();
        if (!what.equals("restart") && !what.equals("switchover")) {
            throw new ParameterException(spec.commandLine(), "Invalid value for TARGET: expected restart or"
                    + " switchover as the last argument, got '" + what + "'");
        }
        List<String> names = rest.subList(0, rest.size() - 1);
        CtlTarget target = root.config().target(cluster);
        Cluster c = root.readCluster(target);
        return what.equals("restart") ? flushRestart(c, names) : flushSwitchover(target, c);
    }

    private int flushRestart(Cluster c, List<String> names) {
        boolean ok = true;
        for (Member m : MemberSelection.select(root, c, cluster, names, role, force, "flush", true)) {
            if (m.data().extra().get("scheduled_restart") == null) {
                root.out.println("No scheduled restart for member " + m.name());
                continue;
            }
            try {
                ok &= Responses.check(root.out, root.api().call(m, "DELETE", "restart", null), m.name(),
                        "flush scheduled restart", false);
            } catch (MemberApi.Unreachable e) {
                ok = Responses.unreachable(root.out, m.name(), "flush scheduled restart", e);
            }
        }
        return ok ? 0 : 1;
    }

    private int flushSwitchover(CtlTarget target, Cluster c) {
        Failover failover = c.failover();
        if (failover == null || failover.scheduledAt() == null) {
            root.out.println("No pending scheduled switchover");
            return 0;
        }
        for (Member m : MemberSelection.leaderFirst(c)) {
            try {
                MemberApi.Response r = root.api().call(m, "DELETE", "switchover", null);
                if (r.status() == 200 || r.status() == 404) {
                    root.out.println((r.status() == 200 ? "Success: " : "Failed: ") + r.body());
                    return r.status() == 200 ? 0 : 1;
                }
                root.out.println("Failed: member=" + m.name() + ", status_code=" + r.status() + ", (" + r.body() + ")");
            } catch (MemberApi.Unreachable e) {
                root.err.println("Warning: Member " + m.name() + " is not accessible: " + e.getMessage());
            }
        }
        root.out.println(BulwarkCtl.timestamp(6) + " Could not find any accessible member of cluster " + cluster);
        boolean written = root.withDcs(target, dcs -> dcs.setFailover("{}", failover.version()));
        if (!written) {
            throw new CtlException("the failover key changed meanwhile; nothing was flushed");
        }
        return 0;
    }
}
