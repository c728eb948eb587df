package io.bulwark.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a request body as a JSON object, as Patroni's {@code _read_json_content} does, with a size limit.
 *
 * <ul>
 *   <li>More than {@link #MAX_BYTES} (declared or read): 413; the rest is not read, the connection is closed.</li>
 *   <li>Required and no {@code Content-Length} (nor chunked encoding): 411.</li>
 *   <li>Not JSON, not an object, or (when required) an empty object: 400 "Invalid JSON ...".</li>
 *   <li>Optional and absent or empty: an empty map.</li>
 * </ul>
 * A client that declares a length and then stalls holds only its own virtual thread.
 */
final class JsonBody {
    static final int MAX_BYTES = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** Either the parsed object or the refusal to send. */
    record Parsed(Map<String, Object> json, Reply error) {
    }

    private JsonBody() {
    }

    /**
     * 415 unless the unsafe request is JSON, or a bodiless call from a non-browser client. Why: a browser page can
     * make a visitor's browser POST a form ({@code application/x-www-form-urlencoded}, {@code multipart/form-data},
     * {@code text/plain}) to any address without asking the server first; only {@code application/json} forces the
     * CORS preflight, which this API never grants.
     *
     * <ul>
     *   <li>{@code Content-Type} present: its media type must be {@code application/json} (parameters such as
     *       {@code charset} are fine).</li>
     *   <li>{@code Content-Type} absent: accepted from clients that send no {@code Origin} header. patronictl
     *       (urllib3) sends its JSON bodies with no {@code Content-Type} at all, and curl or scripts calling
     *       {@code POST /reload} send none; browsers send {@code Origin} with every POST, PUT, PATCH and DELETE,
     *       and can send a typeless body ({@code fetch} with a {@code Blob}) without a preflight, so those are
     *       refused.</li>
     * </ul>
     */
    static Reply checkContentType(Headers headers) {
        String type = headers.getFirst("Content-Type");
        if (type == null) {
            return headers.containsKey("Origin") ? unsupported("none (a browser request)") : null;
        }
        String media = type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return media.equals("application/json") ? null : unsupported("'" + type + "'");
    }

    private static Reply unsupported(String got) {
        return Reply.message(415, "Unsupported Media Type: unsafe requests need the header Content-Type:"
                + " application/json (got " + got + ")");
    }

    static Parsed read(HttpExchange ex, boolean required) throws IOException {
        String lengthHeader = ex.getRequestHeaders().getFirst("Content-Length");
        boolean chunked = "chunked".equalsIgnoreCase(ex.getRequestHeaders().getFirst("Transfer-Encoding"));
        if (lengthHeader == null && !chunked) {
            return required ? error(411, "Length Required: a JSON object body is expected") : new Parsed(Map.of(), null);
        }
        if (lengthHeader != null) {
            long declared;
            try {
                declared = Long.parseLong(lengthHeader.strip());
            } catch (NumberFormatException e) {
                return error(400, "Invalid Content-Length");
            }
            if (declared > MAX_BYTES) {
                return tooLarge(ex);
            }
        }
        byte[] bytes;
        try (InputStream in = ex.getRequestBody()) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        }
        if (bytes.length > MAX_BYTES) {
            return tooLarge(ex);
        }
        if (bytes.length == 0 && !required) {
            return new Parsed(Map.of(), null);
        }
        return parse(bytes, required);
    }

    static Parsed parse(byte[] bytes, boolean required) {
        JsonNode node;
        try {
            node = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            return error(400, "Invalid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            return error(400, "Invalid JSON: " + e.getMessage());
        }
        if (node == null || node.isMissingNode() || !node.isObject()) {
            return error(400, "Invalid JSON: expected a JSON object");
        }
        if (node.isEmpty() && required) {
            return error(400, "Invalid JSON: expected a non-empty JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = JSON.convertValue(node, LinkedHashMap.class);
        return new Parsed(map, null);
    }

    private static Parsed tooLarge(HttpExchange ex) {
        // the unread rest would keep the connection busy: tell the client we close it
        ex.getResponseHeaders().set("Connection", "close");
        return error(413, "Request body too large: at most " + MAX_BYTES + " bytes");
    }

    private static Parsed error(int code, String message) {
        return new Parsed(null, Reply.message(code, message));
    }
}
