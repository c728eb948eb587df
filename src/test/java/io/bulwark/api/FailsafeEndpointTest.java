package io.bulwark.api;

import io.bulwark.config.DynamicConfig;
import io.bulwark.dcs.InMemoryDcs;
import io.bulwark.ha.Failsafe;
import io.bulwark.ha.FailsafeCall;
import io.bulwark.ha.NodeStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /failsafe} as Patroni answers it, behind the same authentication as every unsafe endpoint. */
class FailsafeEndpointTest {
    private static final RestSecurity AUTH = new RestSecurity("admin", "s3cret", List.of(), false, null, null, null,
            null, "none");
    private static final String CALL = "{\"name\":\"node1\",\"conn_url\":\"postgres://10.0.0.1:5432/postgres\","
            + "\"api_url\":\"http://10.0.0.1:8008/patroni\"}";
    private static final DynamicConfig ON = dynamic(true);
    private static final DynamicConfig OFF = dynamic(false);

    private final AtomicReference<NodeStatus> status = new AtomicReference<>(Situations.streamingReplica());
    private final AtomicReference<DynamicConfig> config = new AtomicReference<>(ON);
    private final Failsafe failsafe = new Failsafe(new FailsafeCall("node2", null, null), (u, c, t) -> java.util.Set.of(),
            () -> 42L);
    private final HttpClient http = HttpClient.newHttpClient();
    private RestApi api;

    private static DynamicConfig dynamic(boolean failsafeMode) {
        DynamicConfig d = ApiServer.DYNAMIC;
        return new DynamicConfig(d.ttl(), d.loopWait(), d.retryTimeout(), d.maximumLagOnFailover(),
                d.primaryStartTimeout(), d.usePgRewind(), d.useSlots(), d.removeDataDirectoryOnRewindFailure(),
                d.parameters(), d.pgHba(), Map.of("failsafe_mode", failsafeMode));
    }

    @BeforeEach
    void start() throws Exception {
        InMemoryDcs dcs = new InMemoryDcs(new InMemoryDcs.Store(), ActionServer.KEYS, "node2", 30);
        ApiControls controls = new ApiControls(dcs, new RecordingAdmin(), () -> { }, AUTH, () -> 0L, null, failsafe);
        api = RestApi.start("127.0.0.1", 0, status::get, () -> Situations.NOW,
                new ApiConfigView(config::get, () -> Situations.NOW, Clock.systemUTC(), "9.9.9-test"), controls,
                Duration.ofMillis(20), AdminExposure.PROTECTED);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private HttpResponse<String> post(String body, boolean authenticated) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/failsafe"))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authenticated) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString("admin:s3cret"
                    .getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aReplicaAcceptsTheLeadersCallRemembersItAndReportsItsPosition() throws Exception {
        HttpResponse<String> r = post(CALL, true);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("Accepted");
        assertThat(r.headers().firstValue("lsn")).hasValue(Long.toString(0x4000_4E8L));
        assertThat(failsafe.trust().primary()).isEqualTo(new FailsafeCall("node1",
                "postgres://10.0.0.1:5432/postgres", "http://10.0.0.1:8008/patroni"));
        assertThat(failsafe.trust().receivedNanos()).isEqualTo(42L);
    }

    @Test
    void theCallNeedsTheRestApiCredentialsLikeEveryUnsafeEndpoint() throws Exception {
        HttpResponse<String> r = post(CALL, false);

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(failsafe.trust()).isNull();
    }

    @Test
    void withFailsafeModeOffTheAnswerIs502AndNothingIsRemembered() throws Exception {
        config.set(OFF);

        assertThat(post(CALL, true).statusCode()).isEqualTo(502);
        assertThat(failsafe.trust()).isNull();
    }

    @Test
    void aRunningPrimaryRefusesAsPatroniDoes() throws Exception {
        status.set(Situations.leaderPrimary());

        HttpResponse<String> r = post(CALL, true);
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.body()).isEqualTo("Running as a leader");
        assertThat(failsafe.trust()).isNull();
    }

    @Test
    void aCallerThatIsNotTheLeaderWeKnowIsRefused() throws Exception {
        HttpResponse<String> r = post(CALL.replace("\"node1\"", "\"node3\""), true);

        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.body()).isEqualTo("the leader key names node1, not node3");
        assertThat(failsafe.trust()).isNull();
    }

    @Test
    void badBodiesAre400NamingTheField() throws Exception {
        HttpResponse<String> noName = post("{\"conn_url\":\"x\"}", true);
        assertThat(noName.statusCode()).isEqualTo(400);
        assertThat(noName.body()).startsWith("name: expected");
        HttpResponse<String> badUrl = post("{\"name\":\"node1\",\"api_url\":5}", true);
        assertThat(badUrl.statusCode()).isEqualTo(400);
        assertThat(badUrl.body()).isEqualTo("api_url: expected a string, got 5");
        assertThat(failsafe.trust()).isNull();
    }
}
