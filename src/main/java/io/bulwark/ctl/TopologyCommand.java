package io.bulwark.ctl;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code topology [CLUSTER...]}: the member table as a replication tree ({@code + } per level). */
@Command(name = "topology", mixinStandardHelpOptions = true, versionProvider = BulwarkCtl.Version.class,
        description = "Prints ASCII topology for given cluster")
final class TopologyCommand implements Callable<Integer> {
    @Parameters(paramLabel = "CLUSTER", arity = "0..*", description = "Cluster names (default: scope)")
    List<String> clusters;

    @Option(names = "-W", description = "Auto update the screen every 2 seconds")
    boolean watchEveryTwo;

    @Option(names = {"-w", "--watch"}, paramLabel = "SECONDS", description = "Auto update the screen every X seconds")
    Double watch;

    @Option(names = "--max-iterations", hidden = true, description = "Stop watching after this many updates (tests)")
    Integer maxIterations;

    private final BulwarkCtl root;

    TopologyCommand(BulwarkCtl root) {
        this.root = root;
    }

    @Override
    public Integer call() throws InterruptedException {
        Watch.repeat(root.out, watchEveryTwo, watch, maxIterations, true,
                () -> ListCommand.printMembers(root, clusters, false, false, TableOutput.Style.TOPOLOGY) == 0);
        return 0;
    }
}
