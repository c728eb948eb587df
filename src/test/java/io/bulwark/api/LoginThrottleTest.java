package io.bulwark.api;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class LoginThrottleTest {
    private static final long SECOND = 1_000_000_000L;
    private final AtomicLong clock = new AtomicLong(1_000 * SECOND);
    private final LoginThrottle throttle = new LoginThrottle(clock::get);

    private static InetAddress ip(String text) throws Exception {
        return InetAddress.getByName(text);
    }

    @Test
    void fiveFailuresWithinAMinuteBlockForAMinute() throws Exception {
        InetAddress a = ip("192.0.2.1");
        for (int i = 0; i < 4; i++) {
            assertThat(throttle.failed(a)).isFalse();
            clock.addAndGet(10 * SECOND);
        }
        assertThat(throttle.blockedSeconds(a)).isZero();
        assertThat(throttle.failed(a)).isTrue();
        assertThat(throttle.blockedSeconds(a)).isEqualTo(60);
        clock.addAndGet(59 * SECOND);
        assertThat(throttle.blockedSeconds(a)).isEqualTo(1);
        assertThat(throttle.blockedSeconds(ip("192.0.2.2"))).as("other addresses").isZero();
        clock.addAndGet(SECOND);
        assertThat(throttle.blockedSeconds(a)).isZero();
        assertThat(throttle.failed(a)).as("a fresh start after the block").isFalse();
    }

    @Test
    void failuresOlderThanTheWindowDoNotCount() throws Exception {
        InetAddress a = ip("192.0.2.1");
        for (int i = 0; i < 20; i++) {
            assertThat(throttle.failed(a)).as("failure " + i).isFalse();
            clock.addAndGet(16 * SECOND);
        }
        assertThat(throttle.blockedSeconds(a)).isZero();
    }

    @Test
    void trackedAddressesAreBounded() throws Exception {
        InetAddress first = ip("10.0.0.1");
        for (int i = 0; i < 5; i++) {
            throttle.failed(first);
        }
        assertThat(throttle.blockedSeconds(first)).isPositive();
        for (int i = 0; i < LoginThrottle.MAX_ADDRESSES; i++) {
            throttle.failed(InetAddress.getByAddress(new byte[]{10, 1, (byte) (i >> 8), (byte) i}));
        }
        assertThat(throttle.blockedSeconds(first)).as("least recently seen dropped").isZero();
    }

    @Test
    void overHttpTheSixthRequestIs429EvenWithTheRightPasswordAndSaysWhenToRetry() throws Exception {
        RestSecurity auth = new RestSecurity("admin", "s3cret", List.of(), false, null, null, null, null, "none");
        try (ActionServer s = new ActionServer(auth, true)) {
            for (int i = 0; i < LoginThrottle.MAX_FAILURES; i++) {
                HttpResponse<String> r = s.send("POST", "/reload", null, Map.of("Authorization", basic("guess" + i)));
                assertThat(r.statusCode()).isEqualTo(401);
            }
            HttpResponse<String> right = s.send("POST", "/reload", null, Map.of("Authorization", basic("s3cret")));
            assertThat(right.statusCode()).isEqualTo(429);
            assertThat(right.headers().firstValue("Retry-After")).hasValue("60");
            assertThat(right.body()).contains("too many failed logins");
            assertThat(s.admin.calls).isEmpty();
            assertThat(s.send("GET", "/patroni", null).statusCode()).as("reads stay open").isEqualTo(200);
        }
    }

    @Test
    void requestsWithoutCredentialsAreNotCounted() throws Exception {
        RestSecurity auth = new RestSecurity("admin", "s3cret", List.of(), false, null, null, null, null, "none");
        try (ActionServer s = new ActionServer(auth, true)) {
            for (int i = 0; i < 2 * LoginThrottle.MAX_FAILURES; i++) {
                assertThat(s.send("POST", "/reload", null).statusCode()).isEqualTo(401);
            }
            assertThat(s.send("POST", "/reload", null, Map.of("Authorization", basic("s3cret"))).statusCode())
                    .isEqualTo(202);
        }
    }

    private static String basic(String password) {
        return "Basic " + Base64.getEncoder().encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8));
    }
}
