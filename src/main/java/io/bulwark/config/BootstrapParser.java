package io.bulwark.config;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Maps the {@code bootstrap} section (reference §4.7) to {@link BootstrapConfig}. */
final class BootstrapParser {
    private static final Set<String> SUPPORTED = Set.of("dcs", "initdb", "pg_hba", "method");
    private static final Set<String> IGNORED = Set.of("post_bootstrap", "post_init", "users");
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
        if (!method.equals("initdb")) {
            // Falling back to initdb would create an empty cluster where the user expects restored data.
            problems.error(bootstrap.path("method"), "bootstrap method '" + method
                    + "' is not supported by Bulwark (only initdb)");
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
        return new BootstrapConfig(dynamic, initdb, pgHba);
    }
}
