package io.bulwark.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigEndpointTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private ActionServer s;

    @BeforeEach
    void start() throws Exception {
        s = new ActionServer();
        s.node1.setConfig("{\"ttl\":30,\"loop_wait\":10,\"retry_timeout\":10,"
                + "\"postgresql\":{\"parameters\":{\"max_connections\":100,\"work_mem\":\"4MB\"}}}", null);
    }

    @AfterEach
    void stop() {
        s.close();
    }

    @Test
    void getConfigMasksPasswordsAsShowConfigDoes() throws Exception {
        s.node1.setConfig("{\"ttl\":30,\"standby_cluster\":{\"host\":\"h\",\"primary_password\":\"pw1\"},"
                + "\"postgresql\":{\"authentication\":{\"replication\":{\"username\":\"r\","
                + "\"Password\":\"pw2\"}}},\"slots\":[{\"password\":\"pw3\"}]}", null);
        s.status.set(Situations.status("node1", "primary", Situations.primaryPg(), s.node1.cluster(),
                Situations.NOW + 10 * Situations.SECOND, java.util.Map.of()));
        HttpResponse<String> r = s.send("GET", "/config", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).doesNotContain("pw1").doesNotContain("pw2").doesNotContain("pw3");
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.at("/standby_cluster/primary_password").asText()).isEqualTo("******");
        assertThat(body.at("/postgresql/authentication/replication/Password").asText()).isEqualTo("******");
        assertThat(body.at("/postgresql/authentication/replication/username").asText()).isEqualTo("r");
        assertThat(body.at("/slots/0/password").asText()).isEqualTo("******");
        assertThat(JSON.readTree(r.body())).isEqualTo(JSON.valueToTree(s.node1.cluster().config().masked()));
    }

    @Test
    void patchMergesDeletesWithNullAndAnswersTheWholeConfig() throws Exception {
        HttpResponse<String> r = s.send("PATCH", "/config",
                "{\"loop_wait\": 5, \"postgresql\": {\"parameters\": {\"work_mem\": null, \"shared_buffers\": \"1GB\"}}}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("loop_wait").asInt()).isEqualTo(5);
        assertThat(body.get("ttl").asInt()).isEqualTo(30);
        assertThat(body.at("/postgresql/parameters/max_connections").asInt()).isEqualTo(100);
        assertThat(body.at("/postgresql/parameters/shared_buffers").asText()).isEqualTo("1GB");
        assertThat(body.at("/postgresql/parameters").has("work_mem")).isFalse();
        assertThat(JSON.readTree(s.raw("config"))).isEqualTo(body);
        assertThat(s.wakeUps.get()).isEqualTo(1);
    }

    @Test
    void invalidResultIsRefusedNamingTheFieldAndNothingIsWritten() throws Exception {
        String before = s.raw("config");
        HttpResponse<String> r = s.send("PATCH", "/config", "{\"ttl\": \"thirty\"}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).startsWith("invalid configuration, nothing changed: ttl: ");
        HttpResponse<String> rule = s.send("PATCH", "/config", "{\"loop_wait\": 25}");
        assertThat(rule.statusCode()).isEqualTo(400);
        assertThat(rule.body()).contains("ttl: loop_wait + 2*retry_timeout");
        assertThat(s.raw("config")).isEqualTo(before);
        assertThat(s.wakeUps.get()).isZero();
    }

    @Test
    void concurrentChangeIs409() throws Exception {
        s.overrides.put("cluster", (proxy, method, args) -> {
            var c = s.node1.cluster();
            s.node2.setConfig("{\"ttl\":40,\"loop_wait\":10,\"retry_timeout\":10}", null);
            return c;
        });
        HttpResponse<String> r = s.send("PATCH", "/config", "{\"loop_wait\": 5}");
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(s.raw("config")).isEqualTo("{\"ttl\":40,\"loop_wait\":10,\"retry_timeout\":10}");
    }

    @Test
    void missingConfigKeyIs503() throws Exception {
        s.overrides.put("cluster", (proxy, method, args) -> {
            var c = s.node1.cluster();
            return new io.bulwark.dcs.Cluster(c.initialize(), null, c.leader(), c.members(), c.status(),
                    c.failover(), c.history(), c.sync());
        });
        HttpResponse<String> r = s.send("PATCH", "/config", "{\"loop_wait\": 5}");
        assertThat(r.statusCode()).isEqualTo(503);
    }

    @Test
    void putReplacesAndEchoes() throws Exception {
        String config = "{\"ttl\": 20, \"loop_wait\": 2, \"retry_timeout\": 5, \"pause\": true}";
        HttpResponse<String> r = s.send("PUT", "/config", config);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(config);
        assertThat(s.raw("config")).isEqualTo("{\"ttl\":20,\"loop_wait\":2,\"retry_timeout\":5,\"pause\":true}");
    }

    @Test
    void putOfAnInvalidConfigOrAFailedWriteLeavesTheKey() throws Exception {
        String before = s.raw("config");
        HttpResponse<String> bad = s.send("PUT", "/config", "{\"ttl\": 1}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("ttl: ");
        s.overrides.put("setConfig", (proxy, method, args) -> false);
        HttpResponse<String> failed = s.send("PUT", "/config", "{\"ttl\": 30}");
        assertThat(failed.statusCode()).isEqualTo(502);
        assertThat(s.raw("config")).isEqualTo(before);
    }
}
