package io.bulwark.api;

import java.time.Clock;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Patroni's {@code parse_schedule}: an ISO 8601 timestamp with a zone, not in the past. */
final class Schedules {
    /** Either the time or the refusal (400 without a zone, 422 unparsable or in the past). */
    record Parsed(OffsetDateTime at, Reply error) {
    }

    private Schedules() {
    }

    static Parsed parse(Object value, String action, Clock clock) {
        if (!(value instanceof String text) || text.isBlank()) {
            return unparsable();
        }
        String iso = text.strip().replace(' ', 'T');
        OffsetDateTime at;
        try {
            at = OffsetDateTime.parse(iso, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (DateTimeParseException e) {
            try {
                LocalDateTime.parse(iso, DateTimeFormatter.ISO_LOCAL_DATE_TIME);
                return new Parsed(null, Reply.message(400,
                        "Timezone information is mandatory for the scheduled " + action));
            } catch (DateTimeParseException notLocal) {
                return unparsable();
            }
        }
        if (at.toInstant().isBefore(clock.instant())) {
            return new Parsed(null, Reply.message(422, "Cannot schedule " + action + " in the past"));
        }
        return new Parsed(at, null);
    }

    private static Parsed unparsable() {
        return new Parsed(null, Reply.message(422,
                "Unable to parse scheduled timestamp. It should be in an unambiguous format, e.g. ISO 8601"));
    }
}
