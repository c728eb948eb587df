package io.bulwark.config;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** A Patroni method section (replica creation or custom bootstrap): argv as Patroni builds it, errors naming keys. */
class ExternalMethodTest {
    private final Problems problems = new Problems();

    private ExternalMethod parse(Object section) {
        Map<String, Object> parent = new LinkedHashMap<>();
        if (section != null) {
            parent.put("pgbackrest", section);
        }
        return ExternalMethod.parse(new Section(parent, "postgresql", problems), "pgbackrest",
                Set.of("keep_data", "no_leader"), Set.of());
    }

    @Test
    void paramsThenOptionsFollowTheCommandAndTheUsersValueWins() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("command", "/usr/bin/pgbackrest --stanza=main --delta restore");
        s.put("keep_data", true);
        s.put("type", "standby");
        s.put("scope", "mine");
        ExternalMethod m = parse(s);

        assertThat(problems.errors()).isEmpty();
        assertThat(m.flag("keep_data")).isTrue();
        assertThat(m.flag("no_leader")).isFalse();
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("scope", "batman");
        defaults.put("datadir", "/d");
        assertThat(m.argv(defaults)).containsExactly("/usr/bin/pgbackrest", "--stanza=main", "--delta", "restore",
                "--scope=mine", "--datadir=/d", "--type=standby");
    }

    @Test
    void noParamsRunsTheCommandAlone() {
        ExternalMethod m = parse(Map.of("command", "restore.sh 'a b'", "no_params", true, "x", 1));
        assertThat(m.argv(Map.of("scope", "s"))).containsExactly("restore.sh", "a b");
    }

    @Test
    void anAbsentSectionRunsTheMethodsName() {
        assertThat(parse(null).argv(Map.of())).containsExactly("pgbackrest");
    }

    @Test
    void nestedValuesAndBadFlagsAreErrorsNamingTheKey() {
        assertThat(parse(Map.of("command", "x", "opts", List.of("a"), "keep_data", "maybe"))).isNull();
        assertThat(problems.errors()).extracting(ConfigProblem::path)
                .contains("postgresql.pgbackrest.opts", "postgresql.pgbackrest.keep_data");
    }

    @Test
    void anUnbalancedQuoteIsAnError() {
        assertThat(parse(Map.of("command", "restore 'oops"))).isNull();
        assertThat(problems.errors()).extracting(ConfigProblem::path).containsExactly("postgresql.pgbackrest.command");
    }
}
