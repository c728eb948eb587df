package io.bulwark.api;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Unsafe requests must be JSON: a browser cannot post a form (or a typeless body) to the API. */
class ContentTypeTest {
    private ActionServer s;

    @BeforeEach
    void start() throws Exception {
        s = new ActionServer();
    }

    @AfterEach
    void stop() {
        s.close();
    }

    @Test
    void formAndTextPostsAre415NamingTheHeader() throws Exception {
        for (String type : new String[]{"application/x-www-form-urlencoded", "text/plain", "text/plain;charset=UTF-8",
                "multipart/form-data; boundary=x"}) {
            HttpResponse<String> r = s.send("POST", "/switchover", "{\"leader\":\"node1\"}",
                    Map.of("Content-Type", type));
            assertThat(r.statusCode()).as(type).isEqualTo(415);
            assertThat(r.body()).as(type).contains("Content-Type: application/json");
            HttpResponse<String> patch = s.send("PATCH", "/config", "{\"ttl\":40}", Map.of("Content-Type", type));
            assertThat(patch.statusCode()).as(type).isEqualTo(415);
        }
        HttpResponse<String> bodilessForm = s.send("POST", "/reload", null,
                Map.of("Content-Type", "application/x-www-form-urlencoded"));
        assertThat(bodilessForm.statusCode()).isEqualTo(415);
        assertThat(s.raw("failover")).isNull();
        assertThat(s.admin.calls).isEmpty();
        assertThat(s.raw("config")).isEqualTo(ActionServer.CONFIG);
    }

    @Test
    void jsonWithParametersIsAccepted() throws Exception {
        HttpResponse<String> r = s.send("PATCH", "/config", "{\"ttl\":40}",
                Map.of("Content-Type", "Application/JSON; charset=utf-8"));
        assertThat(r.statusCode()).isEqualTo(200);
    }

    /** patronictl (urllib3) sends its JSON bodies without any Content-Type: it must keep working. */
    @Test
    void patronictlStyleRequestWithoutContentTypeIsAccepted() throws Exception {
        String answer = s.rawRequest("PATCH /config HTTP/1.0\r\nHost: x\r\nUser-Agent: Patroni/4.0.0 Python/3.11\r\n"
                + "Accept-Encoding: identity\r\nContent-Length: 11\r\n\r\n{\"ttl\": 40}");
        assertThat(answer).startsWith("HTTP/1.1 200 ");
        String reload = s.rawRequest("POST /reload HTTP/1.0\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
        assertThat(reload).startsWith("HTTP/1.1 202 ");
    }

    /** Browsers send Origin with every unsafe request, and fetch() with a Blob body sends no Content-Type. */
    @Test
    void browserRequestWithoutContentTypeIs415() throws Exception {
        String answer = s.rawRequest("POST /switchover HTTP/1.0\r\nHost: x\r\nOrigin: https://evil.example\r\n"
                + "Content-Length: 18\r\n\r\n{\"leader\":\"node1\"}");
        assertThat(answer).startsWith("HTTP/1.1 415 ").contains("Content-Type: application/json");
        assertThat(s.raw("failover")).isNull();
    }
}
