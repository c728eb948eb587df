package io.bulwark.config;

import java.util.Map;

/**
 * Synchronous replication settings of the dynamic configuration (reference §4.3), parsed here only.
 *
 * @param enabled              {@code synchronous_mode: true} (or {@code on}, or {@code quorum}): acknowledged commits
 *                             wait for the standbys named in {@code synchronous_standby_names}, and only a member
 *                             recorded in the {@code sync} key may be promoted automatically
 * @param quorum               {@code synchronous_mode: quorum}: {@code synchronous_standby_names = 'ANY k (...)'} over
 *                             every eligible standby, and the {@code sync} key's {@code quorum} says how many of its
 *                             members a candidate must see (see ha.QuorumResolver)
 * @param strict               {@code synchronous_mode_strict}: with no synchronous standby left, writes block
 *                             ({@code synchronous_standby_names = '*'}) instead of going on asynchronously
 * @param nodeCount            {@code synchronous_node_count}, at least 1
 * @param maximumLagOnSyncnode {@code maximum_lag_on_syncnode} in bytes; a streaming standby further behind is not
 *                             chosen (and is replaced when another can take its place); -1 (default) disables it
 */
public record SyncSettings(boolean enabled, boolean quorum, boolean strict, int nodeCount,
                           long maximumLagOnSyncnode) {
    public static final SyncSettings OFF = new SyncSettings(false, false, false, 1, -1);

    /** Priority synchronous mode ({@code synchronous_mode: true}). */
    public SyncSettings(boolean enabled, boolean strict, int nodeCount, long maximumLagOnSyncnode) {
        this(enabled, false, strict, nodeCount, maximumLagOnSyncnode);
    }

    /** Is {@code value} (as stored in {@code synchronous_mode}) the quorum mode? Case-insensitive, as Patroni. */
    public static boolean isQuorum(Object value) {
        return value instanceof String s && s.trim().equalsIgnoreCase("quorum");
    }

    /** From the dynamic configuration tree; problems go to {@code dcs}'s problem list. */
    static SyncSettings parse(Section dcs) {
        Object mode = dcs.value("synchronous_mode");
        boolean quorum = isQuorum(mode);
        Boolean on = quorum ? Boolean.TRUE : mode == null ? Boolean.FALSE : Scalars.asBoolean(mode);
        if (on == null) {
            dcs.problems().error(dcs.path("synchronous_mode"), "must be true, false or quorum, got "
                    + Scalars.describe(mode));
        }
        boolean enabled = Boolean.TRUE.equals(on);
        boolean strict = dcs.bool("synchronous_mode_strict", false);
        Integer count = dcs.integer("synchronous_node_count", 1, 1);
        Long maxLag = dcs.longValue("maximum_lag_on_syncnode", -1L, -1);
        return new SyncSettings(enabled, quorum, strict, count == null ? 1 : count, maxLag == null ? -1 : maxLag);
    }

    /** From a stored, already validated tree (the {@code raw} of a {@link DynamicConfig}). */
    static SyncSettings of(Map<String, Object> raw) {
        return parse(new Section(raw, "", new Problems()));
    }
}
