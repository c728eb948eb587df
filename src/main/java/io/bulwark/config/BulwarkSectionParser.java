package io.bulwark.config;

import java.util.Set;

/**
 * The top-level {@code bulwark:} section: Bulwark's own settings, which Patroni does not know (Patroni warns
 * about nothing it does not know, so the section is harmless in a file shared with Patroni).
 * {@code allow_unsupported} (default false) turns the errors for Patroni settings Bulwark does not implement
 * and whose absence changes durability or safety ({@link Problems#unsupported}) into warnings. Read before
 * every other section, since it decides how their problems are recorded. {@code pgbackrest}: {@link PgBackRest}.
 */
final class BulwarkSectionParser {
    private BulwarkSectionParser() {
    }

    /** Returns {@code bulwark.pgbackrest}, or null without one (or after an error, recorded). */
    static PgBackRest parse(Section bulwark) {
        bulwark.requireKnownKeys(Set.of("allow_unsupported", "pgbackrest"), Set.of());
        bulwark.problems().allowUnsupported(bulwark.bool("allow_unsupported", false));
        return PgBackRest.parse(bulwark);
    }
}
