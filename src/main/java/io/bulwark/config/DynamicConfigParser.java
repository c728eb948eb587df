package io.bulwark.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Maps the dynamic configuration between its tree form (the {@code bootstrap.dcs} YAML section, or the JSON
 * value of the {@code config} key in the DCS, reference §4.3) and {@link DynamicConfig}.
 *
 * <p>Used on two occasions with different stakes: at startup an error stops the agent; at run time a value
 * written by someone else (patronictl edit-config, curl) that fails here must be rejected while the last good
 * config stays in force, so this class never throws on bad input. Numbers may arrive as int, long or whole
 * double (JSON); digit strings are accepted as Patroni does. Keys Bulwark does not model are kept in
 * {@link DynamicConfig#raw()} and written back by {@link #toMap}, so a Bulwark agent never erases settings other
 * tools put there. Missing values take {@link DynamicConfig#defaults()}.
 */
public final class DynamicConfigParser {

    /**
     * Outcome of {@link #parse}.
     *
     * @param config the parsed config, or {@code null} when there are errors
     */
    public record Result(DynamicConfig config, List<ConfigProblem> errors, List<ConfigProblem> warnings) {
        public Result {
            errors = List.copyOf(errors);
            warnings = List.copyOf(warnings);
        }

        public boolean ok() {
            return errors.isEmpty();
        }
    }

    /** Patroni's dynamic keys (§4.3) that Bulwark does not model; kept silently in {@code raw}. */
    private static final Set<String> PATRONI_KEYS = Set.of("ttl", "loop_wait", "retry_timeout",
            "maximum_lag_on_failover", "primary_start_timeout", "master_start_timeout", "postgresql",
            "maximum_lag_on_syncnode", "primary_stop_timeout", "master_stop_timeout", "primary_race_backoff",
            "synchronous_mode", "synchronous_mode_strict", "synchronous_node_count", "failsafe_mode",
            "check_timeline", "pause", "max_timelines_history", "member_slots_ttl", "slots", "permanent_slots",
            "permanent_replication_slots", "ignore_slots", "standby_cluster");
    /**
     * Patroni dynamic keys Bulwark accepts but does not act on, with what that means for a cluster migrated with
     * them: each is a warning naming the key (at start, in --validate-config, and when the config key changes).
     */
    static final Map<String, String> NOT_IMPLEMENTED = Map.ofEntries(
            Map.entry("check_timeline", "not implemented by Bulwark: a replica's timeline is not compared with the"
                    + " leader's before it is promoted"),
            Map.entry("max_timelines_history", "not implemented by Bulwark: the history key keeps every timeline"),
            Map.entry("primary_stop_timeout", "not implemented by Bulwark: a primary's stop is bounded by"
                    + " postgresql.pg_ctl_timeout"),
            Map.entry("master_stop_timeout", "not implemented by Bulwark: a primary's stop is bounded by"
                    + " postgresql.pg_ctl_timeout"),
            Map.entry("primary_race_backoff", "not implemented by Bulwark: members race for the lock without it"));
    private static final Set<String> PATRONI_POSTGRESQL_KEYS = Set.of("use_pg_rewind", "use_slots", "parameters",
            "pg_hba", "pg_ident", "recovery_conf", "pg_ctl_timeout", "rewind", "basebackup",
            "remove_data_directory_on_rewind_failure", "remove_data_directory_on_diverged_timelines");
    /** The dynamic {@code postgresql} keys Bulwark acts on; the other Patroni ones warn (kept in raw). */
    private static final Set<String> POSTGRESQL_MODELLED = Set.of("use_pg_rewind", "use_slots", "parameters",
            "pg_hba", "remove_data_directory_on_rewind_failure");
    private static final Set<String> TYPED_KEYS = Set.of("ttl", "loop_wait", "retry_timeout",
            "maximum_lag_on_failover", "primary_start_timeout", "master_start_timeout", "postgresql");

    private DynamicConfigParser() {
    }

    /**
     * Parses a dynamic configuration tree.
     *
     * @param map        the tree; {@code null} is treated as empty (all defaults)
     * @param pathPrefix prefix of problem paths, e.g. {@code bootstrap.dcs}, or empty for the DCS value
     */
    public static Result parse(Map<String, Object> map, String pathPrefix) {
        Problems problems = new Problems();
        DynamicConfig config = parse(map, pathPrefix, problems);
        return new Result(config, problems.errors(), problems.warnings());
    }

    /** As {@link #parse(Map, String)}, recording into {@code problems}; null if this call found errors. */
    static DynamicConfig parse(Map<String, Object> map, String pathPrefix, Problems problems) {
        int errorsBefore = problems.errors().size();
        Map<String, Object> tree = map == null ? Map.of() : map;
        Section dcs = new Section(tree, pathPrefix, problems);
        for (String key : tree.keySet()) {
            if (!PATRONI_KEYS.contains(key)) {
                problems.warning(dcs.path(key), "unknown key");
            } else if (NOT_IMPLEMENTED.containsKey(key) && !Boolean.FALSE.equals(Scalars.asBoolean(tree.get(key)))) {
                problems.warning(dcs.path(key), NOT_IMPLEMENTED.get(key));
            }
        }
        DynamicConfig d = DynamicConfig.defaults();
        Integer ttl = dcs.integer("ttl", d.ttl(), DynamicConfig.MIN_TTL);
        Integer loopWait = dcs.integer("loop_wait", d.loopWait(), DynamicConfig.MIN_LOOP_WAIT);
        Integer retryTimeout = dcs.integer("retry_timeout", d.retryTimeout(), DynamicConfig.MIN_RETRY_TIMEOUT);
        if (ttl != null && loopWait != null && retryTimeout != null && loopWait + 2L * retryTimeout > ttl) {
            problems.error(dcs.path("ttl"), "loop_wait + 2*retry_timeout (" + loopWait + "+2*" + retryTimeout
                    + "=" + (loopWait + 2L * retryTimeout) + ") must be <= ttl (" + ttl + ")");
        }
        Long maximumLag = dcs.longValue("maximum_lag_on_failover", d.maximumLagOnFailover(), 0);
        Integer startTimeout = primaryStartTimeout(dcs, d.primaryStartTimeout());
        SyncSettings.parse(dcs);
        DynamicConfig.failsafeMode(dcs);
        SlotSettings.parse(dcs);
        StandbyClusterConfig.parse(dcs);

        Section pg = dcs.section("postgresql");
        for (String key : pg.map().keySet()) {
            if (!PATRONI_POSTGRESQL_KEYS.contains(key) && !key.startsWith("parameters_")
                    && !key.startsWith("pg_hba_") && !key.startsWith("pg_ident_")) {
                problems.warning(pg.path(key), "unknown key");
            } else if (!POSTGRESQL_MODELLED.contains(key)) {
                problems.warning(pg.path(key), "is a Patroni setting Bulwark does not support in the dynamic"
                        + " configuration; ignored");
            }
        }
        boolean usePgRewind = pg.bool("use_pg_rewind", d.usePgRewind());
        boolean useSlots = pg.bool("use_slots", d.useSlots());
        boolean removeOnRewindFailure = pg.bool("remove_data_directory_on_rewind_failure",
                d.removeDataDirectoryOnRewindFailure());
        pg.bool("remove_data_directory_on_diverged_timelines", false); // validated; read by DynamicConfig
        Map<String, Object> parameters = parameters(pg.section("parameters"));
        List<String> pgHba = pg.stringList("pg_hba");
        if (pg.value("pg_hba") instanceof String) {
            problems.error(pg.path("pg_hba"), "must be a list of strings, got a string");
        }

        if (problems.errors().size() > errorsBefore) {
            return null;
        }
        return new DynamicConfig(ttl, loopWait, retryTimeout, maximumLag, startTimeout, usePgRewind, useSlots,
                removeOnRewindFailure, parameters, pgHba, Scalars.freezeMap(new LinkedHashMap<>(tree)));
    }

    /**
     * The JSON-ready tree written to the DCS {@code config} key, with Patroni's key names: the typed values
     * over the unknown keys of {@link DynamicConfig#raw()}. The legacy {@code master_start_timeout} is written
     * as {@code primary_start_timeout}. The returned maps are fresh and mutable.
     */
    public static Map<String, Object> toMap(DynamicConfig config) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ttl", config.ttl());
        out.put("loop_wait", config.loopWait());
        out.put("retry_timeout", config.retryTimeout());
        out.put("maximum_lag_on_failover", config.maximumLagOnFailover());
        out.put("primary_start_timeout", config.primaryStartTimeout());
        config.raw().forEach((key, value) -> {
            if (!TYPED_KEYS.contains(key)) {
                out.put(key, Scalars.thaw(value));
            }
        });
        Map<String, Object> pg = new LinkedHashMap<>();
        if (config.raw().get("postgresql") instanceof Map<?, ?> rawPg) {
            rawPg.forEach((k, v) -> pg.put(String.valueOf(k), Scalars.thaw(v)));
        }
        pg.put("use_pg_rewind", config.usePgRewind());
        pg.put("use_slots", config.useSlots());
        pg.put("remove_data_directory_on_rewind_failure", config.removeDataDirectoryOnRewindFailure());
        if (!config.parameters().isEmpty() || pg.containsKey("parameters")) {
            pg.put("parameters", new TreeMap<>(config.parameters()));
        }
        if (!config.pgHba().isEmpty() || pg.containsKey("pg_hba")) {
            pg.put("pg_hba", new ArrayList<>(config.pgHba()));
        }
        out.put("postgresql", pg);
        return out;
    }

    /** Whether {@code key} is one of Patroni's dynamic configuration keys (§4.3). */
    static boolean isDynamicKey(String key) {
        return PATRONI_KEYS.contains(key);
    }

    private static Integer primaryStartTimeout(Section dcs, int defaultValue) {
        if (dcs.has("primary_start_timeout")) {
            if (dcs.has("master_start_timeout")) {
                dcs.problems().warning(dcs.path("master_start_timeout"),
                        "legacy alias ignored because primary_start_timeout is set");
            }
            return dcs.integer("primary_start_timeout", defaultValue, 0);
        }
        return dcs.integer("master_start_timeout", defaultValue, 0);
    }

    /** Scalar settings; whole numbers normalised to Integer/Long; null values (meaning "unset") dropped. */
    private static Map<String, Object> parameters(Section section) {
        Map<String, Object> out = new LinkedHashMap<>();
        section.map().forEach((name, value) -> {
            if (value instanceof Map<?, ?> || value instanceof List<?>) {
                section.problems().error(section.path(name), "must be a single value, got " + Scalars.describe(value));
            } else if (value instanceof Number n && Scalars.asLong(n) != null) {
                long whole = Scalars.asLong(n);
                out.put(name, whole == (int) whole ? (Object) (int) whole : (Object) whole);
            } else if (value != null) {
                out.put(name, value);
            }
        });
        return out;
    }
}
