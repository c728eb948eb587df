package io.bulwark.config;

import java.nio.file.Path;
import java.util.Set;

/**
 * Maps the {@code ctl} section (reference §4.5) to {@link RestClientConfig}, with the {@code restapi} fallbacks
 * for authentication and CA. Unknown keys are errors: a misspelt {@code authentication:} here would send
 * admin calls without credentials and the user would not know why they are refused.
 */
final class CtlParser {
    private static final Set<String> SUPPORTED = Set.of("authentication", "insecure", "cacert", "certfile",
            "keyfile", "keyfile_password");
    /** Patroni's ctl keys that Bulwark does not implement (warnings): at present Bulwark implements them all. */
    private static final Set<String> IGNORED = Set.of();

    private CtlParser() {
    }

    /**
     * @param restapiAuth   {@code restapi.authentication}, used when {@code ctl.authentication} is not set
     * @param restapiCafile {@code restapi.cafile}, used when {@code ctl.cacert} is not set
     */
    static RestClientConfig parse(Section ctl, Credentials restapiAuth, Path restapiCafile) {
        ctl.requireKnownKeys(SUPPORTED, IGNORED);
        Section authSection = ctl.section("authentication");
        authSection.requireKnownKeys(Set.of("username", "password"), Set.of());
        Credentials auth = RestApiParser.usernameAndPassword(authSection);
        if (auth == null || auth.username() == null) {
            auth = restapiAuth;
        }
        boolean insecure = ctl.bool("insecure", false);
        Path cacert = path(ctl, "cacert");
        Path certfile = path(ctl, "certfile");
        Path keyfile = path(ctl, "keyfile");
        if (certfile != null && keyfile == null) {
            ctl.problems().error(ctl.path("keyfile"), "is required when " + ctl.path("certfile") + " is set");
        } else if (keyfile != null && certfile == null) {
            ctl.problems().error(ctl.path("certfile"), "is required when " + ctl.path("keyfile") + " is set");
        }
        return new RestClientConfig(auth == null ? null : auth.username(), auth == null ? null : auth.password(),
                insecure, cacert != null ? cacert : restapiCafile, certfile, keyfile, ctl.string("keyfile_password"));
    }

    static Path path(Section section, String key) {
        return RestApiParser.path(section, key);
    }
}
