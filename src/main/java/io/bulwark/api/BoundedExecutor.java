package io.bulwark.api;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;

/**
 * The REST server's executor: one virtual thread per exchange, at most {@code maxInFlight} at once; beyond that
 * the task is rejected and the JDK server closes the connection (no queue to grow).
 *
 * <p>Why not a fixed pool of platform threads: the JDK's {@code HttpServer} runs the whole exchange on its
 * executor, reading the request line and headers included ({@code ServerImpl.Dispatcher.handle} hands the
 * connection over as soon as its first byte arrives). With N fixed threads, N clients that send one byte every
 * few seconds would occupy every thread until the request timeout and health checks would queue behind them.
 * A parked virtual thread costs a few hundred bytes, and the cap bounds them.
 */
final class BoundedExecutor implements Executor {
    private final int maxInFlight;
    private final Semaphore permits;
    private final ThreadFactory threads;

    BoundedExecutor(int maxInFlight, String name) {
        this.maxInFlight = maxInFlight;
        this.permits = new Semaphore(maxInFlight);
        this.threads = Thread.ofVirtual().name(name + "-", 0).factory();
    }

    @Override
    public void execute(Runnable exchange) {
        if (!permits.tryAcquire()) {
            throw new RejectedExecutionException("REST API: " + inFlight() + " exchanges in flight already");
        }
        Thread t = threads.newThread(() -> {
            try {
                exchange.run();
            } finally {
                permits.release();
            }
        });
        t.start();
    }

    int inFlight() {
        return maxInFlight - permits.availablePermits();
    }
}
