package io.bulwark.api;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One HTTP answer: status, content type and body ({@code null} body: status line and headers only).
 *
 * @param headers extra response headers ({@code WWW-Authenticate}, ...)
 */
record Reply(int code, String contentType, byte[] body, Map<String, String> headers) {

    Reply(int code, String contentType, byte[] body) {
        this(code, contentType, body, Map.of());
    }

    static Reply json(int code, Object value) {
        return new Reply(code, "application/json", JsonText.write(value).getBytes(StandardCharsets.UTF_8));
    }

    /** Diagnostics of the health side: plain text with a trailing newline. */
    static Reply text(int code, String text) {
        return new Reply(code, "text/plain; charset=utf-8", (text + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Action answers as Patroni's {@code write_response}: the bare message, no trailing newline (patronictl and
     * scripts print or compare the body as is), but {@code text/plain; charset=utf-8} where Patroni says
     * {@code text/html}: messages echo client input (member names, keys), which a browser must never render.
     */
    static Reply message(int code, String message) {
        return new Reply(code, "text/plain; charset=utf-8", message.getBytes(StandardCharsets.UTF_8));
    }

    static Reply statusOnly(int code) {
        return new Reply(code, null, null);
    }

    Reply withHeader(String name, String value) {
        Map<String, String> h = new java.util.LinkedHashMap<>(headers);
        h.put(name, value);
        return new Reply(code, contentType, body, Map.copyOf(h));
    }
}
