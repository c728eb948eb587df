package io.bulwark.config;

import java.util.Map;

/**
 * Synchronous replication settings of the dynamic configuration (reference §4.3), parsed here only.
 *
 * @param enabled              {@code synchronous_mode: true} (or {@code on}): acknowledged commits wait for the
 *                             standbys named in {@code synchronous_standby_names}, and only a member recorded in the
 *                             {@code sync} key may be promoted automatically
 * @param strict               {@code synchronous_mode_strict}: with no synchronous standby left, writes block
 *                             ({@code synchronous_standby_names = '*'}) instead of going on asynchronously
 * @param nodeCount            {@code synchronous_node_count}, at least 1
 * @param maximumLagOnSyncnode {@code maximum_lag_on_syncnode} in bytes; a streaming standby further behind is not
 *                             chosen (and is replaced when another can take its place); -1 (default) disables it
 */
public record SyncSettings(boolean enabled, boolean strict, int nodeCount, long maximumLagOnSyncnode) {
    public static final SyncSettings OFF = new SyncSettings(false, false, 1, -1);

    /** From the dynamic configuration tree; problems go to {@code dcs}'s problem list. */
    static SyncSettings parse(Section dcs) {
        Object mode = dcs.value("synchronous_mode");
        boolean enabled = false;
        if ("quorum".equals(mode)) {
            dcs.problems().error(dcs.path("synchronous_mode"), "quorum commit is not supported by Bulwark; use true"
                    + " (the standbys named in synchronous_standby_names, FIRST n) or false");
        } else if (mode != null) {
            enabled = dcs.bool("synchronous_mode", false);
        }
        boolean strict = dcs.bool("synchronous_mode_strict", false);
        Integer count = dcs.integer("synchronous_node_count", 1, 1);
        Long maxLag = dcs.longValue("maximum_lag_on_syncnode", -1L, -1);
        return new SyncSettings(enabled, strict, count == null ? 1 : count, maxLag == null ? -1 : maxLag);
    }

    /** From a stored, already validated tree (the {@code raw} of a {@link DynamicConfig}). */
    static SyncSettings of(Map<String, Object> raw) {
        return parse(new Section(raw, "", new Problems()));
    }
}
