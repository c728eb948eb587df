package io.bulwark.postgres;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The divergence rule for a running replica (reference §2.6) over the leader's timeline history. */
class TimelineHistoryTest {
    private static final String HISTORY = """
            1\t0/5000060\tno recovery target specified

            2\t0/7000000\tno recovery target specified
            # a comment
            garbage line
            """;

    @Test
    void parsesTheHistoryFileSkippingBlankCommentAndMalformedLines() {
        assertThat(TimelineHistory.parse(HISTORY)).containsExactly(
                new TimelineHistory.Line(1, 0x5000060L, "no recovery target specified"),
                new TimelineHistory.Line(2, 0x7000000L, "no recovery target specified"));
    }

    @Test
    void aReplicaThatReplayedPastTheSwitchpointOfItsTimelineHasDiverged() {
        List<TimelineHistory.Line> h = TimelineHistory.parse(HISTORY);
        assertThat(TimelineHistory.replicaDivergence(1, 0x5000061L, 3, h)).hasValueSatisfying(why ->
                assertThat(why).contains("0/5000061").contains("0/5000060"));
        assertThat(TimelineHistory.replicaDivergence(2, 0x7000001L, 3, h)).isPresent();
    }

    @Test
    void aReplicaAtOrBeforeTheSwitchpointFollowsTheTimelineSwitch() {
        List<TimelineHistory.Line> h = TimelineHistory.parse(HISTORY);
        assertThat(TimelineHistory.replicaDivergence(1, 0x5000060L, 3, h)).isEmpty();
        assertThat(TimelineHistory.replicaDivergence(2, 0x6000000L, 3, h)).isEmpty();
    }

    @Test
    void sameTimelineIsFineANewerOrUnknownOneHasDiverged() {
        List<TimelineHistory.Line> h = TimelineHistory.parse(HISTORY);
        assertThat(TimelineHistory.replicaDivergence(3, 0x9000000L, 3, h)).isEmpty();
        assertThat(TimelineHistory.replicaDivergence(4, 0x1000L, 3, h)).hasValueSatisfying(why ->
                assertThat(why).contains("newer"));
        List<TimelineHistory.Line> skipsTwo = List.of(new TimelineHistory.Line(1, 0x100L, ""),
                new TimelineHistory.Line(3, 0x200L, ""));
        assertThat(TimelineHistory.replicaDivergence(2, 0x10L, 4, skipsTwo)).hasValueSatisfying(why ->
                assertThat(why).contains("not in the leader's history"));
    }
}
