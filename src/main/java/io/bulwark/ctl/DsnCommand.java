package io.bulwark.ctl;

import io.bulwark.dcs.Member;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code dsn [CLUSTER] [-r ROLE | -m MEMBER]}: {@code host=H port=P} of the leader, a role or a member. */
@Command(name = "dsn", mixinStandardHelpOptions = true, versionProvider = BulwarkCtl.Version.class,
        description = "Generate a dsn for the provided member, defaults to a dsn of the leader")
final class DsnCommand implements Callable<Integer> {
    @Parameters(paramLabel = "CLUSTER", arity = "0..1", description = "Cluster name (default: scope)")
    String cluster;

    @ArgGroup(exclusive = true)
    Which which = new Which();

    /** {@code --role} and {@code --member} are mutually exclusive (picocli says so, exit 2). */
    static final class Which {
        @Option(names = {"-r", "--role"}, paramLabel = "ROLE", completionCandidates = CtlRole.Names.class,
                description = "Give a dsn of any member with this role: ${COMPLETION-CANDIDATES}")
        CtlRole role;

        @Option(names = {"-m", "--member"}, paramLabel = "MEMBER", description = "Generate a dsn for this member")
        String member;
    }

    private final BulwarkCtl root;

    DsnCommand(BulwarkCtl root) {
        this.root = root;
    }

    @Override
    public Integer call() {
        Member m = MemberSelection.any(root.readCluster(root.config().target(cluster)), which.role, which.member);
        if (m == null) {
            throw new CtlException("Can not find a suitable member");
        }
        root.out.println(ConnUrl.parse(m.name(), m.data().connUrl()).dsn());
        return 0;
    }
}
