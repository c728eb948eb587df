package io.bulwark.ctl;

import io.bulwark.dcs.Cluster;
import io.bulwark.dcs.ClusterStatus;
import io.bulwark.dcs.Leader;
import io.bulwark.dcs.Member;
import io.bulwark.dcs.MemberData;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.bulwark.ctl.Clusters.SYSID;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code deploy/compose/config/haproxy.cfg} is written by hand; this keeps its sections in step with what
 * {@code bulwarkctl haproxy-config} generates for the seed's node1 and node2, from member keys and from
 * {@code --resolvers --server} (the command the compose file can run instead).
 */
class ComposeHaproxyConfigTest {
    private static final Path DEPLOYED = Path.of("deploy/compose/config/haproxy.cfg");

    @Test
    void composeConfigRoutesLikeTheGenerator() throws IOException {
        Member node1 = member("node1", "primary");
        Member node2 = member("node2", "replica");
        Cluster cluster = new Cluster(SYSID, null, new Leader("node1", 1, 1), List.of(node1, node2),
                ClusterStatus.EMPTY, null, List.of(), null);
        String fromMembers = new HaproxyConfig("*", 5000, 5001, 7000, 100, true).render("seed", cluster);
        String fromFlags = Clusters.run(new FixedDcs(cluster), "haproxy-config", "--resolvers",
                "--server", "node1=node1:5432/8008", "--server", "node2=node2:5432/8008", "--bind", "*").out();
        Map<String, List<String>> got = sections(Files.readString(DEPLOYED));

        assertThat(sections(fromFlags)).isEqualTo(sections(fromMembers));
        Map<String, List<String>> want = sections(fromFlags);
        assertThat(got.keySet()).as("sections of %s", DEPLOYED).containsExactlyElementsOf(want.keySet());
        want.forEach((name, lines) -> assertThat(got.get(name)).as("section '%s' of %s", name, DEPLOYED)
                .containsExactlyElementsOf(lines));
    }

    private static Member member(String name, String role) {
        return new Member(name, 1, 1, new MemberData("postgres://" + name + ":5432/postgres",
                "http://" + name + ":8008/patroni", "running", role, "4.1.4", 1L, null, null, null, 1, Map.of(),
                null, Map.of()));
    }

    /** Section header (e.g. "listen primary") to its non-comment, non-blank lines, trimmed. */
    private static Map<String, List<String>> sections(String cfg) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        List<String> current = null;
        for (String raw : cfg.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (!Character.isWhitespace(raw.charAt(0))) {
                current = new ArrayList<>();
                out.put(line, current);
            } else if (current != null) {
                current.add(line);
            }
        }
        return out;
    }
}
