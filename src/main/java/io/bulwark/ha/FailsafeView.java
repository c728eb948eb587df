package io.bulwark.ha;

/**
 * What failsafe mode adds to an {@link Observation}.
 *
 * @param check the {@code POST /failsafe} round this cycle ran as a primary without the DCS, or {@code null}
 * @param trust the last failsafe call this member accepted, or {@code null}
 */
public record FailsafeView(FailsafeCheck check, FailsafeTrust trust) {
    public static final FailsafeView NONE = new FailsafeView(null, null);
}
