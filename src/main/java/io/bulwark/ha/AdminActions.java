package io.bulwark.ha;

import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Requests the REST API hands to the HA loop (reference §3.4). The loop is the only thread that acts on
 * PostgreSQL, so each request is queued and runs in a cycle; the returned future completes with Patroni's status
 * code and message once it has. Failover and switchover are not here: they go through the {@code failover} key.
 */
public interface AdminActions {

    /** {@code POST /restart} without {@code schedule}: restart now if {@code request}'s conditions hold. */
    CompletableFuture<ActionResult> restart(RestartRequest request);

    /** {@code POST /restart} with {@code schedule}: false if another restart is already scheduled. */
    boolean scheduleRestart(RestartRequest request);

    /** The scheduled restart, if any ({@code GET /patroni} shows it as {@code scheduled_restart}). */
    Optional<RestartRequest> scheduledRestart();

    /** {@code DELETE /restart}: false if none was scheduled. */
    boolean cancelScheduledRestart();

    /** Reload PostgreSQL's configuration (rewrite its files for the current role, then reload it). */
    void reload();

    /**
     * {@code POST /reload} and SIGHUP: re-read and validate the agent's configuration file, apply what may change
     * live, then {@link #reload()}. Empty when done; otherwise why nothing changed (the file has errors). Without a
     * file to re-read, only {@link #reload()}.
     */
    default Optional<String> reloadConfiguration() {
        reload();
        return Optional.empty();
    }

    /** {@code POST /reinitialize}: replicas only; wipe (move aside) the data directory and clone again. */
    CompletableFuture<ActionResult> reinitialize(boolean force, boolean fromLeader);

    /**
     * A restart request, every filter optional.
     *
     * @param scheduleAt      when to restart ({@code null}: now)
     * @param role            restart only if our role is this ({@code primary}, {@code replica},
     *                        {@code standby_leader})
     * @param postgresVersion restart only if the running server is older than this ({@code X.Y[.Z]})
     * @param timeoutSeconds  start timeout overriding primary_start_timeout
     * @param restartPending  restart only if a restart is pending
     */
    record RestartRequest(OffsetDateTime scheduleAt, String role, String postgresVersion, Integer timeoutSeconds,
                          Boolean restartPending) {
    }

    /** An HTTP status and the plain-text message Patroni answers with. */
    record ActionResult(int status, String message) {
    }
}
