package io.bulwark.ctl;

import io.bulwark.dcs.Cluster;
import io.bulwark.dcs.HistoryEntry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code history [CLUSTER] [-f ...]}: the {@code history} key, one row per timeline switch. */
@Command(name = "history", mixinStandardHelpOptions = true, versionProvider = BulwarkCtl.Version.class,
        description = "Show the history of failovers/switchovers")
final class HistoryCommand implements Callable<Integer> {
    static final List<String> COLUMNS = List.of("TL", "LSN", "Reason", "Timestamp", "New Leader");

    @Parameters(paramLabel = "CLUSTER", arity = "0..1", description = "Cluster name (default: scope)")
    String cluster;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "pretty",
            description = "Output format: ${COMPLETION-CANDIDATES}")
    OutputFormat format;

    private final BulwarkCtl root;

    HistoryCommand(BulwarkCtl root) {
        this.root = root;
    }

    @Override
    public Integer call() {
        Cluster c = root.readCluster(root.config().target(cluster));
        List<List<Object>> rows = new ArrayList<>();
        for (HistoryEntry h : c.history()) {
            rows.add(List.of(h.timeline(), h.lsn(), orEmpty(h.reason()), orEmpty(h.timestamp()),
                    orEmpty(h.newLeader())));
        }
        TableOutput.print(root.out, COLUMNS, rows, Set.of("TL", "LSN"), TableOutput.style(format), "");
        return 0;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
