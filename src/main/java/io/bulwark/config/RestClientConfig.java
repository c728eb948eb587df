package io.bulwark.config;

import java.nio.file.Path;

/**
 * How {@code bulwarkctl} calls members' REST APIs (reference §3.5 "Outgoing calls"): Basic auth from
 * {@code ctl.authentication} else {@code restapi.authentication}; CA from {@code ctl.cacert} else
 * {@code restapi.cafile}; client certificate {@code ctl.certfile}/{@code ctl.keyfile} for
 * {@code verify_client: required}; {@code insecure} ({@code ctl.insecure} or {@code -k}) skips server verification.
 *
 * @param username        Basic auth user, or {@code null} for no Authorization header
 * @param password        never printed ({@link #toString()} masks it)
 * @param keyfile         PEM PKCS#8 private key for {@code certfile}, or {@code null}
 * @param keyfilePassword never printed
 */
public record RestClientConfig(String username, String password, boolean insecure, Path cacert, Path certfile,
                               Path keyfile, String keyfilePassword) {
    public static final RestClientConfig NONE = new RestClientConfig(null, null, false, null, null, null, null);

    public boolean hasAuth() {
        return username != null && !username.isEmpty();
    }

    /** The same settings, insecure if they were or if {@code insecure} is set ({@code -k}). */
    public RestClientConfig orInsecure(boolean insecure) {
        return insecure && !this.insecure ? new RestClientConfig(username, password, true, cacert, certfile, keyfile,
                keyfilePassword) : this;
    }

    @Override
    public String toString() {
        return "RestClientConfig[username=" + username + ", password=" + Secrets.mask(password) + ", insecure="
                + insecure + ", cacert=" + cacert + ", certfile=" + certfile + ", keyfile=" + keyfile
                + ", keyfilePassword=" + Secrets.mask(keyfilePassword) + "]";
    }
}
