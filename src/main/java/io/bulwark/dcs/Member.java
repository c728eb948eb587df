package io.bulwark.dcs;

/**
 * A {@code members/<name>} key.
 *
 * @param name    member name (the last path segment)
 * @param version the key's modification revision
 * @param session the etcd lease the key is bound to
 * @param data    the decoded JSON value
 */
public record Member(String name, long version, long session, MemberData data) {
}
