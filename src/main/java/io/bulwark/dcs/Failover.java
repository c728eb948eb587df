package io.bulwark.dcs;

import java.time.OffsetDateTime;

/**
 * The {@code failover} key: {@code {"leader": from, "member": candidate, "scheduled_at": iso}}, every field
 * optional. Patroni "clears" it by writing {@code {}}; such a value reads as {@link #isEmpty()}.
 *
 * @param version     modification revision
 * @param leader      the member to switch over from, or {@code null}
 * @param candidate   the member to promote (stored under {@code member}), or {@code null}
 * @param scheduledAt when to act, or {@code null} for now
 */
public record Failover(long version, String leader, String candidate, OffsetDateTime scheduledAt) {
    public boolean isEmpty() {
        return leader == null && candidate == null && scheduledAt == null;
    }
}
