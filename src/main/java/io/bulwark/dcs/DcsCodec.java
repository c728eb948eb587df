package io.bulwark.dcs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Patroni's exact value formats for the keys under {@code /<namespace>/<scope>/} (reference §1.1, §1.2).
 *
 * <p>Encoders write compact JSON ({@code ","} and {@code ":"} separators, no spaces), as Patroni does, and omit
 * what Patroni omits. Decoders never throw: a value written by someone else that does not parse becomes the
 * "nothing known" value of its type (a member with null fields, an empty config, an empty failover) and one
 * warning naming the key. A running primary must never fall over because a tool wrote junk into etcd.
 */
public final class DcsCodec {
    static final ObjectMapper JSON = new ObjectMapper();

    private DcsCodec() {
    }

    // ---- members/NAME ----------------------------------------------------------------------------------

    /** {@code members/<name>} JSON: snake_case keys, nulls and empty tags omitted, {@code extra} written back. */
    public static String encodeMember(MemberData d) {
        return MemberCodec.encode(d);
    }

    public static MemberData decodeMember(String value) {
        return MemberCodec.decode("a member key", value);
    }

    /**
     * Decodes a member value; {@code key} only names the key in warnings. A legacy bare
     * {@code postgres://...} URL yields {@code conn_url} (and {@code api_url} from its
     * {@code application_name} parameter, Governor's old convention).
     */
    public static MemberData decodeMember(String key, String value) {
        return MemberCodec.decode(key, value);
    }

    // ---- status / optime/leader ------------------------------------------------------------------------

    /** {@code {"optime":N,"slots":{..},"retain_slots":[..]}}; empty slots and retain_slots are omitted. */
    public static String encodeStatus(ClusterStatus s) {
        ObjectNode o = JSON.createObjectNode();
        o.put("optime", s.optime());
        if (!s.slots().isEmpty()) {
            ObjectNode slots = o.putObject("slots");
            new TreeMap<>(s.slots()).forEach(slots::put);
        }
        if (!s.retainSlots().isEmpty()) {
            ArrayNode retain = o.putArray("retain_slots");
            s.retainSlots().forEach(retain::add);
        }
        return write(o);
    }

    /** Also accepts the legacy bare integer ({@code optime/leader} key, Patroni before 2.1). */
    public static ClusterStatus decodeStatus(String value) {
        return decodeStatusChecked(value).value();
    }

    static Decoded<ClusterStatus> decodeStatusChecked(String value) {
        String v = value == null ? "" : value.strip();
        JsonNode node = parse("status", v);
        if (node == null) {
            return Decoded.garbled(ClusterStatus.EMPTY);
        }
        if (node.isIntegralNumber()) {
            return Decoded.clean(new ClusterStatus(node.asLong(), null, null));
        }
        if (!node.isObject()) {
            Warnings.once("status", "expected a JSON object", v);
            return Decoded.garbled(ClusterStatus.EMPTY);
        }
        FieldReader r = new FieldReader("status", node);
        Long optime = r.number("optime");
        Map<String, Long> slots = new LinkedHashMap<>();
        JsonNode slotsNode = node.get("slots");
        if (slotsNode != null && slotsNode.isObject()) {
            slotsNode.fields().forEachRemaining(e -> {
                if (e.getValue().isIntegralNumber()) {
                    slots.put(e.getKey(), e.getValue().asLong());
                }
            });
        }
        List<String> retain = new ArrayList<>();
        JsonNode retainNode = node.get("retain_slots");
        if (retainNode != null && retainNode.isArray()) {
            retainNode.forEach(n -> {
                if (n.isTextual()) {
                    retain.add(n.asText());
                }
            });
        }
        return new Decoded<>(new ClusterStatus(optime == null ? 0 : optime, slots, retain), r.clean());
    }

    // ---- failover ----------------------------------------------------------------------------------------

    /** {@code {"leader":..,"member":..,"scheduled_at":..}}, nulls omitted; all null gives {@code {}}. */
    public static String encodeFailover(Failover f) {
        ObjectNode o = JSON.createObjectNode();
        putText(o, "leader", f.leader());
        putText(o, "member", f.candidate());
        if (f.scheduledAt() != null) {
            o.put("scheduled_at", formatTimestamp(f.scheduledAt()));
        }
        return write(o);
    }

