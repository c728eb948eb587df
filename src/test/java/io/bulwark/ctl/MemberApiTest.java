package io.bulwark.ctl;

import io.bulwark.api.BoundedBody;
import io.bulwark.dcs.Member;
import io.bulwark.dcs.MemberData;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** bulwarkctl's REST calls: JSON declared on every unsafe call, answers read up to 1 MiB. */
class MemberApiTest {
    private static Member member(FakePatroni api, String name) {
        return new Member(name, 1, 7, new MemberData("postgres://127.0.0.1:5432/postgres", api.apiUrl(name),
                "running", "primary", "4.1.4", 0L, null, null, null, 5, Map.of(), null, Map.of()));
    }

    @Test
    void everyUnsafeCallSaysContentTypeJson() throws Exception {
        try (FakePatroni api = new FakePatroni()) {
            api.reply("POST /pg1/reload", 202, "reload scheduled").reply("POST /pg1/switchover", 200, "ok")
                    .reply("DELETE /pg1/switchover", 200, "ok").reply("GET /pg1/patroni", 200, "{}");
            MemberApi client = new MemberApi(io.bulwark.config.RestClientConfig.NONE);
            Member m = member(api, "pg1");
            client.call(m, "post", "reload", null);
            client.call(m, "POST", "switchover", Map.of("leader", "pg1"));
            client.call(m, "DELETE", "switchover", null);
            client.call(m, "GET", "patroni", null);
            assertThat(api.requests).extracting(r -> r.method() + " " + r.path() + " " + r.contentType())
                    .containsExactly("POST /pg1/reload application/json", "POST /pg1/switchover application/json",
                            "DELETE /pg1/switchover application/json", "GET /pg1/patroni null");
        }
    }

    @Test
    void anAnswerOverOneMebibyteIsAnErrorNamingTheMember() throws Exception {
        try (FakePatroni api = new FakePatroni()) {
            api.reply("GET /pg1/patroni", 200, "{\"pad\":\"" + "x".repeat(BoundedBody.PEER_MAX_BYTES) + "\"}");
            MemberApi client = new MemberApi(io.bulwark.config.RestClientConfig.NONE);
            assertThatThrownBy(() -> client.call(member(api, "pg1"), "GET", "patroni", null))
                    .isInstanceOf(CtlException.class).isNotInstanceOf(MemberApi.Unreachable.class)
                    .hasMessageContaining("member pg1").hasMessageContaining("more than 1048576 bytes");
        }
    }
}
