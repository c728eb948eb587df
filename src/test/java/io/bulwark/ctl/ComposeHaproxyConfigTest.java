package io.bulwark.ctl;

import io.bulwark.config.BulwarkConfig;
import io.bulwark.config.ConfigLoader;
import io.bulwark.config.ConfigResult;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.bulwark.ctl.Clusters.SYSID;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed deployment's HAProxy config is rendered at start by the control container
 * ({@code deploy/compose/images/control/entrypoint.sh}: {@code bulwarkctl haproxy-config --resolvers --server ...}
 * for its default {@code BULWARK_HAPROXY_SERVERS}, with {@code --check-ssl --ca-file} when the CA secret is
 * mounted). This keeps those servers in step with the node YAMLs beside the compose files: the routing must be what
 * the generator renders from the member keys those nodes publish (their {@code postgresql.connect_address} and
 * {@code restapi.connect_address}, HTTPS since they set {@code restapi.certfile}), checked against the same CA.
 */
class ComposeHaproxyConfigTest {
    private static final Path ENTRYPOINT = Path.of("deploy/compose/images/control/entrypoint.sh");
    private static final Path CONFIGS = Path.of("deploy/compose/config");
    private static final Pattern DEFAULT_SERVERS = Pattern.compile("BULWARK_HAPROXY_SERVERS:-([^}]*)}");
    private static final Pattern TLS_OPTIONS = Pattern.compile("tls=\\((--check-ssl --ca-file (\\S+))\\)");

    @Test
    void controlImageServersMatchTheNodeConfigs() throws IOException {
        Member node1 = member(CONFIGS.resolve("node1.yml"));
        Member node2 = member(CONFIGS.resolve("node2.yml"));
        Cluster cluster = new Cluster(SYSID, null, new Leader("node1", 1, 1), List.of(node1, node2),
                ClusterStatus.EMPTY, null, List.of(), null);
        assertThat(node1.data().apiUrl()).startsWith("https://");
        Matcher tls = TLS_OPTIONS.matcher(Files.readString(ENTRYPOINT));
        assertThat(tls.find()).as("--check-ssl --ca-file in %s", ENTRYPOINT).isTrue();
        String fromMembers = new HaproxyConfig("*", 5000, 5001, 7000, 100, true,
                new HaproxyCheckTls(false, tls.group(2), null)).render("seed", cluster);

        Matcher m = DEFAULT_SERVERS.matcher(Files.readString(ENTRYPOINT));
        assertThat(m.find()).as("a default BULWARK_HAPROXY_SERVERS in %s", ENTRYPOINT).isTrue();
        List<String> args = new ArrayList<>(List.of("haproxy-config", "--resolvers", "--bind", "*"));
        args.addAll(List.of(tls.group(1).split(" ")));
        for (String server : m.group(1).trim().split("\\s+")) {
            args.addAll(List.of("--server", server));
        }
        String fromEntrypoint = Clusters.run(new FixedDcs(cluster), args.toArray(String[]::new)).out();

        assertThat(fromEntrypoint).contains("check port 8008 check-ssl verify required ca-file " + tls.group(2)
                + " verifyhost node1\n");
        assertThat(sections(fromEntrypoint)).as("routing rendered by %s", ENTRYPOINT)
                .isEqualTo(sections(fromMembers));
    }

    private static Member member(Path nodeYaml) {
        // the passwords come from the container's environment, as in the compose files
        ConfigResult result = ConfigLoader.load(nodeYaml, Map.of("PATRONI_RESTAPI_PASSWORD", "x",
                "PATRONI_SUPERUSER_PASSWORD", "x", "PATRONI_REPLICATION_PASSWORD", "x"));
        assertThat(result.errors()).as("errors in %s", nodeYaml).isEmpty();
        BulwarkConfig c = result.config();
        return new Member(c.name(), 1, 1, new MemberData(c.postgresql().connUrl(), c.restapi().apiUrl(), "running",
                "replica", "4.1.4", 1L, null, null, null, 1, Map.of(), null, Map.of()));
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
