package io.bulwark.config;

import java.util.Map;

/**
 * {@code tags} (reference §4.9). {@link #published()} is what goes into the member key.
 *
 * @param nofailover       never promote this member automatically
 * @param noloadbalance    {@code /replica} answers 503
 * @param clonefrom        prefer this member as a basebackup source
 * @param nosync           never a synchronous standby
 * @param failoverPriority 0 means never promote; higher wins among equally healthy candidates
 * @param replicatefrom    stream from this member instead of the leader
 * @param published        effective tags as published in {@code members/<name>}
 */
public record Tags(boolean nofailover, boolean noloadbalance, boolean clonefrom, boolean nosync,
                   int failoverPriority, String replicatefrom, Map<String, Object> published) {
    public Tags {
        published = Map.copyOf(published);
    }

    public static Tags none() {
        return new Tags(false, false, false, false, 1, null, Map.of());
    }

    /** May this member be promoted automatically? */
    public boolean canFailover() {
        return !nofailover && failoverPriority > 0;
    }
}
