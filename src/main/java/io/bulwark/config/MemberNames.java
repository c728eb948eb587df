package io.bulwark.config;

/**
 * What a member name ({@code name}) and a cluster name ({@code scope}) may be. Both become one segment of an etcd
 * key ({@code /service/<scope>/members/<name>}); the name also becomes part of file names (pgpass, runtime
 * directory) and of the replication slot name. Patroni checks nothing; we refuse what would break one of those
 * uses in a way nobody notices:
 * <ul>
 *   <li>{@code /}: the key would be nested one level deeper, and every reader skips such a member, so it would
 *       run unseen;</li>
 *   <li>whitespace and control characters (a newline splits log lines and pgpass entries);</li>
 *   <li>{@code .} and {@code ..} (path segments), and more than 253 characters (a DNS name's limit).</li>
 * </ul>
 * Hostnames, pod names and Patroni's usual {@code postgresql0} all pass.
 */
public final class MemberNames {
    public static final int MAX_LENGTH = 253;
    private static final String RESERVED = "__patroni_strict_sync_replica_placeholder__";

    private MemberNames() {
    }

    /** Why {@code value} cannot be a member name, or {@code null} when it can. */
    public static String problemWithName(String value) {
        if (RESERVED.equals(value)) {
            return "'" + RESERVED + "' is reserved";
        }
        return problemWithSegment(value);
    }

    /** Why {@code value} cannot be a cluster name ({@code scope}), or {@code null} when it can. */
    public static String problemWithScope(String value) {
        return problemWithSegment(value);
    }

    private static String problemWithSegment(String value) {
        if (value.isEmpty()) {
            return "must not be empty";
        }
        if (value.equals(".") || value.equals("..")) {
            return "must not be '" + value + "'";
        }
        if (value.length() > MAX_LENGTH) {
            return "must be at most " + MAX_LENGTH + " characters, got " + value.length();
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '/') {
                return "must not contain '/' (it becomes one segment of an etcd key)";
            }
            if (Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSpaceChar(c)) {
                return "must not contain whitespace or control characters (found U+"
                        + String.format("%04X", (int) c) + " at position " + (i + 1) + ")";
            }
        }
        return null;
    }
}
