package io.bulwark.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SlotNamesTest {

    @Test
    void lowercasesAndMapsDashesAndDotsToUnderscores() {
        assertThat(Postgres.slotNameFor("Node-1.dc")).isEqualTo("node_1_dc");
        assertThat(Postgres.slotNameFor("patroni-replica")).isEqualTo("patroni_replica");
    }

    @Test
    void encodesOtherCharactersAsCodePoints() {
        assertThat(Postgres.slotNameFor("a b")).isEqualTo("au0032b");
        assertThat(Postgres.slotNameFor("x@y")).isEqualTo("xu0064y");
        assertThat(Postgres.slotNameFor("é")).isEqualTo("u0233");
        assertThat(Postgres.slotNameFor("a\u4e2d")).isEqualTo("au20013");
    }

    @Test
    void truncatesTo63Characters() {
        String name = Postgres.slotNameFor("n".repeat(70));
        assertThat(name).hasSize(63);
        assertThat(SlotNames.isValid(name)).isTrue();
        assertThat(SlotNames.isValid("Bad-Name")).isFalse();
    }
}
