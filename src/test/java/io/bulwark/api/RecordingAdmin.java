package io.bulwark.api;

import io.bulwark.ha.AdminActions;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/** An {@link AdminActions} that records every call and answers what the test set. */
final class RecordingAdmin implements AdminActions {
    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<RestartRequest> restarts = new CopyOnWriteArrayList<>();
    final AtomicReference<ActionResult> restartResult = new AtomicReference<>(new ActionResult(200,
            "restarted successfully"));
    final AtomicReference<ActionResult> reinitResult = new AtomicReference<>(new ActionResult(200,
            "reinitialize started"));
    final AtomicReference<RestartRequest> scheduled = new AtomicReference<>();

    @Override
    public CompletableFuture<ActionResult> restart(RestartRequest request) {
        calls.add("restart");
        restarts.add(request);
        return CompletableFuture.completedFuture(restartResult.get());
    }

    @Override
    public boolean scheduleRestart(RestartRequest request) {
        calls.add("scheduleRestart");
        restarts.add(request);
        return scheduled.compareAndSet(null, request);
    }

    @Override
    public Optional<RestartRequest> scheduledRestart() {
        return Optional.ofNullable(scheduled.get());
    }

    @Override
    public boolean cancelScheduledRestart() {
        calls.add("cancelScheduledRestart");
        return scheduled.getAndSet(null) != null;
    }

    /** What {@link #reloadConfiguration} answers: empty (reloaded) or why the file was refused. */
    final AtomicReference<String> reloadProblem = new AtomicReference<>();

    @Override
    public void reload() {
        calls.add("reload");
    }

    @Override
    public Optional<String> reloadConfiguration() {
        if (reloadProblem.get() != null) {
            calls.add("reloadConfiguration refused");
            return Optional.of(reloadProblem.get());
        }
        return AdminActions.super.reloadConfiguration();
    }

    @Override
    public CompletableFuture<ActionResult> reinitialize(boolean force, boolean fromLeader) {
        calls.add("reinitialize force=" + force + " fromLeader=" + fromLeader);
        return CompletableFuture.completedFuture(reinitResult.get());
    }
}
