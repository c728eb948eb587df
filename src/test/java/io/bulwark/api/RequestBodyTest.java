package io.bulwark.api;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class RequestBodyTest {
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
    void bodiesThatAreNotJsonObjectsAre400() throws Exception {
        for (String body : new String[]{"not json", "[1, 2]", "\"text\"", "{\"leader\": \"node1\"} trailing", "{"}) {
            HttpResponse<String> r = s.send("POST", "/switchover", body);
            assertThat(r.statusCode()).as(body).isEqualTo(400);
            assertThat(r.body()).as(body).startsWith("Invalid JSON");
        }
        HttpResponse<String> patch = s.send("PATCH", "/config", "[]");
        assertThat(patch.statusCode()).isEqualTo(400);
        assertThat(s.raw("failover")).isNull();
    }

    @Test
    void requiredBodyWithoutLengthIs411() throws Exception {
        for (String route : new String[]{"POST /switchover", "POST /failover", "PATCH /config", "PUT /config"}) {
            String answer = s.rawRequest(route + " HTTP/1.0\r\n\r\n");
            assertThat(answer).as(route).startsWith("HTTP/1.1 411 ");
        }
    }

    @Test
    void oneMebibyteBodyIs413AndTheServerKeepsAnswering() throws Exception {
        // the server answers from the declared length without reading the body; sending the mebibyte first would
        // only make the kernel reset the connection under the unread answer
        String answer;
        try (Socket socket = new Socket("127.0.0.1", s.api.port())) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            out.write(("PATCH /config HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                    + (1 << 20) + "\r\n\r\n{\"ttl\": 30").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] buf = new byte[4096];
            int n = socket.getInputStream().read(buf);
            answer = new String(buf, 0, Math.max(n, 0), StandardCharsets.ISO_8859_1);
        }
        assertThat(answer).startsWith("HTTP/1.1 413 ");
        assertThat(answer).contains("at most 65536 bytes");
        assertThat(s.send("GET", "/patroni", null).statusCode()).isEqualTo(200);
        assertThat(s.send("POST", "/reload", null).statusCode()).isEqualTo(202);
    }

    @Test
    void oneMebibyteBodyFromAnHttpClientNeverHangs() throws Exception {
        String body = "{\"ttl\": \"" + "x".repeat(1 << 20) + "\"}";
        try {
            HttpResponse<String> r = s.send("PATCH", "/config", body);
            assertThat(r.statusCode()).isEqualTo(413);
        } catch (IOException e) {
            // acceptable: the server closed the connection while the client was still sending
            assertThat(e).isNotNull();
        }
        assertThat(s.raw("config")).isEqualTo(ActionServer.CONFIG);
        assertThat(s.send("GET", "/patroni", null).statusCode()).isEqualTo(200);
    }

    @Test
    void chunkedBodyOverTheLimitIs413() throws Exception {
        StringBuilder big = new StringBuilder("{\"leader\": \"");
        big.append("x".repeat(70 * 1024)).append("\"}");
        String answer = s.rawRequest("POST /switchover HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(big.length()) + "\r\n" + big + "\r\n0\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 413 ");
        assertThat(s.raw("failover")).isNull();
    }
}
