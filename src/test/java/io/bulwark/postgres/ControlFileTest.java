package io.bulwark.postgres;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ControlFileTest {

    @Test
    void theDataBeforeARecordEndsAtThePageStartWhenTheRecordIsFirstOnItsPage() {
        assertThat(ControlFile.dataEndBefore(0x3000028L)).as("first record of a segment (long header)")
                .isEqualTo(0x3000000L);
        assertThat(ControlFile.dataEndBefore(0x3002018L)).as("first record of an ordinary page").isEqualTo(0x3002000L);
        assertThat(ControlFile.dataEndBefore(0x3002060L)).as("a record after another one").isEqualTo(0x3002060L);
        assertThat(ControlFile.dataEndBefore(0x3002000L)).isEqualTo(0x3002000L);
    }
}
