package io.bulwark.dcs;

/**
 * A value decoded from the DCS and whether it was read cleanly: {@code clean} is false when the value did not
 * parse, had the wrong JSON type, or had a field of the wrong type (each already warned about once). The
 * decoder then keeps the last clean value of that key ({@link ClusterDecoder}).
 */
record Decoded<T>(T value, boolean clean) {
    static <T> Decoded<T> clean(T value) {
        return new Decoded<>(value, true);
    }

    static <T> Decoded<T> garbled(T fallback) {
        return new Decoded<>(fallback, false);
    }
}
