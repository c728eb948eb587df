package io.bulwark.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bulwark.api.Versions;
import io.bulwark.dcs.Cluster;
import io.bulwark.dcs.Member;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code version [CLUSTER [MEMBER...]]}: our version, then for each member the versions its {@code GET /patroni}
 * reports, in patronictl's format ({@code node1: Patroni 4.1.4 PostgreSQL 15.8}) plus Bulwark's when known.
 */
@Command(name = "version", mixinStandardHelpOptions = true, versionProvider = BulwarkCtl.Version.class,
        description = "Output version of bulwarkctl or of the running members")
final class VersionCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(index = "0", paramLabel = "CLUSTER", arity = "0..1", description = "Cluster name")
    String cluster;

    @Parameters(index = "1..*", paramLabel = "MEMBER", arity = "0..*", description = "Only these members")
    List<String> members;

    private final BulwarkCtl root;

    VersionCommand(BulwarkCtl root) {
        this.root = root;
    }

    @Override
    public Integer call() {
        root.out.println("bulwarkctl version " + Versions.BULWARK + " (Patroni " + Versions.PATRONI_PROTOCOL + ")");
        if (cluster == null) {
            return 0;
        }
        root.out.println();
        CtlTarget target = root.config().target(cluster);
        Cluster c = root.readCluster(target);
        for (Member m : c.members()) {
            if (m.data().apiUrl() == null || (members != null && !members.contains(m.name()))) {
                continue;
            }
            try {
                JsonNode j = JSON.readTree(root.api().call(m, "GET", "patroni", null).body());
                int pg = j.path("server_version").asInt(0);
                String bulwark = j.path("bulwark_version").asText("");
                root.out.println(m.name() + ": Patroni " + j.path("patroni").path("version").asText("None")
                        + (pg > 0 ? " PostgreSQL " + formatPgVersion(pg) : "")
                        + (bulwark.isEmpty() ? "" : " (Bulwark " + bulwark + ")"));
            } catch (MemberApi.Unreachable | java.io.IOException e) {
                root.out.println(m.name() + ": failed to get version: " + e.getMessage());
            }
        }
        return 0;
    }

    /** {@code 90624} → {@code 9.6.24}; {@code 140008} → {@code 14.8}. */
    static String formatPgVersion(int v) {
        return v < 100000 ? v / 10000 + "." + v / 100 % 100 + "." + v % 100 : v / 10000 + "." + v % 10000;
    }
}
