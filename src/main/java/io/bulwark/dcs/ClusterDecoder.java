package io.bulwark.dcs;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link Cluster} from the raw keys under one cluster prefix, as Patroni's cluster loader does. Never
 * throws on bad values (see {@link DcsCodec}); keys it does not know are ignored.
 */
public final class ClusterDecoder {
    private ClusterDecoder() {
    }

    public static Cluster decode(DcsKeys keys, Collection<StoredValue> values) {
        Map<String, StoredValue> byKey = new HashMap<>();
        List<Member> members = new ArrayList<>();
        String membersPrefix = keys.membersPrefix();
        for (StoredValue v : values) {
            byKey.put(v.key(), v);
            if (v.key().startsWith(membersPrefix)) {
                String name = v.key().substring(membersPrefix.length());
                if (!name.isEmpty() && !name.contains("/")) {
                    members.add(new Member(name, v.modRevision(), v.lease(), DcsCodec.decodeMember(v.key(), v.value())));
                }
            }
        }
        members.sort(Comparator.comparing(Member::name));

        StoredValue initialize = byKey.get(keys.initialize());
        StoredValue config = byKey.get(keys.config());
        StoredValue leader = byKey.get(keys.leader());
        StoredValue failover = byKey.get(keys.failover());
        StoredValue history = byKey.get(keys.history());
        StoredValue sync = byKey.get(keys.sync());
        return new Cluster(
                initialize == null ? null : initialize.value(),
                config == null ? null : DcsCodec.decodeConfig(config.modRevision(), config.value()),
                leader == null ? null : new Leader(leader.value().strip(), leader.modRevision(), leader.lease()),
                members,
                status(keys, byKey),
                failover == null ? null : DcsCodec.decodeFailover(failover.modRevision(), failover.value()),
                history == null ? List.of() : DcsCodec.decodeHistory(history.value()),
                sync == null ? null : DcsCodec.decodeSyncState(sync.modRevision(), sync.value()));
    }

    /** {@code status}, or Patroni &lt; 2.1's bare integer {@code optime/leader} when only that exists. */
    private static ClusterStatus status(DcsKeys keys, Map<String, StoredValue> byKey) {
        StoredValue status = byKey.get(keys.status());
        if (status != null) {
            return DcsCodec.decodeStatus(status.value());
        }
        StoredValue optime = byKey.get(keys.optimeLeader());
        return optime == null ? ClusterStatus.EMPTY : DcsCodec.decodeStatus(optime.value());
    }
}
