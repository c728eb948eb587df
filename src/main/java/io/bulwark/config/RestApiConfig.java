package io.bulwark.config;

/**
 * {@code restapi}: where the REST API listens and how peers reach it.
 *
 * @param listenHost     host part of {@code listen} ({@code 0.0.0.0} for all interfaces)
 * @param listenPort     port part of {@code listen}
 * @param connectAddress {@code connect_address} as {@code host:port}; published in {@code api_url}
 * @param username       {@code authentication.username}, or {@code null}
 * @param password       {@code authentication.password}, or {@code null}
 * @param tls            {@code certfile} is set: the API is served over HTTPS
 */
public record RestApiConfig(String listenHost, int listenPort, String connectAddress, String username,
                            String password, boolean tls) {

    public RestApiConfig(String listenHost, int listenPort, String connectAddress, String username, String password) {
        this(listenHost, listenPort, connectAddress, username, password, false);
    }

    /** {@code http[s]://<connect_address>/patroni}, the value published as a member's {@code api_url}. */
    public String apiUrl() {
        return (tls ? "https://" : "http://") + connectAddress + "/patroni";
    }

    @Override
    public String toString() {
        return "RestApiConfig[listen=" + listenHost + ":" + listenPort + ", connectAddress=" + connectAddress
                + ", username=" + username + ", password=" + Secrets.mask(password) + ", tls=" + tls + "]";
    }
}
