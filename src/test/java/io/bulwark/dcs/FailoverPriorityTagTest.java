package io.bulwark.dcs;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The one reading of nofailover and failover_priority, used by the decider, handover, switchover, API and ctl. */
class FailoverPriorityTagTest {

    private static int priority(Object nofailover, Object failoverPriority) {
        Map<String, Object> tags = new HashMap<>();
        if (nofailover != null) {
            tags.put("nofailover", nofailover);
        }
        if (failoverPriority != null) {
            tags.put("failover_priority", failoverPriority);
        }
        return MemberData.failoverPriority(tags);
    }

    @Test
    void readsLikePatroni() {
        assertThat(priority(null, null)).as("default").isEqualTo(1);
        assertThat(priority(null, 5)).isEqualTo(5);
        assertThat(priority(null, "7")).as("a string, as YAML or env may give").isEqualTo(7);
        assertThat(priority(null, 0)).as("0 = never").isZero();
        assertThat(priority(null, -3)).isZero();
        assertThat(priority(true, null)).isZero();
        assertThat(priority("on", 4)).as("nofailover wins a conflict").isZero();
        assertThat(priority(false, 0)).as("an explicit nofailover: false with priority 0").isEqualTo(1);
        assertThat(priority(false, 3)).isEqualTo(3);
        assertThat(priority(null, "high")).as("not a number: the default").isEqualTo(1);
        assertThat(MemberData.failoverPriority(null)).isEqualTo(1);
    }
}
