package io.bulwark.ha;

/**
 * The body of {@code POST /failsafe} (Patroni's fields): the primary that asks to keep running while the DCS
 * cannot be reached.
 *
 * @param name    the caller's member name
 * @param connUrl its PostgreSQL {@code conn_url}, or {@code null}
 * @param apiUrl  its REST {@code api_url}, or {@code null}
 */
public record FailsafeCall(String name, String connUrl, String apiUrl) {
}
