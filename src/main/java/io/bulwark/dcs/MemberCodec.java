package io.bulwark.dcs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The {@code members/<name>} value (reference §1.2); see {@link DcsCodec} for the rules. */
final class MemberCodec {
    private static final List<String> FIELDS = List.of("conn_url", "api_url", "state", "role", "version",
            "xlog_location", "replay_lsn", "receive_lsn", "replication_state", "timeline", "tags", "bulwark_version");

    private MemberCodec() {
    }

    static String encode(MemberData d) {
        ObjectNode o = DcsCodec.JSON.createObjectNode();
        DcsCodec.putText(o, "conn_url", d.connUrl());
        DcsCodec.putText(o, "api_url", d.apiUrl());
        DcsCodec.putText(o, "state", d.state());
        DcsCodec.putText(o, "role", d.role());
        DcsCodec.putText(o, "version", d.version());
        if (!d.tags().isEmpty()) {
            o.set("tags", DcsCodec.JSON.valueToTree(new TreeMap<>(d.tags())));
        }
        if (d.xlogLocation() != null) {
            o.put("xlog_location", d.xlogLocation());
        }
        if (d.timeline() != null) {
            o.put("timeline", d.timeline());
        }
        DcsCodec.putText(o, "replication_state", d.replicationState());
        if (d.replayLsn() != null) {
            o.put("replay_lsn", d.replayLsn());
        }
        if (d.receiveLsn() != null) {
            o.put("receive_lsn", d.receiveLsn());
        }
        DcsCodec.putText(o, "bulwark_version", d.bulwarkVersion());
        new TreeMap<>(d.extra()).forEach((k, v) -> {
            if (!o.has(k)) {
                o.set(k, DcsCodec.JSON.valueToTree(v));
            }
        });
        return DcsCodec.write(o);
    }

    static MemberData decode(String key, String value) {
        return decodeChecked(key, value).value();
    }

    static Decoded<MemberData> decodeChecked(String key, String value) {
        String v = value == null ? "" : value.strip();
        if (v.startsWith("postgres")) {
            return Decoded.clean(legacy(v));
        }
        JsonNode node = DcsCodec.parse(key, v);
        if (node == null || !node.isObject()) {
            if (node != null) {
                Warnings.once(key, "expected a JSON object", v);
            }
            return Decoded.garbled(
                    new MemberData(null, null, null, null, null, null, null, null, null, null, null, null, null));
        }
        FieldReader r = new FieldReader(key, node);
        Map<String, Object> extra = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> {
            if (!FIELDS.contains(e.getKey()) && !e.getValue().isNull()) {
                extra.put(e.getKey(), DcsCodec.JSON.convertValue(e.getValue(), Object.class));
            }
        });
        MemberData data = new MemberData(r.text("conn_url"), r.text("api_url"), r.text("state"), r.text("role"),
                r.text("version"), r.number("xlog_location"), r.number("replay_lsn"), r.number("receive_lsn"),
                r.text("replication_state"), r.integer("timeline"), r.map("tags"), r.text("bulwark_version"),
                extra);
        return new Decoded<>(data, r.clean());
    }

    /** Governor's format: {@code postgres://...?application_name=<api_url>}. */
    private static MemberData legacy(String url) {
        int q = url.indexOf('?');
        String connUrl = q < 0 ? url : url.substring(0, q);
        String apiUrl = null;
        if (q >= 0) {
            for (String param : url.substring(q + 1).split("&")) {
                if (param.startsWith("application_name=")) {
                    apiUrl = URLDecoder.decode(param.substring("application_name=".length()), StandardCharsets.UTF_8);
                }
            }
        }
        return new MemberData(connUrl, apiUrl, null, null, null, null, null, null, null, null, null, null, null);
    }
}
