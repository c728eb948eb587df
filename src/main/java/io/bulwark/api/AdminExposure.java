package io.bulwark.api;

import io.bulwark.config.RestApiConfig;

/**
 * Whether the unsafe endpoints (POST, PUT, PATCH, DELETE) may be served at all, decided once at start from where
 * the API listens and how it is protected.
 *
 * <p>Why: without {@code restapi.authentication}, an allowlist or client certificates, every state-changing
 * endpoint is open to anyone who can reach the port (as in Patroni), and {@code PATCH /config} can set
 * {@code archive_command} or a {@code trust} line in pg_hba: command execution as {@code postgres}. A listener
 * on loopback only reaches local users, who can usually do worse anyway, so it keeps Patroni's behaviour; any
 * other listener refuses unsafe methods until one protection is configured or the operator opts out with
 * {@code restapi.allow_unauthenticated_admin: true}.
 */
enum AdminExposure {
    /** Authentication, an allowlist or client certificates protect the unsafe endpoints. */
    PROTECTED,
    /** Unprotected, but the listener is on loopback only (Patroni's behaviour). */
    LOOPBACK_ONLY,
    /** Unprotected on a reachable address, allowed by {@code restapi.allow_unauthenticated_admin: true}. */
    OPEN_BY_CHOICE,
    /** Unprotected on a reachable address: unsafe methods are refused with 403. */
    REFUSED;

    static final String REFUSAL = "unsafe REST API methods are refused: this agent listens on a non-loopback address"
            + " without restapi.authentication, restapi.allowlist (or restapi.allowlist_include_members) or client"
            + " certificates (restapi.verify_client: required); configure one of them, or set"
            + " restapi.allow_unauthenticated_admin: true to accept unauthenticated admin requests";

    static AdminExposure of(String listenHost, RestSecurity security) {
        if (RestApiConfig.protectsUnsafeEndpoints(security.username(), security.allowlist(),
                security.allowlistIncludeMembers(), security.certfile(), security.verifyClient())) {
            return PROTECTED;
        }
        if (isLoopbackOnly(listenHost)) {
            return LOOPBACK_ONLY;
        }
        return security.allowUnauthenticatedAdmin() ? OPEN_BY_CHOICE : REFUSED;
    }

    /** See {@link RestApiConfig#isLoopbackOnly}. */
    static boolean isLoopbackOnly(String listenHost) {
        return RestApiConfig.isLoopbackOnly(listenHost);
    }

    /** The sentence logged at start (a warning unless protected). */
    String describe(String listenHost) {
        return switch (this) {
            case PROTECTED -> "REST API unsafe endpoints are protected (authentication, allowlist or client"
                    + " certificates)";
            case LOOPBACK_ONLY -> "REST API unsafe endpoints have no authentication; served because the API listens"
                    + " on loopback only (" + listenHost + ")";
            case OPEN_BY_CHOICE -> "REST API unsafe endpoints are open to anyone who reaches " + listenHost
                    + ": restapi.allow_unauthenticated_admin is true and there is no authentication, allowlist or"
                    + " client certificate";
            case REFUSED -> "REST API listens on " + listenHost + " with no authentication, allowlist or client"
                    + " certificate: unsafe methods (POST, PUT, PATCH, DELETE) are refused with 403; set"
                    + " restapi.authentication (or restapi.allowlist, or restapi.verify_client: required), or"
                    + " restapi.allow_unauthenticated_admin: true";
        };
    }

    boolean isWarning() {
        return this != PROTECTED;
    }
}
