package io.bulwark.dcs;

/**
 * The {@code leader} key: its value is the bare member name.
 *
 * @param name    member holding the key
 * @param version the key's modification revision, for compare-and-set
 * @param session the etcd lease the key is bound to (0 when none)
 */
public record Leader(String name, long version, long session) {
}
