package io.bulwark.ctl;

import java.util.regex.Pattern;

/**
 * How HAProxy's health checks speak TLS to agents whose REST API is HTTPS ({@code restapi.certfile}): the
 * {@code haproxy-config} options {@code --check-ssl}, {@code --ca-file} and {@code --crt}. Without a CA file the
 * agent's certificate is not verified ({@code verify none}, the output before these options existed); with one,
 * it must chain to that CA and, for a server addressed by host name, name that host ({@code verifyhost}).
 *
 * @param always check every server over HTTPS, also {@code --server} ones and members whose {@code api_url} is
 *               {@code http://}; without it only {@code https://} members are
 * @param caFile PEM CA certificates the agents' certificates must chain to, or {@code null}
 * @param crt    PEM client certificate and key HAProxy presents (agents with {@code verify_client: required}),
 *               or {@code null}
 */
record HaproxyCheckTls(boolean always, String caFile, String crt) {
    static final HaproxyCheckTls NONE = new HaproxyCheckTls(false, null, null);

    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");

    /** The keywords after {@code check port N} for a server checked at {@code apiHost}; "" for plain HTTP checks. */
    String keywords(boolean apiTls, String apiHost) {
        if (!always && !apiTls) {
            return "";
        }
        StringBuilder s = new StringBuilder(" check-ssl");
        if (caFile == null) {
            s.append(" verify none");
        } else {
            s.append(" verify required ca-file ").append(caFile);
            // HAProxy matches verifyhost against the certificate's DNS names only: an address cannot be checked
            if (!apiHost.contains(":") && !IPV4.matcher(apiHost).matches()) {
                s.append(" verifyhost ").append(apiHost);
            }
        }
        if (crt != null) {
            s.append(" crt ").append(crt);
        }
        return s.toString();
    }
}
