package io.bulwark.dcs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.List;

/** The {@code history} key: {@code [[timeline, lsn, reason, timestamp, new_leader], ...]}. */
final class HistoryCodec {
    private HistoryCodec() {
    }

    static String encode(List<HistoryEntry> history) {
        ArrayNode lines = DcsCodec.JSON.createArrayNode();
        for (HistoryEntry e : history) {
            ArrayNode line = lines.addArray();
            line.add(e.timeline()).add(e.lsn()).add(e.reason());
            if (e.timestamp() != null || e.newLeader() != null) {
                line.add(e.timestamp());
            }
            if (e.newLeader() != null) {
                line.add(e.newLeader());
            }
        }
        return DcsCodec.write(lines);
    }

    static List<HistoryEntry> decode(String value) {
        return decodeChecked(value).value();
    }

    /** Blank, junk, a non-list or any bad line is not clean (bad lines are skipped, the rest kept). */
    static Decoded<List<HistoryEntry>> decodeChecked(String value) {
        String v = value == null ? "" : value.strip();
        JsonNode node = DcsCodec.parse("history", v);
        if (node == null) {
            return Decoded.garbled(List.of());
        }
        if (!node.isArray()) {
            Warnings.once("history", "expected a JSON list of lines", node.toString());
            return Decoded.garbled(List.of());
        }
        boolean clean = true;
        List<HistoryEntry> out = new ArrayList<>();
        for (JsonNode line : node) {
            if (!line.isArray() || line.size() < 3 || !line.get(0).canConvertToInt()
                    || !line.get(0).isIntegralNumber() || !line.get(1).isIntegralNumber()) {
                Warnings.once("history", "expected [timeline, lsn, reason, ...]", line.toString());
                clean = false;
                continue;
            }
            out.add(new HistoryEntry(line.get(0).asInt(), line.get(1).asLong(), textAt(line, 2),
                    textAt(line, 3), textAt(line, 4)));
        }
        return new Decoded<>(out, clean);
    }

    private static String textAt(JsonNode line, int i) {
        JsonNode n = line.get(i);
        return n == null || n.isNull() ? null : n.isValueNode() ? n.asText() : n.toString();
    }
}
