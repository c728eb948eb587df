package io.bulwark.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Maps {@code tags} (reference §4.9) to {@link Tags}. Custom tags are allowed and published as given.
 * {@code nofailover: true} means priority 0; {@code failover_priority: 0} means nofailover. When both are set
 * and disagree, {@code nofailover} wins with Patroni's warning; {@code nofailover: false} with priority 0 then
 * gives priority 1.
 */
final class TagsParser {
    /** Patroni publishes these only when true. */
    private static final Set<String> BOOLEAN_TAGS = Set.of("nofailover", "noloadbalance", "clonefrom", "nosync",
            "nostream");

    private TagsParser() {
    }

    static Tags parse(Section tags) {
        Map<String, Object> published = new LinkedHashMap<>();
        Map<String, Boolean> flags = new LinkedHashMap<>();
        for (String flag : BOOLEAN_TAGS) {
            boolean value = tags.bool(flag, false);
            flags.put(flag, value);
        }
        Integer priority = tags.integer("failover_priority", null, 0);
        tags.integer("sync_priority", null, 0);
        String replicatefrom = tags.string("replicatefrom");
        tags.map().forEach((key, value) -> {
            if (BOOLEAN_TAGS.contains(key)) {
                if (Boolean.TRUE.equals(Scalars.asBoolean(value))) {
                    published.put(key, true);
                }
            } else if (value != null) {
                published.put(key, Scalars.freeze(value));
            }
        });
        boolean nofailover = flags.get("nofailover");
        int failoverPriority;
        if (tags.has("nofailover")) {
            if (priority != null && nofailover == (priority > 0)) {
                tags.problems().warning(tags.path("failover_priority"), "Conflicting configuration between "
                        + "nofailover: " + (nofailover ? "True" : "False") + " and failover_priority: " + priority
                        + ". Defaulting to nofailover: " + (nofailover ? "True" : "False"));
            }
            failoverPriority = nofailover ? 0 : (priority == null || priority == 0 ? 1 : priority);
        } else {
            failoverPriority = priority == null ? 1 : priority;
            nofailover = failoverPriority == 0;
        }
        return new Tags(nofailover, flags.get("noloadbalance"), flags.get("clonefrom"), flags.get("nosync"),
                failoverPriority, replicatefrom, published);
    }

    /** {@code log}: level (Python names accepted, mapped to SLF4J's), {@code type} plain|json, {@code dir}. */
    static LogConfig parseLog(Section log) {
        log.checkKeys(Set.of("level", "type", "dir"), Set.of("traceback_level", "format", "dateformat",
                "static_fields", "max_queue_size", "mode", "file_num", "file_size", "loggers",
                "deduplicate_heartbeat_logs"));
        String level = log.string("level", "INFO").trim().toUpperCase(Locale.ROOT);
        String mapped = switch (level) {
            case "TRACE", "DEBUG", "INFO", "ERROR" -> level;
            case "WARNING", "WARN" -> "WARN";
            case "CRITICAL", "FATAL" -> "ERROR";
            default -> null;
        };
        if (mapped == null) {
            log.problems().error(log.path("level"), "must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL, got '"
                    + level + "'");
        }
        String type = log.string("type", "plain").trim();
        if (!type.equals("plain") && !type.equals("json")) {
            log.problems().error(log.path("type"), "must be plain or json, got '" + type + "'");
        }
        String dir = log.string("dir");
        Path dirPath = null;
        if (dir != null && !dir.isBlank()) {
            try {
                dirPath = Path.of(dir);
            } catch (InvalidPathException e) {
                log.problems().error(log.path("dir"), "is not a valid path: " + e.getReason());
            }
        }
        return new LogConfig(mapped, type.equals("json"), dirPath);
    }
}
