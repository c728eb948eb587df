package io.bulwark.ha;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The REST API's requests waiting for the HA loop: each is taken by the loop thread at the start of a cycle
 * and answered through its future. A scheduled restart waits here until its time.
 */
final class AdminQueue implements AdminActions {

    /** One queued request. */
    sealed interface Work {
    }

    record Restart(RestartRequest request, CompletableFuture<ActionResult> done) implements Work {
    }

    record Reinitialize(boolean force, boolean fromLeader, CompletableFuture<ActionResult> done) implements Work {
    }

    record Reload() implements Work {
    }

    private final ConcurrentLinkedQueue<Work> queue = new ConcurrentLinkedQueue<>();
    private final AtomicReference<RestartRequest> scheduled = new AtomicReference<>();
    private final Runnable wakeUp;

    AdminQueue(Runnable wakeUp) {
        this.wakeUp = wakeUp;
    }

    @Override
    public CompletableFuture<ActionResult> restart(RestartRequest request) {
        return enqueue(new Restart(request, new CompletableFuture<>())).done();
    }

    @Override
    public boolean scheduleRestart(RestartRequest request) {
        boolean set = scheduled.compareAndSet(null, request);
        wakeUp.run();
        return set;
    }

    @Override
    public Optional<RestartRequest> scheduledRestart() {
        return Optional.ofNullable(scheduled.get());
    }

    @Override
    public boolean cancelScheduledRestart() {
        return scheduled.getAndSet(null) != null;
    }

    @Override
    public void reload() {
        enqueue(new Reload());
    }

    @Override
    public CompletableFuture<ActionResult> reinitialize(boolean force, boolean fromLeader) {
        return enqueue(new Reinitialize(force, fromLeader, new CompletableFuture<>())).done();
    }

    /** The next request for the loop, including a scheduled restart whose time has come. */
    Optional<Work> next(Instant now) {
        RestartRequest due = scheduled.get();
        if (due != null && !due.scheduleAt().toInstant().isAfter(now) && scheduled.compareAndSet(due, null)) {
            return Optional.of(new Restart(due, new CompletableFuture<>()));
        }
        return Optional.ofNullable(queue.poll());
    }

    private <W extends Work> W enqueue(W work) {
        queue.add(work);
        wakeUp.run();
        return work;
    }
}
