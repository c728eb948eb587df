package io.bulwark.ctl;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code topology [CLUSTER...]}: the member table as a replication tree ({@code + } per level). */
@Command(name = "topology", mixinStandardHelpOptions = true, versionProvider = BulwarkCtl.Version.class,
        description = "Prints ASCII topology for given cluster")
final class TopologyCommand implements Callable<Integer> {
    @Parameters(paramLabel = "CLUSTER", arity = "0..*", description = "Cluster names (default: scope)")
    List<String> clusters;

    private final BulwarkCtl root;

    TopologyCommand(BulwarkCtl root) {
        this.root = root;
    }

    @Override
    public Integer call() {
        return ListCommand.printMembers(root, clusters, false, false, TableOutput.Style.TOPOLOGY);
    }
}
