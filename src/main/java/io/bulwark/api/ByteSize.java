package io.bulwark.api;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses Patroni's byte amounts: {@code 1048576}, {@code 16kB}, {@code 64MB}, {@code 1.5GB}, {@code 1TB} (1024-based). */
final class ByteSize {
    private static final Pattern FORM = Pattern.compile("\\s*(\\d+(?:\\.\\d+)?)\\s*([a-zA-Z]*)\\s*");

    private ByteSize() {
    }

    /** @throws IllegalArgumentException naming {@code param} when {@code text} is not a byte amount */
    static long parse(String param, String text) {
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            throw new BadRequestException(invalid(param, text));
        }
        long unit = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "", "b" -> 1L;
            case "kb" -> 1L << 10;
            case "mb" -> 1L << 20;
            case "gb" -> 1L << 30;
            case "tb" -> 1L << 40;
            default -> throw new BadRequestException(invalid(param, text));
        };
        double value = Double.parseDouble(m.group(1)) * unit;
        return value >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) value;
    }

    private static String invalid(String param, String text) {
        return "invalid " + param + " '" + text + "': expected bytes or a size such as 16kB, 64MB, 1GB";
    }

    /** A query parameter the client got wrong: answered 400 with this message. */
    static final class BadRequestException extends IllegalArgumentException {
        BadRequestException(String message) {
            super(message);
        }
    }
}
