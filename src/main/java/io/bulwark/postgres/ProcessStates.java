package io.bulwark.postgres;

/**
 * Patroni's PostgreSQL state string (reference §1.2), derived from what this agent did last and what the
 * process table shows now. Written by the acting thread, read by probes (volatile: a probe may run while a
 * long action such as a clone is in progress).
 */
final class ProcessStates {
    static final String RUNNING = "running";
    static final String STARTING = "starting";
    static final String STOPPED = "stopped";
    static final String CRASHED = "crashed";
    static final String START_FAILED = "start failed";
    static final String STOPPING = "stopping";
    static final String STOP_FAILED = "stop failed";
    static final String INITIALIZING = "initializing new cluster";
    static final String INITDB_FAILED = "initdb failed";
    static final String CREATING_REPLICA = "creating replica";

    private volatile String activity;
    private volatile String outcome;
    private volatile boolean startFailureUnreported;

    /** An action started; probes report it until {@link #end}. */
    void begin(String activityState) {
        activity = activityState;
    }

    /** The action ended with {@code outcomeState}. */
    void end(String outcomeState) {
        outcome = outcomeState;
        activity = null;
    }

    String outcome() {
        return outcome;
    }

    /** True once after a start we did not wait for ended with the postmaster gone (the caller logs why). */
    boolean takeUnreportedStartFailure() {
        boolean was = startFailureUnreported;
        startFailureUnreported = false;
        return was;
    }

    /**
     * Also settles a start that was not waited for: observed answering it becomes {@code running}, observed gone
     * before it ever answered it becomes {@code start failed}.
     *
     * @param alive      a postmaster process for our data directory exists
     * @param pidFile    postmaster.pid exists
     * @param answering  it answered the probe query
     * @param startingUp it refused the connection because it is starting up or in recovery
     */
    String describe(boolean alive, boolean pidFile, boolean answering, boolean startingUp) {
        String now = activity;
        if (now != null) {
            return now;
        }
        String last = outcome;
        if (alive) {
            if (answering) {
                if (STARTING.equals(last)) {
                    outcome = RUNNING;
                }
                return RUNNING;
            }
            return startingUp || STARTING.equals(last) ? STARTING : RUNNING;
        }
        if (STARTING.equals(last)) {
            outcome = START_FAILED;
            startFailureUnreported = true;
            return START_FAILED;
        }
        if (START_FAILED.equals(last) || STOP_FAILED.equals(last) || INITDB_FAILED.equals(last)) {
            return last; // our own failure explains a dead postmaster, even with a stale pid file
        }
        if (pidFile && !STOPPED.equals(last)) {
            return CRASHED; // a postmaster that exits cleanly removes its pid file
        }
        return STOPPED;
    }
}
