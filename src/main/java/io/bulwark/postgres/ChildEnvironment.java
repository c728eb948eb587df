package io.bulwark.postgres;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the agent's children (pg_ctl and so the postmaster and every backend, pg_basebackup, pg_rewind, the
 * fence) inherit of the agent's environment: everything but the agent's own configuration and libpq's
 * redirections.
 *
 * <ul>
 *   <li>{@code PATRONI_*} and {@code BULWARK_*}: the agent's configuration, passwords included
 *       ({@code PATRONI_SUPERUSER_PASSWORD}, {@code PATRONI_RESTAPI_PASSWORD}, ...). A backend's environment is
 *       readable in {@code /proc/PID/environ} by the PostgreSQL OS user and by any superuser SQL session that
 *       can run programs, so a password there outlives the agent's start by the life of the server.</li>
 *   <li>libpq variables ({@code PGHOST}, {@code PGPASSWORD}, ...) that would point our tools elsewhere.</li>
 * </ul>
 */
public final class ChildEnvironment {
    private static final List<String> AGENT_PREFIXES = List.of("PATRONI_", "BULWARK_");
    private static final List<String> LIBPQ = List.of("PGHOST", "PGHOSTADDR", "PGPORT", "PGUSER", "PGDATABASE",
            "PGPASSWORD", "PGPASSFILE", "PGSERVICE", "PGSERVICEFILE", "PGDATA", "PGOPTIONS");

    private ChildEnvironment() {
    }

    /** Removes, in place, every variable a child must not inherit. */
    public static void scrub(Map<String, String> env) {
        env.keySet().removeIf(name -> LIBPQ.contains(name)
                || AGENT_PREFIXES.stream().anyMatch(prefix -> name.toUpperCase(Locale.ROOT).startsWith(prefix)));
    }
}
