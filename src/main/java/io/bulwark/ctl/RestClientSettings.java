package io.bulwark.ctl;

import java.nio.file.Path;

/**
 * How {@code bulwarkctl} talks to members' REST APIs (reference §3.5 "Outgoing calls"): Basic auth from
 * {@code ctl.authentication} else {@code restapi.authentication}; CA from {@code ctl.cacert} else
 * {@code restapi.cafile}; client certificate {@code ctl.certfile}/{@code ctl.keyfile} for
 * {@code verify_client: required}; {@code insecure} (-k or {@code ctl.insecure}) skips server verification.
 *
 * @param username Basic auth user, or {@code null} for no Authorization header
 * @param password never printed ({@link #toString()} masks it)
 * @param keyfile  PEM PKCS#8 private key for {@code certfile}, or {@code null}
 */
record RestClientSettings(String username, String password, boolean insecure, Path cacert, Path certfile,
                          Path keyfile, String keyfilePassword) {
    static final RestClientSettings NONE = new RestClientSettings(null, null, false, null, null, null, null);

    boolean hasAuth() {
        return username != null && !username.isEmpty();
    }

    @Override
    public String toString() {
        return "RestClientSettings[username=" + username + ", password=" + (password == null ? "null" : "*****")
                + ", insecure=" + insecure + ", cacert=" + cacert + ", certfile=" + certfile + ", keyfile=" + keyfile
                + "]";
    }
}
