package io.bulwark.config;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maps the {@code bootstrap} section (reference §4.7) to {@link BootstrapConfig}: initdb, or a custom method
 * ({@code method: NAME} with {@code NAME: {command, no_params, keep_existing_recovery_conf, recovery_conf, ...}}).
 */
final class BootstrapParser {
    private static final Set<String> SUPPORTED = Set.of("dcs", "initdb", "pg_hba", "method");
    private static final Set<String> IGNORED = Set.of("post_bootstrap", "post_init", "users");
    /** What a custom method's {@code recovery_conf} may set: where WAL comes from and where recovery stops. */
    private static final Set<String> RECOVERY_SETTINGS = Set.of("restore_command", "recovery_end_command",
            "recovery_target", "recovery_target_lsn", "recovery_target_name", "recovery_target_time",
            "recovery_target_xid", "recovery_target_inclusive", "recovery_target_timeline", "recovery_target_action");
    /** initdb options Bulwark passes itself, or that would break bootstrap (Patroni forbids the same). */
    private static final Set<String> INITDB_FORBIDDEN = Set.of("pgdata", "D", "nosync", "N", "pwfile",
            "sync-only", "S", "version", "V");

    private BootstrapParser() {
    }

    /** Null when the section has errors (they are recorded). */
    static BootstrapConfig parse(Section bootstrap) {
        Problems problems = bootstrap.problems();
        int errorsBefore = problems.errors().size();
        String method = bootstrap.string("method", "initdb");
        ExternalMethod custom = null;
        Map<String, String> recoveryConf = Map.of();
        if (!method.equals("initdb")) {
            if (!(bootstrap.value(method) instanceof Map<?, ?> section) || !section.containsKey("command")) {
                // Falling back to initdb would create an empty cluster where the user expects restored data.
                problems.error(bootstrap.path(method) + ".command", "is required: bootstrap.method is '" + method
                        + "', so bootstrap." + method + " must name the command that creates the data directory");
            } else {
                custom = ExternalMethod.parse(bootstrap, method, Set.of(BootstrapConfig.KEEP_EXISTING_RECOVERY_CONF),
                        Set.of("recovery_conf"));
                recoveryConf = recoveryConf(bootstrap.section(method).section("recovery_conf"));
            }
        }
        Set<String> supported = new HashSet<>(SUPPORTED);
        supported.add(method);
        bootstrap.checkKeys(supported, IGNORED);
        Section dcs = bootstrap.section("dcs");
        DynamicConfig dynamic = DynamicConfigParser.parse(dcs.map(), dcs.path(), problems);
        List<String> initdb = Options.parse(bootstrap, "initdb", INITDB_FORBIDDEN);
        if (bootstrap.value("pg_hba") instanceof String) {
            problems.error(bootstrap.path("pg_hba"), "must be a list of strings, got a string");
        }
        List<String> pgHba = bootstrap.stringList("pg_hba");
        if (problems.errors().size() > errorsBefore) {
            return null;
        }
        return new BootstrapConfig(dynamic, initdb, pgHba, custom, recoveryConf);
    }

    private static Map<String, String> recoveryConf(Section section) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : section.map().entrySet()) {
            String value = Scalars.asSetting(e.getValue());
            if (!RECOVERY_SETTINGS.contains(e.getKey())) {
                section.problems().error(section.path(e.getKey()), "is not a recovery setting a bootstrap may set;"
                        + " expected one of " + String.join(", ", new java.util.TreeSet<>(RECOVERY_SETTINGS)));
            } else if (value == null) {
                section.problems().error(section.path(e.getKey()), "must be a scalar, got "
                        + Scalars.describe(e.getValue()));
            } else {
                out.put(e.getKey(), value);
            }
        }
        return out;
    }
}
