package io.bulwark.dcs;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A latched wake-up for the HA loop's sleep ({@link Dcs#awaitChange}): a signal that arrives while nobody waits
 * is kept and consumed by the next wait, so a change seen during a cycle is never lost. Waits use the monotonic
 * clock ({@link Condition#awaitNanos}).
 */
public final class ChangeSignal {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private boolean pending;

    public void signal() {
        lock.lock();
        try {
            pending = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Returns true (and clears the latch) if signalled before or during the wait, false on timeout. */
    public boolean await(Duration timeout) throws InterruptedException {
        long nanos = timeout.isNegative() ? 0 : timeout.toNanos();
        lock.lockInterruptibly();
        try {
            while (!pending && nanos > 0) {
                nanos = changed.awaitNanos(nanos);
            }
            boolean woken = pending;
            pending = false;
            return woken;
        } finally {
            lock.unlock();
        }
    }
}