    /**
     * {@code {}} and {@code ""} read as an empty failover; legacy {@code "leader:candidate"} text is accepted. An
     * unparsable {@code scheduled_at} voids the whole request (acting "now" on a garbled schedule would be worse).
     */
    public static Failover decodeFailover(long version, String value) {
        String v = value == null ? "" : value.strip();
        if (v.isEmpty()) {
            return new Failover(version, null, null, null);
        }
        JsonNode node = parseQuietly(v);
        if (node == null || !node.isObject()) {
            if (node == null && !v.startsWith("{")) {
                String[] parts = v.split(":", -1);
                String leader = blankToNull(parts[0]);
                String candidate = parts.length > 1 ? blankToNull(parts[1]) : null;
                return new Failover(version, leader, candidate, null);
            }
            Warnings.once("failover", "expected a JSON object", v);
            return new Failover(version, null, null, null);
        }
        FieldReader r = new FieldReader("failover", node);
        String scheduled = r.text("scheduled_at");
        OffsetDateTime at = null;
        if (scheduled != null && !scheduled.isBlank()) {
            try {
                at = OffsetDateTime.parse(scheduled.strip().replace(' ', 'T'), DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            } catch (DateTimeParseException e) {
                Warnings.once("failover", "scheduled_at is not an ISO 8601 timestamp with offset", v);
                return new Failover(version, null, null, null);
            }
        }
        return new Failover(version, r.text("leader"), r.text("member"), at);
    }

    /** Python's {@code datetime.isoformat()}: seconds always, microseconds only when non-zero, {@code +HH:MM}. */
    public static String formatTimestamp(OffsetDateTime t) {
        String base = t.format(DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss"));
        int micros = t.getNano() / 1000;
        String fraction = micros == 0 ? "" : String.format(".%06d", micros);
        return base + fraction + t.format(DateTimeFormatter.ofPattern("xxx"));
    }

    // ---- history, sync, config ---------------------------------------------------------------------------

    /** {@code [[tl,lsn,reason,ts,name],...]}; trailing null timestamp/name are left off the line. */
    public static String encodeHistory(List<HistoryEntry> history) {
        return HistoryCodec.encode(history);
    }

    /** Unparsable value: empty list and a warning; bad lines are skipped, 3-element lines accepted. */
    public static List<HistoryEntry> decodeHistory(String value) {
        return HistoryCodec.decode(value);
    }

    /** {@code {"leader":..,"quorum":..,"sync_standby":..}} written as Patroni does, nulls included. */
    public static String encodeSyncState(SyncState s) {
        ObjectNode o = JSON.createObjectNode();
        putNullable(o, "leader", s.leader());
        if (s.quorum() == null) {
            o.putNull("quorum");
        } else {
            o.put("quorum", s.quorum());
        }
        putNullable(o, "sync_standby", s.syncStandby());
        return write(o);
    }

    public static SyncState decodeSyncState(long version, String value) {
        return decodeSyncStateChecked(version, value).value();
    }

    static Decoded<SyncState> decodeSyncStateChecked(long version, String value) {
        String v = value == null ? "" : value.strip();
        JsonNode node = parse("sync", v);
        if (node == null || !node.isObject()) {
            if (node != null) {
                Warnings.once("sync", "expected a JSON object", v);
            }
            return Decoded.garbled(new SyncState(version, null, null, null));
        }
        FieldReader r = new FieldReader("sync", node);
        return new Decoded<>(new SyncState(version, r.text("leader"), r.integer("quorum"), r.text("sync_standby")),
                r.clean());
    }

    /** Compact JSON of the dynamic configuration. */
    public static String encodeConfig(Map<String, Object> config) {
        return write(JSON.valueToTree(config));
    }

    /**
     * Not a JSON object (blank included): {@link ClusterConfig#unreadable}, with a warning; the agent then keeps
     * its last good configuration. (An empty map here once read as "all defaults" and reset ttl, loop_wait and
     * every PostgreSQL parameter.)
     */
    public static ClusterConfig decodeConfig(long version, String value) {
        String v = value == null ? "" : value.strip();
        JsonNode node = parse("config", v);
        if (node == null || !node.isObject()) {
            if (node != null) {
                Warnings.once("config", "expected a JSON object", v);
            }
            return ClusterConfig.unreadable(version);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> data = JSON.convertValue(node, LinkedHashMap.class);
        return new ClusterConfig(version, data);
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses JSON; blank gives null silently, junk gives null and a warning naming {@code key}. */
    static JsonNode parse(String key, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        JsonNode node = parseQuietly(value);
        if (node == null) {
            Warnings.once(key, "not valid JSON", value);
        }
        return node;
    }

    private static JsonNode parseQuietly(String value) {
        try {
            return JSON.readTree(value);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    static void putText(ObjectNode o, String field, String value) {
        if (value != null) {
            o.put(field, value);
        }
    }

    private static void putNullable(ObjectNode o, String field, String value) {
        if (value == null) {
            o.putNull(field);
        } else {
            o.put(field, value);
        }
    }

    private static String blankToNull(String s) {
        String t = s.strip();
        return t.isEmpty() ? null : t;
    }
}
