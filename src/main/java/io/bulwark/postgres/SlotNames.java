package io.bulwark.postgres;

import java.util.Locale;

/**
 * Physical replication slot names for members, by Patroni's rule (reference §1.2) so that a mixed or migrated
 * cluster agrees on them: lowercase; {@code -} and {@code .} become {@code _}; any other character outside
 * {@code [a-z0-9_]} becomes {@code u} plus its code point as at least four decimal digits; at most 63 chars.
 */
final class SlotNames {
    static final int MAX_LENGTH = 63;

    private SlotNames() {
    }

    static String forMember(String memberName) {
        StringBuilder out = new StringBuilder();
        memberName.toLowerCase(Locale.ROOT).codePoints().forEach(c -> {
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') {
                out.appendCodePoint(c);
            } else if (c == '-' || c == '.') {
                out.append('_');
            } else {
                out.append('u').append(String.format(Locale.ROOT, "%04d", c));
            }
        });
        return out.length() > MAX_LENGTH ? out.substring(0, MAX_LENGTH) : out.toString();
    }

    /** Whether {@code name} is acceptable to PostgreSQL as a replication slot name. */
    static boolean isValid(String name) {
        return name != null && name.matches("[a-z0-9_]{1," + MAX_LENGTH + "}");
    }
}
