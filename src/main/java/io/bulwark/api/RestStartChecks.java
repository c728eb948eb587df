package io.bulwark.api;

import io.bulwark.config.ConfigProblem;
import io.bulwark.config.RestApiConfig;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * What the REST API needs on this host, checked before the agent connects to anything: the security settings
 * are usable (certificate and key files readable and matching, as {@link RestApi#start} will load them), and
 * {@code restapi.listen} can be bound now. The bind is released at once; a port taken between this check and
 * the real start is still reported by the start itself.
 */
public final class RestStartChecks {
    private RestStartChecks() {
    }

    public static List<ConfigProblem> check(RestApiConfig restapi) {
        List<ConfigProblem> problems = new ArrayList<>();
        try {
            RestSecurity security = RestSecurity.of(restapi);
            if (security.isHttps()) {
                PemTls.serverContext(security);
            }
        } catch (IllegalArgumentException | IOException e) {
            problems.add(new ConfigProblem("restapi", e.getMessage()));
        }
        String listen = restapi.listenHost() + ":" + restapi.listenPort();
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(restapi.listenHost(), restapi.listenPort()));
        } catch (IOException | IllegalArgumentException e) {
            problems.add(new ConfigProblem("restapi.listen", "cannot listen on " + listen + ": " + e.getMessage()));
        }
        return problems;
    }
}
