package io.bulwark.dcs;

import java.util.Map;

/**
 * The JSON value of {@code members/<name>}, field for field as Patroni writes it (reference §1.2).
 * Absent optional fields are {@code null}; {@link #extra} keeps fields we do not model so that a
 * read-modify-write never drops what another tool wrote.
 *
 * @param connUrl         {@code conn_url}: {@code postgres://host:port/postgres}
 * @param apiUrl          {@code api_url}: {@code http://host:port/patroni}
 * @param state           PostgreSQL state string ({@code running}, {@code stopped}, ...)
 * @param role            {@code primary}, {@code replica}, {@code standby_leader}, {@code demoted},
 *                        {@code promoted} or {@code uninitialized} ({@code master} is read as primary)
 * @param version         Patroni protocol version we speak (peers parse it)
 * @param xlogLocation    primary: flush LSN; replica: max(receive, replay), in bytes
 * @param replayLsn       replica only
 * @param receiveLsn      replica only
 * @param replicationState replica only: {@code streaming} or {@code in archive recovery}
 * @param timeline        current timeline
 * @param tags            effective tags (nofailover, noloadbalance, clonefrom, nosync, ...)
 * @param bulwarkVersion  Bulwark's own version (extra field, ignored by Patroni)
 * @param extra           any other fields, preserved verbatim
 */
public record MemberData(
        String connUrl,
        String apiUrl,
        String state,
        String role,
        String version,
        Long xlogLocation,
        Long replayLsn,
        Long receiveLsn,
        String replicationState,
        Integer timeline,
        Map<String, Object> tags,
        String bulwarkVersion,
        Map<String, Object> extra) {

    public MemberData {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        extra = extra == null ? Map.of() : Map.copyOf(extra);
    }

    public boolean isPrimaryRole() {
        return "primary".equals(role) || "master".equals(role);
    }

    public boolean tagTrue(String tag) {
        Object v = tags.get(tag);
        return v instanceof Boolean b ? b : v != null && "true".equalsIgnoreCase(v.toString());
    }

    /**
     * Tag {@code sync_priority}: higher is chosen first as a synchronous standby; 0 or less never (as {@code nosync}).
     * Default 1; a value that is not a whole number reads as 1.
     */
    public int syncPriority() {
        Object v = tags.get("sync_priority");
        if (v == null) {
            return 1;
        }
        try {
            return Integer.parseInt(v.toString().trim());
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /** May be a synchronous standby: neither {@code nosync} nor a {@code sync_priority} of 0 or less. */
    public boolean maySync() {
        return !tagTrue("nosync") && syncPriority() > 0;
    }

    /** This member's failover priority from its tags: see {@link #failoverPriority(Map)}. */
    public int failoverPriority() {
        return failoverPriority(tags);
    }

    /** May be promoted automatically: neither {@code nofailover} nor a failover priority of 0. */
    public boolean mayFailover() {
        return failoverPriority() > 0;
    }

    /**
     * The one reading of the tags {@code nofailover} and {@code failover_priority} (as Patroni): a true
     * {@code nofailover} means 0, and wins over a conflicting priority; a false one with priority 0 means 1;
     * otherwise the priority (0 = never promote, negative read as 0), default 1. A priority that is not a whole
     * number reads as the default; a {@code nofailover} is true as Patroni's {@code parse_bool}.
     */
    public static int failoverPriority(Map<String, ?> tags) {
        if (tags == null) {
            return 1;
        }
        Integer priority = null;
        Object p = tags.get("failover_priority");
        if (p != null) {
            try {
                priority = Math.max(0, Integer.parseInt(p.toString().strip()));
            } catch (NumberFormatException e) {
                priority = null;
            }
        }
        Object nofailover = tags.get("nofailover");
        if (nofailover != null) {
            if (isTrue(nofailover)) {
                return 0;
            }
            return priority == null || priority == 0 ? 1 : priority;
        }
        return priority == null ? 1 : priority;
    }

    private static boolean isTrue(Object v) {
        String t = v.toString().strip().toLowerCase(java.util.Locale.ROOT);
        return t.equals("true") || t.equals("on") || t.equals("yes") || t.equals("1");
    }
}
