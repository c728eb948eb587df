package io.bulwark.config;

/**
 * {@code restapi}: where the REST API listens and how peers reach it.
 *
 * @param listenHost     host part of {@code listen} ({@code 0.0.0.0} for all interfaces)
 * @param listenPort     port part of {@code listen}
 * @param connectAddress {@code connect_address} as {@code host:port}; published in {@code api_url}
 * @param username       {@code authentication.username}, or {@code null}
 * @param password       {@code authentication.password}, or {@code null}
 */
public record RestApiConfig(String listenHost, int listenPort, String connectAddress, String username,
                            String password) {

    /** {@code http://<connect_address>/patroni}, the value published as a member's {@code api_url}. */
    public String apiUrl() {
        return "http://" + connectAddress + "/patroni";
    }
}
