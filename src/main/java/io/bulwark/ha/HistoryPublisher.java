package io.bulwark.ha;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.bulwark.dcs.Dcs;
import io.bulwark.dcs.DcsException;
import io.bulwark.dcs.HistoryEntry;

import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the {@code history} key in step with the leader's timeline history file (reference §1.1): written by
 * the leader after a promotion, only when it differs from what the DCS holds.
 */
final class HistoryPublisher {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Dcs dcs;
    private final PostgresControl pg;

    HistoryPublisher(Dcs dcs, PostgresControl pg) {
        this.dcs = dcs;
        this.pg = pg;
    }

    void publishIfChanged(Observation o) throws DcsException {
        List<HistoryEntry> local = pg.timelineHistory();
        if (local.isEmpty() || sameTimelines(local, o.cluster().history())) {
            return;
        }
        List<List<Object>> rows = new ArrayList<>();
        List<HistoryEntry> published = o.cluster().history();
        for (HistoryEntry e : local) {
            HistoryEntry known = published.stream().filter(p -> p.timeline() == e.timeline()).findFirst().orElse(e);
            String timestamp = known.timestamp() != null ? known.timestamp() : e.timestamp();
            String leader = known.newLeader() != null ? known.newLeader() : o.name();
            rows.add(List.of(e.timeline(), e.lsn(), e.reason(), timestamp == null ? "" : timestamp, leader));
        }
        try {
            dcs.setHistory(JSON.writeValueAsString(rows));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot encode history", e);
        }
    }

    private static boolean sameTimelines(List<HistoryEntry> local, List<HistoryEntry> published) {
        if (local.size() != published.size()) {
            return false;
        }
        for (int i = 0; i < local.size(); i++) {
            if (local.get(i).timeline() != published.get(i).timeline()) {
                return false;
            }
        }
        return true;
    }
}
