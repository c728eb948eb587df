package io.bulwark.api;

import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Failed Basic-auth logins per remote address: after {@link #MAX_FAILURES} failures within {@link #WINDOW_NANOS},
 * the address is blocked for {@link #BLOCK_NANOS} (every unsafe request from it is answered 429, a correct
 * password included, so guessing gains nothing from the block). Guards against password guessing over the REST
 * API, which is otherwise limited only by the network.
 *
 * <p>Memory is bounded: at most {@link #MAX_ADDRESSES} addresses are tracked (least recently seen dropped first),
 * so a client cycling through many source addresses cannot grow the map. Thread-safe; the clock is monotonic
 * nanoseconds (tests pass a fake one).
 */
final class LoginThrottle {
    static final int MAX_FAILURES = 5;
    static final long WINDOW_NANOS = 60_000_000_000L;
    static final long BLOCK_NANOS = 60_000_000_000L;
    static final int MAX_ADDRESSES = 4096;

    private final LongSupplier nanoClock;
    private final Map<InetAddress, Record> byAddress = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InetAddress, Record> eldest) {
            return size() > MAX_ADDRESSES;
        }
    };

    private static final class Record {
        final Deque<Long> failures = new ArrayDeque<>();
        long blockedUntil;
        boolean blocked;
    }

    LoginThrottle(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /** Seconds until {@code address} may try again, or 0 when it is not blocked. */
    synchronized long blockedSeconds(InetAddress address) {
        Record r = byAddress.get(address);
        if (r == null || !r.blocked) {
            return 0;
        }
        long left = r.blockedUntil - nanoClock.getAsLong();
        if (left <= 0) {
            byAddress.remove(address);
            return 0;
        }
        return Math.max(1, (left + 999_999_999L) / 1_000_000_000L);
    }

    /** Records one failed login; returns true when this failure starts a block. */
    synchronized boolean failed(InetAddress address) {
        long now = nanoClock.getAsLong();
        Record r = byAddress.computeIfAbsent(address, a -> new Record());
        while (!r.failures.isEmpty() && now - r.failures.peekFirst() >= WINDOW_NANOS) {
            r.failures.removeFirst();
        }
        r.failures.addLast(now);
        if (r.failures.size() >= MAX_FAILURES && !r.blocked) {
            r.blocked = true;
            r.blockedUntil = now + BLOCK_NANOS;
            r.failures.clear();
            return true;
        }
        return false;
    }
}
