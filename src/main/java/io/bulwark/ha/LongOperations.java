package io.bulwark.ha;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one long PostgreSQL operation at a time on its own thread, beside the HA loop, so the loop goes on renewing
 * the leader lock (and the fence's deadline) and the member key while it lasts. The decider sees which one is in
 * progress ({@link Observation#longOperation()}) and starts nothing that would conflict with it.
 *
 * <p>Why: a post-promotion CHECKPOINT can take many seconds on a server with much dirty shared_buffers; run on
 * the loop thread it kept the deadline the fence knew from before the promotion, and the fence SIGKILLed the
 * healthy new primary it was supposed to protect (issue 9). A clone or a rewind (with its crash recovery) takes
 * minutes to hours: on the loop thread the member key expired meanwhile, so the leader dropped the member's
 * replication slot and peers and tools saw the member vanish.
 *
 * <p>An operation on a stopped server (clone, rewind, reinitialize) owns PostgreSQL while it runs, up to and
 * including the start of the replica it produced: the decider leaves PostgreSQL alone meanwhile, and the agent's
 * shutdown {@link #cancel cancels} the operation (its child process is killed) before it stops PostgreSQL, so no
 * start can come after the stop.
 */
final class LongOperations implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LongOperations.class);

    /** The body of an operation; anything it throws is logged as its failure. */
    interface Work {
        void run() throws Exception;
    }

    private final ExecutorService worker = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("pg-long-operation").daemon().factory());
    private final Runnable onFinished;
    private volatile String running;
    /** Guarded by {@code this}: the thread running the operation, and a cancel that came before it began. */
    private Thread runner;
    private boolean cancelRequested;
    private Future<?> current;

    /** @param onFinished called on the worker thread when an operation ends (wakes the loop) */
    LongOperations(Runnable onFinished) {
        this.onFinished = onFinished;
    }

    /** The operation in progress, as a phrase ("post-promotion checkpoint"), or {@code null}. */
    String running() {
        return running;
    }

    /** Starts {@code work} unless another operation is in progress; returns whether it was started. */
    synchronized boolean start(String what, Work work) {
        if (running != null) {
            return false;
        }
        running = what;
        cancelRequested = false;
        log.info("starting {} in the background; the HA loop goes on publishing the member key and renewing the"
                + " leader lock where held", what);
        current = worker.submit(() -> {
            long started = System.nanoTime();
            try {
                synchronized (this) {
                    if (cancelRequested) {
                        throw new InterruptedException("cancelled before it began");
                    }
                    runner = Thread.currentThread();
                }
                work.run();
                log.info("{} finished after {} ms", what, (System.nanoTime() - started) / 1_000_000);
            } catch (InterruptedException e) {
                log.warn("{} was cancelled after {} ms", what, (System.nanoTime() - started) / 1_000_000);
            } catch (Exception e) {
                log.warn("{} failed: {}", what, e.getMessage(), e);
            } finally {
                synchronized (this) {
                    runner = null;
                }
                running = null;
                onFinished.run();
            }
        });
        return true;
    }

    /**
     * Interrupts the operation in progress (a child process it waits for is killed) and waits up to {@code wait}
     * for it to end; returns whether none is running afterwards.
     */
    boolean cancel(Duration wait) {
        synchronized (this) {
            if (running == null) {
                return true;
            }
            log.info("cancelling {}", running);
            cancelRequested = true;
            if (runner != null) {
                runner.interrupt();
            }
        }
        long deadline = System.nanoTime() + wait.toNanos();
        while (running != null && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(20); // the interrupted child process is killed and reaped first; poll until that is done
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return running == null;
    }

    /** Waits up to {@code wait} for the operation in progress to end on its own; for tests. */
    boolean awaitIdle(Duration wait) throws InterruptedException {
        Future<?> task;
        synchronized (this) {
            task = current;
        }
        if (task != null) {
            try {
                task.get(wait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                return running == null;
            }
        }
        return running == null;
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
