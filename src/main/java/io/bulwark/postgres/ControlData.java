package io.bulwark.postgres;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code pg_controldata} says about a data directory (run with {@code LC_ALL=C}, so the labels are the
 * English ones parsed here).
 */
record ControlData(Map<String, String> fields) {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    ControlData {
        fields = Map.copyOf(fields);
    }

    static ControlData read(CommandRunner runner, Binaries binaries, Path dataDir) throws PostgresException {
        CommandRunner.Result r = runner.run(binaries.argv("pg_controldata", dataDir.toString()), Map.of(), TIMEOUT);
        if (!r.succeeded()) {
            throw PostgresException.commandFailed("pg_controldata failed", r, 5);
        }
        return parse(r.output());
    }

    static ControlData parse(String output) {
        Map<String, String> f = new LinkedHashMap<>();
        output.lines().forEach(line -> {
            int colon = line.indexOf(':');
            if (colon > 0) {
                f.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
            }
        });
        return new ControlData(f);
    }

    /** Database system identifier, e.g. {@code 7268616322854375442}, or {@code null}. */
    String systemId() {
        return fields.get("Database system identifier");
    }

    /** e.g. {@code shut down}, {@code shut down in recovery}, {@code in production}, {@code in crash recovery}. */
    String clusterState() {
        return fields.getOrDefault("Database cluster state", "");
    }

    /** pg_rewind accepts only a cleanly shut down target. */
    boolean isCleanlyShutDown() {
        String s = clusterState();
        return s.equals("shut down") || s.equals("shut down in recovery");
    }

    boolean dataChecksums() {
        String v = fields.getOrDefault("Data page checksum version", "0");
        return !v.equals("0") && !v.isEmpty();
    }

    boolean walLogHints() {
        return "on".equals(fields.get("wal_log_hints setting"));
    }

    /** pg_rewind needs either data checksums or wal_log_hints=on in the target's control file. */
    boolean allowsRewind() {
        return dataChecksums() || walLogHints();
    }
}
