package io.bulwark.dcs;

/**
 * One raw key as a store holds it, before decoding: what {@link ClusterDecoder} turns into a {@link Cluster}.
 *
 * @param key         full key, e.g. {@code /service/demo/leader}
 * @param value       the value as UTF-8 text
 * @param modRevision store revision of the last write (Patroni's "version", used for compare-and-set)
 * @param lease       lease the key is bound to, 0 when none (Patroni's "session")
 */
public record StoredValue(String key, String value, long modRevision, long lease) {
}
