package io.bulwark.api;

/**
 * Version strings Bulwark shows the outside world.
 *
 * <p>{@link #PATRONI_PROTOCOL} is what we publish wherever Patroni publishes its own version (the member key's
 * {@code version}, {@code GET /patroni} {@code patroni.version}). Patroni peers and patronictl parse it to pick
 * compatibility behaviour (legacy paths below 2.1.0 and 4.0.0, the rewind checkpoint handshake above 1.5.6), so
 * it must name the Patroni release whose protocol we implement (reference §1.2, §5), never Bulwark's version.
 */
public final class Versions {
    /** The Patroni release whose DCS layout, REST API and CLI output we reproduce. */
    public static final String PATRONI_PROTOCOL = io.bulwark.ha.MemberPublisher.PATRONI_PROTOCOL_VERSION;
    /** Bulwark's own version, published in the extra {@code bulwark_version} fields. */
    public static final String BULWARK = "0.1.0";

    private Versions() {
    }
}
