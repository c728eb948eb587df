package io.bulwark.postgres;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StandbyNamesTest {

    @Test
    void readsEveryFormPostgresqlAccepts() {
        assertThat(StandbyNames.parse("")).isEqualTo(StandbyNames.OFF);
        assertThat(StandbyNames.parse("  ")).isEqualTo(StandbyNames.OFF);
        StandbyNames any = StandbyNames.parse("ANY 2 (node2, \"node-3\",Node4)");
        assertThat(any.method()).isEqualTo(StandbyNames.Method.ANY);
        assertThat(any.num()).isEqualTo(2);
        assertThat(any.names()).containsExactly("node-3", "node2", "Node4");
        StandbyNames first = StandbyNames.parse("first 1 (\"a\"\"b\")");
        assertThat(first.method()).isEqualTo(StandbyNames.Method.FIRST);
        assertThat(first.names()).containsExactly("a\"b");
        assertThat(StandbyNames.parse("3(a,b,c)")).isEqualTo(new StandbyNames(StandbyNames.Method.FIRST, 3,
                java.util.Set.of("a", "b", "c")));
        assertThat(StandbyNames.parse("a, b")).isEqualTo(new StandbyNames(StandbyNames.Method.FIRST, 1,
                java.util.Set.of("a", "b")));
        assertThat(StandbyNames.parse("*").names()).containsExactly("*");
        assertThat(StandbyNames.parse("any").names()).as("a standby called any").containsExactly("any");
    }

    @Test
    void namesCompareCaseInsensitivelyAsPostgresqlDoes() {
        assertThat(StandbyNames.parse("ANY 1 (Node2)")).isEqualTo(StandbyNames.parse("ANY 1 (\"node2\")"));
    }

    @Test
    void writesSortedNamesQuotedOnlyWhenNeeded() {
        assertThat(StandbyNames.any(2, List.of("node3", "node-2", "any", "b$1")).format())
                .isEqualTo("ANY 2 (\"any\",b$1,\"node-2\",node3)");
        assertThat(StandbyNames.any(0, List.of("node3")).format()).isEmpty();
        assertThat(StandbyNames.any(1, List.of()).format()).isEmpty();
    }

    @Test
    void whatItWritesItReadsBack() {
        StandbyNames v = StandbyNames.any(2, List.of("node3", "weird \"name\"", "node1"));
        assertThat(StandbyNames.parse(v.format())).isEqualTo(v);
    }

    @Test
    void theStrictPlaceholderIsNoRealStandby() {
        StandbyNames v = StandbyNames.parse("ANY 1 (" + StandbyNames.STRICT_PLACEHOLDER + ")");
        assertThat(v.realNames()).isEmpty();
        assertThat(v.num()).isEqualTo(1);
    }

    @Test
    void refusesWhatPostgresqlWouldRefuseNamingTheValue() {
        for (String bad : List.of("1", "a,", "ANY 4(\"a\" b,\"c c\")", "FIRST 4(\"a\",)", "2 (,)", "ANY 1 (a",
                "a;b")) {
            assertThatThrownBy(() -> StandbyNames.parse(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("synchronous_standby_names '" + bad + "' cannot be parsed");
        }
    }
}
