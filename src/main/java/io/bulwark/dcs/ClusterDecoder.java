package io.bulwark.dcs;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a {@link Cluster} from the raw keys under one cluster prefix, as Patroni's cluster loader does. Never
 * throws on bad values (see {@link DcsCodec}); keys it does not know are ignored.
 *
 * <p>An instance remembers the last clean value of each key. When a key is rewritten with junk, a value of the
 * wrong JSON type or a field of the wrong type ({@code config}, {@code leader}, {@code members/*},
 * {@code status}, {@code history}, {@code sync}, {@code failsafe}), the cluster keeps the last clean value, at the key's new
 * version (so compare-and-set against the key still works), and says so once per bad version. Without that, a
 * tool writing junk into {@code config} reset the cluster to default settings, and junk in {@code status} made
 * the leader's slots and position look unknown. Exceptions: {@code failover} (a garbled request is void: acting
 * on an older request would be worse) and {@code initialize} (read as text, never decoded). A deleted key is
 * forgotten. The static {@link #decode(DcsKeys, Collection)} has no memory (one-off reads such as bulwarkctl).
 */
public final class ClusterDecoder {
    private static final Logger log = LoggerFactory.getLogger(ClusterDecoder.class);

    private final DcsKeys keys;
    private final Map<String, Object> lastClean = new HashMap<>();
    private final Map<String, Long> saidFor = new HashMap<>();

    public ClusterDecoder(DcsKeys keys) {
        this.keys = keys;
    }

    public static Cluster decode(DcsKeys keys, Collection<StoredValue> values) {
        return new ClusterDecoder(keys).decode(values);
    }

    public synchronized Cluster decode(Collection<StoredValue> values) {
        Map<String, StoredValue> byKey = new HashMap<>();
        List<Member> members = new ArrayList<>();
        String membersPrefix = keys.membersPrefix();
        for (StoredValue v : values) {
            byKey.put(v.key(), v);
            if (v.key().startsWith(membersPrefix)) {
                String name = v.key().substring(membersPrefix.length());
                if (!name.isEmpty() && !name.contains("/")) {
                    MemberData data = kept(v, MemberCodec.decodeChecked(v.key(), v.value()));
                    members.add(new Member(name, v.modRevision(), v.lease(), data));
                }
            }
        }
        members.sort(Comparator.comparing(Member::name));
        lastClean.keySet().retainAll(byKey.keySet());
        saidFor.keySet().retainAll(byKey.keySet());

        StoredValue initialize = byKey.get(keys.initialize());
        StoredValue config = byKey.get(keys.config());
        StoredValue leader = byKey.get(keys.leader());
        StoredValue failover = byKey.get(keys.failover());
        StoredValue history = byKey.get(keys.history());
        StoredValue sync = byKey.get(keys.sync());
        StoredValue failsafe = byKey.get(keys.failsafe());
        return new Cluster(
                initialize == null ? null : initialize.value(),
                config == null ? null : config(config),
                leader == null ? null : leader(leader),
                members,
                status(byKey),
                failover == null ? null : DcsCodec.decodeFailover(failover.modRevision(), failover.value()),
                history == null ? List.of() : kept(history, HistoryCodec.decodeChecked(history.value())),
                sync == null ? null : sync(sync),
                failsafe == null ? null : kept(failsafe, FailsafeCodec.decodeChecked(failsafe.value())));
    }

    private ClusterConfig config(StoredValue v) {
        ClusterConfig decoded = DcsCodec.decodeConfig(v.modRevision(), v.value());
        ClusterConfig kept = kept(v, new Decoded<>(decoded, decoded.readable()));
        return kept == decoded ? decoded : new ClusterConfig(v.modRevision(), kept.data(), true);
    }

    /** The leader key's value is the holder's bare name; a blank one names nobody, so the last holder stays. */
    private Leader leader(StoredValue v) {
        String name = v.value().strip();
        String kept = kept(v, new Decoded<>(name, !name.isEmpty()));
        return new Leader(kept, v.modRevision(), v.lease());
    }

    private SyncState sync(StoredValue v) {
        Decoded<SyncState> decoded = DcsCodec.decodeSyncStateChecked(v.modRevision(), v.value());
        SyncState kept = kept(v, decoded);
        return kept == decoded.value() ? kept
                : new SyncState(v.modRevision(), kept.leader(), kept.quorum(), kept.syncStandby());
    }

    /** {@code status}, or Patroni &lt; 2.1's bare integer {@code optime/leader} when only that exists. */
    private ClusterStatus status(Map<String, StoredValue> byKey) {
        StoredValue status = byKey.get(keys.status());
        if (status == null) {
            status = byKey.get(keys.optimeLeader());
        }
        return status == null ? ClusterStatus.EMPTY : kept(status, DcsCodec.decodeStatusChecked(status.value()));
    }

    /** The decoded value when clean (and remembered), else the last clean value of the key if there is one. */
    @SuppressWarnings("unchecked")
    private <T> T kept(StoredValue v, Decoded<T> decoded) {
        if (decoded.clean()) {
            lastClean.put(v.key(), decoded.value());
            return decoded.value();
        }
        Object last = lastClean.get(v.key());
        Long said = saidFor.put(v.key(), v.modRevision());
        if (said == null || said != v.modRevision()) {
            if (last != null) {
                log.warn("{} (version {}) is not a valid value: keeping its last good value", v.key(),
                        v.modRevision());
            } else {
                log.warn("{} (version {}) is not a valid value and no good value was seen before", v.key(),
                        v.modRevision());
            }
        }
        return last == null ? decoded.value() : (T) last;
    }
}
