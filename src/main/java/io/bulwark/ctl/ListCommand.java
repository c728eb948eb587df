package io.bulwark.ctl;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code list [CLUSTER...] [-e] [-t] [-f pretty|tsv|json|yaml] [-W | -w SECONDS]}: the members of each cluster. */
@Command(name = "list", mixinStandardHelpOptions = true, versionProvider = BulwarkCtl.Version.class,
        description = "List the members of a cluster")
final class ListCommand implements Callable<Integer> {
    @Parameters(paramLabel = "CLUSTER", arity = "0..*", description = "Cluster names (default: scope)")
    List<String> clusters;

    @Option(names = {"-e", "--extended"}, description = "Show some extra information")
    boolean extended;

    @Option(names = {"-t", "--timestamp"}, description = "Print timestamp")
    boolean timestamp;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "pretty",
            description = "Output format: ${COMPLETION-CANDIDATES}")
    OutputFormat format;

    @Option(names = "-W", description = "Auto update the screen every 2 seconds")
    boolean watchEveryTwo;

    @Option(names = {"-w", "--watch"}, paramLabel = "SECONDS", description = "Auto update the screen every X seconds")
    Double watch;

    @Option(names = "--max-iterations", hidden = true, description = "Stop watching after this many updates (tests)")
    Integer maxIterations;

    private final BulwarkCtl root;

    ListCommand(BulwarkCtl root) {
        this.root = root;
    }

    @Override
    public Integer call() throws InterruptedException {
        Watch.repeat(root.out, watchEveryTwo, watch, maxIterations, true,
                () -> printMembers(root, clusters, extended, timestamp, TableOutput.style(format)) == 0);
        return 0;
    }

    static int printMembers(BulwarkCtl root, List<String> clusters, boolean extended, boolean timestamp,
                            TableOutput.Style style) {
        List<String> names = clusters == null || clusters.isEmpty()
                ? root.config().scope() == null ? List.of() : List.of(root.config().scope())
                : clusters;
        if (names.isEmpty()) {
            root.err.println("Listing members: No cluster names were provided");
            return 0;
        }
        if (timestamp) {
            root.out.println(BulwarkCtl.timestamp(0));
        }
        for (String name : names) {
            CtlTarget target = root.config().target(name);
            MemberTable.print(root.out, root.readCluster(target), name, extended, style);
        }
        return 0;
    }
}
