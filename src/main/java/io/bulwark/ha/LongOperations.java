package io.bulwark.ha;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs one long PostgreSQL operation at a time on its own thread, beside the HA loop, so the loop goes on renewing
 * the leader lock (and the fence's deadline) and the member key while it lasts. The decider sees which one is in
 * progress ({@link Observation#longOperation()}) and starts nothing that would conflict with it.
 *
 * <p>Why: a post-promotion CHECKPOINT can take many seconds on a server with much dirty shared_buffers; run on
 * the loop thread it kept the deadline the fence knew from before the promotion, and the fence SIGKILLed the
 * healthy new primary it was supposed to protect (issue 9).
 */
final class LongOperations implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LongOperations.class);

    private final ExecutorService worker = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("pg-long-operation").daemon().factory());
    private final Runnable onFinished;
    private volatile String running;

    /** @param onFinished called on the worker thread when an operation ends (wakes the loop) */
    LongOperations(Runnable onFinished) {
        this.onFinished = onFinished;
    }

    /** The operation in progress, as a phrase ("post-promotion checkpoint"), or {@code null}. */
    String running() {
        return running;
    }

    /** Starts {@code work} unless another operation is in progress; returns whether it was started. */
    synchronized boolean start(String what, Runnable work) {
        if (running != null) {
            return false;
        }
        running = what;
        log.info("starting {} in the background; the HA loop goes on renewing the leader lock", what);
        worker.execute(() -> {
            long started = System.nanoTime();
            try {
                work.run();
                log.info("{} finished after {} ms", what, (System.nanoTime() - started) / 1_000_000);
            } catch (RuntimeException e) {
                log.warn("{} failed", what, e);
            } finally {
                running = null;
                onFinished.run();
            }
        });
        return true;
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
