package io.bulwark.it;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import static io.bulwark.it.ClusterHarness.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Callbacks with real agents, etcd and PostgreSQL: each member's callback script appends its member name and its
 * arguments ({@code action role cluster_name}) to one file. A switchover fires {@code on_role_change} on both
 * members; SIGHUP after a parameter was edited in the YAML applies it ({@code SHOW}) and fires
 * {@code on_reload}; {@code POST /reload} of a broken file answers 500 naming the key and changes nothing. A
 * failing {@code pre_promote} keeps the only candidate from promoting until the script succeeds.
 */
@Tag("integration")
class CallbacksIT {
    private static final Duration START = Duration.ofSeconds(120);
    private static final Duration SOON = Duration.ofSeconds(60);

    @Test
    void callbacksFireWithPatronisArgumentsAndSighupAppliesParameters() throws Exception {
        try (ClusterHarness h = new ClusterHarness("it-cb").timings(4, 1, 1)) {
            Path record = h.stateDir().resolve("callbacks.log");
            Files.writeString(record, "");
            Files.setPosixFilePermissions(record, PosixFilePermissions.fromString("rw-rw-rw-"));
            AgentNode node1 = withCallbacks(h, h.addNode("node1"), record).start();
            await("node1 primary", START, () -> node1.httpStatus("/primary") == 200);
            await("on_start on node1", SOON, () -> lines(record).contains("node1 on_start primary it-cb"));
            AgentNode node2 = withCallbacks(h, h.addNode("node2"), record).start();
            await("on_start on node2", START, () -> lines(record).contains("node2 on_start replica it-cb"));
            await("node2 streaming", START, () -> body(node2, "/patroni").contains("\"replication_state\": \"streaming\""));

            Dcs4Test.writeFailover(h, "{\"leader\":\"node1\",\"member\":\"node2\"}");
            await("node2 to become primary", SOON, () -> node2.httpStatus("/primary") == 200);
            await("on_role_change primary on node2", SOON,
                    () -> lines(record).contains("node2 on_role_change primary it-cb"));
            await("on_stop and on_role_change replica on node1", SOON,
                    () -> lines(record).containsAll(List.of("node1 on_stop primary it-cb",
                            "node1 on_role_change replica it-cb")));
            assertThat(lines(record)).as("a demotion is a role change, not a start").containsOnlyOnce(
                    "node1 on_start primary it-cb").doesNotContain("node1 on_start replica it-cb");

            assertThat(show(node2, "work_mem")).isEqualTo("4MB");
            Files.writeString(node2.config(), Files.readString(node2.config())
                    .replace("  parameters:\n", "  parameters:\n    work_mem: 7MB\n"));
            ClusterHarness.run("kill", "-HUP", String.valueOf(node2.pid()));
            await("SIGHUP to apply work_mem", SOON, () -> "7MB".equals(show(node2, "work_mem")));
            await("on_reload on node2", SOON, () -> lines(record).contains("node2 on_reload primary it-cb"));

            String good = Files.readString(node2.config());
            Files.writeString(node2.config(), good.replace("work_mem: 7MB", "work_mem: [1, 2]"));
            HttpResponse<String> refused = postReload(node2);
            assertThat(refused.statusCode()).isEqualTo(500);
            assertThat(refused.body()).contains("postgresql.parameters.work_mem: must be a single value");
            assertThat(show(node2, "work_mem")).as("the running configuration stays").isEqualTo("7MB");
            assertThat(node2.isAlive()).isTrue();
            Files.writeString(node2.config(), good);
            assertThat(postReload(node2).statusCode()).isEqualTo(202);
        }
    }

    @Test
    void failingPrePromoteKeepsTheReplicaFromPromotingUntilItSucceeds() throws Exception {
        try (ClusterHarness h = new ClusterHarness("it-prepromote").timings(4, 1, 1)) {
            AgentNode node1 = h.addNode("node1").start();
            await("node1 primary", START, () -> node1.httpStatus("/primary") == 200);
            AgentNode node2 = h.addNode("node2");
            Path allow = node2.dir.resolve("allow-promotion");
            Path runs = node2.dir.resolve("pre_promote.runs");
            Path script = node2.dir.resolve("fence.sh");
            Files.writeString(script, "#!/bin/sh\necho run >> " + runs + "\n[ -e " + allow + " ]\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            h.chownToPostgres(node2.dir);
            Files.writeString(node2.config(), Files.readString(node2.config()) + "  pre_promote: " + script + "\n");
            node2.start();
            await("node2 streaming", START, () -> body(node2, "/patroni").contains("\"replication_state\": \"streaming\""));

            node1.killHard();
            await("a cancelled promotion on node2", SOON, () -> node2.logText()
                    .contains("Promotion cancelled because the pre-promote script failed"));
            await("a second attempt after the backoff", SOON, () -> lines(runs).size() >= 2);
            assertThat(node2.httpStatus("/primary")).as("no promotion while pre_promote fails").isNotEqualTo(200);
            assertThat(query(node2, "select pg_is_in_recovery()")).isEqualTo("t");

            Files.writeString(allow, "");
            await("node2 to promote once pre_promote succeeds", SOON, () -> node2.httpStatus("/primary") == 200);
        }
    }

    /** Adds every callback to the node's config: a script that appends "NAME ARGS" to {@code record}. */
    private static AgentNode withCallbacks(ClusterHarness h, AgentNode node, Path record) throws IOException {
        Path script = node.dir.resolve("callback.sh");
        Files.writeString(script, "#!/bin/sh\necho \"" + node.name + " $*\" >> " + record + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        StringBuilder callbacks = new StringBuilder("  callbacks:\n");
        for (String action : List.of("on_start", "on_stop", "on_restart", "on_reload", "on_role_change")) {
            callbacks.append("    ").append(action).append(": ").append(script).append('\n');
        }
        Files.writeString(node.config(), Files.readString(node.config()) + callbacks);
        h.chownToPostgres(node.config());
        return node;
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String body(AgentNode node, String path) {
        try {
            return node.httpBody(path);
        } catch (Exception e) {
            return "";
        }
    }

    private static String show(AgentNode node, String parameter) {
        return query(node, "show " + parameter);
    }

    private static String query(AgentNode node, String sql) {
        try (Connection c = node.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        } catch (Exception e) {
            return "unreachable: " + e.getMessage();
        }
    }

    private static HttpResponse<String> postReload(AgentNode node) throws Exception {
        String auth = Base64.getEncoder().encodeToString((AgentNode.REST_USER + ":" + AgentNode.REST_PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.apiPort + "/reload"))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Basic " + auth)
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }
}
