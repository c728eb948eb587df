package io.bulwark.ctl;

import io.bulwark.dcs.DcsCodec;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * patronictl's {@code parse_scheduled}: {@code --scheduled} as an ISO 8601 timestamp, local time when it has no
 * offset, or {@code now}/empty for immediately ({@code null}). Output is Python's {@code isoformat()}.
 */
final class ScheduledTime {
    private static final List<DateTimeFormatter> LOCAL = List.of(
            DateTimeFormatter.ISO_LOCAL_DATE_TIME,
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm[:ss][.SSSSSS]"),
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm"));

    private ScheduledTime() {
    }

    static OffsetDateTime parse(String scheduled) {
        if (scheduled == null || scheduled.isBlank() || scheduled.strip().equals("now")) {
            return null;
        }
        String s = scheduled.strip();
        try {
            return OffsetDateTime.parse(s.replace(' ', 'T'));
        } catch (DateTimeParseException ignored) {
            // no offset: try the local forms below
        }
        for (DateTimeFormatter f : LOCAL) {
            try {
                return LocalDateTime.parse(s, f).atZone(ZoneId.systemDefault()).toOffsetDateTime();
            } catch (DateTimeParseException ignored) {
                // next form
            }
        }
        throw new CtlException("Unable to parse scheduled timestamp (" + scheduled
                + "). It should be in an unambiguous format (e.g. ISO 8601)");
    }

    static String isoformat(OffsetDateTime t) {
        return DcsCodec.formatTimestamp(t);
    }

    /** The example in patronictl's prompt: an hour from now, {@code 2024-01-02T11:00}. */
    static String nextHourExample() {
        return LocalDateTime.now().plusHours(1).format(DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm"));
    }
}
