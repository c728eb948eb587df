package io.bulwark.postgres;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Renders {@code pg_hba.conf}: the configured lines ({@code postgresql.pg_hba} locally, else in the dynamic
 * configuration), or a safe default that requires SCRAM passwords over TCP. Whatever is configured, a
 * {@code host replication} line for the replication user is guaranteed, because without it no replica can
 * ever clone or stream and the cluster silently loses its redundancy.
 */
final class PgHba {
    private PgHba() {
    }

    static String render(List<String> localLines, List<String> dynamicLines, String replicationUser) {
        List<String> lines = new ArrayList<>();
        lines.add("# Written by Bulwark; do not edit: set postgresql.pg_hba instead.");
        List<String> configured = !localLines.isEmpty() ? localLines : dynamicLines;
        if (configured.isEmpty()) {
            lines.addAll(defaults(replicationUser));
        } else {
            lines.addAll(configured);
            if (configured.stream().noneMatch(l -> allowsReplication(l, replicationUser))) {
                lines.add("# added by Bulwark: replicas must be able to connect");
                lines.add(replicationLine(replicationUser, "0.0.0.0/0"));
                lines.add(replicationLine(replicationUser, "::/0"));
            }
        }
        return String.join("\n", lines) + "\n";
    }

    static List<String> defaults(String replicationUser) {
        return List.of(
                "local all all peer",
                "host all all 127.0.0.1/32 scram-sha-256",
                "host all all ::1/128 scram-sha-256",
                replicationLine(replicationUser, "0.0.0.0/0"),
                replicationLine(replicationUser, "::/0"),
                "host all all 0.0.0.0/0 scram-sha-256",
                "host all all ::/0 scram-sha-256");
    }

    private static String replicationLine(String user, String cidr) {
        return "host replication " + quoteUser(user) + " " + cidr + " scram-sha-256";
    }

    /** Whether an hba line lets {@code user} open replication connections over TCP. */
    static boolean allowsReplication(String line, String user) {
        String[] f = line.strip().split("\\s+");
        if (f.length < 4 || f[0].startsWith("#") || !f[0].startsWith("host")) {
            return false;
        }
        boolean db = Arrays.asList(f[1].split(",")).contains("replication");
        boolean role = Arrays.stream(f[2].split(",")).map(PgHba::unquote)
                .anyMatch(u -> u.equals("all") || u.equals(user));
        boolean rejects = f[f.length - 1].equals("reject") || (f.length > 4 && f[4].equals("reject"));
        return db && role && !rejects;
    }

    private static String quoteUser(String user) {
        return user.matches("[A-Za-z0-9_]+") ? user : "\"" + user.replace("\"", "\"\"") + "\"";
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")
                ? s.substring(1, s.length() - 1).replace("\"\"", "\"") : s;
    }
}
