package io.bulwark.postgres;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Where a WAL segment begins, for the check that a copied slot's WAL is on the replica. */
class LogicalSlotCopyTest {
    @Test
    void segmentStartFollowsPostgresNaming() {
        long mb16 = 16L * 1024 * 1024;
        assertThat(LogicalSlotCopy.segmentStart("000000010000000000000001", mb16)).isEqualTo(mb16);
        assertThat(LogicalSlotCopy.segmentStart("000000030000000000000004", mb16)).isEqualTo(0x4000000L);
        assertThat(LogicalSlotCopy.segmentStart("0000000100000002000000FF", mb16)).isEqualTo((2L << 32) + 0xFF * mb16);
        assertThat(LogicalSlotCopy.segmentStart("000000010000000100000002", 64L * 1024 * 1024))
                .isEqualTo((1L << 32) + 2 * 64L * 1024 * 1024);
    }
}
