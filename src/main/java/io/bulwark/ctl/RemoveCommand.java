package io.bulwark.ctl;

import io.bulwark.dcs.Cluster;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/**
 * {@code remove CLUSTER}: wipe the cluster's keys from the DCS after patronictl's three prompts (the cluster
 * name, "Yes I am aware", and the leader's name if there is a leader). There is no {@code --force}: an
 * unattended removal is exactly what the prompts exist to prevent.
 */
@Command(name = "remove", mixinStandardHelpOptions = true, versionProvider = BulwarkCtl.Version.class,
        description = "Remove cluster from DCS")
final class RemoveCommand implements Callable<Integer> {
    static final String AWARE = "Yes I am aware";

    @Parameters(paramLabel = "CLUSTER", description = "Cluster name")
    String cluster;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "pretty",
            description = "Output format: ${COMPLETION-CANDIDATES}")
    OutputFormat format;

    private final BulwarkCtl root;

    RemoveCommand(BulwarkCtl root) {
        this.root = root;
    }

    @Override
    public Integer call() {
        CtlTarget target = root.config().target(cluster);
        Cluster c = root.readCluster(target);
        MemberTable.print(root.out, c, cluster, false, TableOutput.style(format));
        Prompter p = root.prompter();
        if (!p.prompt("Please confirm the cluster name to remove", null).equals(cluster)) {
            throw new CtlException("Cluster names specified do not match");
        }
        if (!p.prompt("You are about to remove all information in DCS for " + cluster + ", please type: \""
                + AWARE + "\"", null).equals(AWARE)) {
            throw new CtlException("You did not exactly type \"" + AWARE + "\"");
        }
        if (c.leader() != null && !c.leader().name().isEmpty()
                && !p.prompt("This cluster currently is healthy. Please specify the leader name to continue", null)
                .equals(c.leader().name())) {
            throw new CtlException("You did not specify the current leader of the cluster");
        }
        root.withDcs(target, dcs -> {
            dcs.deleteCluster();
            return null;
        });
        return 0;
    }
}
