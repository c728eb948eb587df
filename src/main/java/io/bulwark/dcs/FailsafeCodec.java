package io.bulwark.dcs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code failsafe} key (Patroni's {@code /failsafe}): a JSON object mapping each member name to its REST
 * {@code api_url}, written by the leader while {@code failsafe_mode} is on. It is the list of members the leader
 * must hear from ({@code POST /failsafe}) to stay primary while the DCS cannot be reached.
 *
 * <p>Decoding never throws. A value that is not a JSON object, or an entry whose URL is not a non-blank string,
 * is garbled: the {@link ClusterDecoder} then keeps the last clean value (as for the other keys), because a
 * topology with a member dropped would let the leader stay primary without asking that member.
 */
public final class FailsafeCodec {
    private FailsafeCodec() {
    }

    /** Compact JSON, names sorted. */
    public static String encode(Map<String, String> topology) {
        ObjectNode o = DcsCodec.JSON.createObjectNode();
        new TreeMap<>(topology).forEach(o::put);
        return DcsCodec.write(o);
    }

    /** The decoded topology (possibly empty), or an empty garbled value with one warning naming the key. */
    public static Map<String, String> decode(String value) {
        return decodeChecked(value).value();
    }

    static Decoded<Map<String, String>> decodeChecked(String value) {
        String v = value == null ? "" : value.strip();
        JsonNode node = DcsCodec.parse("failsafe", v);
        if (node == null || !node.isObject()) {
            if (node != null || !v.isEmpty()) {
                Warnings.once("failsafe", "expected a JSON object of member name to api_url", v);
            }
            return Decoded.garbled(Map.of());
        }
        Map<String, String> out = new TreeMap<>();
        boolean clean = true;
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            JsonNode url = e.getValue();
            if (e.getKey().isBlank() || !url.isTextual() || url.asText().isBlank()) {
                Warnings.once("failsafe", "member '" + e.getKey() + "' needs a non-blank api_url string", v);
                clean = false;
            } else {
                out.put(e.getKey(), url.asText().strip());
            }
        }
        return new Decoded<>(Map.copyOf(out), clean);
    }
}
