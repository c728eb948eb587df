package io.bulwark.ctl;

import io.bulwark.api.ClusterJson;
import io.bulwark.dcs.Cluster;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code bulwarkctl list} and {@code topology}: patronictl's {@code output_members} over the same
 * {@code cluster_as_json} view {@code GET /cluster} serves (reference §5). Column set, role labels, host:port rule,
 * MB lag rounding and the footer lines follow patronictl 4.x.
 */
final class MemberTable {
    private static final List<String> BASE_COLUMNS = List.of("Cluster", "Member", "Host", "Role", "State", "TL",
            "Receive LSN", "Receive Lag", "Replay LSN", "Replay Lag");
    private static final List<String> EXTRA_COLUMNS = List.of("Pending restart", "Pending restart reason",
            "Scheduled restart", "Tags");
    private static final Set<String> RIGHT = Set.of("Group", "Receive LSN", "Replay LSN", "Lag", "TL");

    private MemberTable() {
    }

    static void print(PrintStream out, Cluster cluster, String name, boolean extended, TableOutput.Style style) {
        Map<String, Object> view = ClusterJson.of(cluster);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> members = (List<Map<String, Object>>) view.get("members");
        List<Map<String, Object>> withHost = members.stream().filter(m -> m.containsKey("host")).toList();

        List<String> columns = new ArrayList<>(BASE_COLUMNS);
        for (String c : EXTRA_COLUMNS) {
            String key = key(c);
            if (extended || withHost.stream().anyMatch(m -> truthy(m.get(key)))) {
                columns.add(c);
            }
        }
        Set<Object> hosts = new HashSet<>();
        withHost.forEach(m -> hosts.add(m.get("host")));
        boolean appendPort = withHost.stream().anyMatch(m -> m.containsKey("port") && !m.get("port").equals(5432))
                || hosts.size() < withHost.size();

        List<Map<String, Object>> ordered = style == TableOutput.Style.TOPOLOGY ? Topology.sort(members) : members;
        List<List<Object>> rows = new ArrayList<>();
        for (Map<String, Object> m : ordered) {
            Map<String, Object> row = rowValues(m, name, appendPort, style);
            List<Object> cells = new ArrayList<>();
            columns.forEach(c -> cells.add(row.getOrDefault(key(c), "")));
            rows.add(cells);
        }
        String initialize = cluster.initialize() == null ? "uninitialized"
                : cluster.initialize().isEmpty() ? "initializing" : cluster.initialize();
        String title = " Cluster: " + name + " (" + initialize + ") ";
        boolean pretty = style == TableOutput.Style.PRETTY || style == TableOutput.Style.TOPOLOGY;
        if (pretty) {
            columns.set(columns.indexOf("Receive Lag"), "Lag");
            columns.set(columns.indexOf("Replay Lag"), "Lag");
        }
        TableOutput.print(out, columns, rows, RIGHT, style, title);
        if (pretty) {
            List<String> info = serviceInfo(view);
            if (!info.isEmpty()) {
                out.println(" " + String.join("\n ", info));
            }
        }
    }

    private static Map<String, Object> rowValues(Map<String, Object> m, String clusterName, boolean appendPort,
                                                 TableOutput.Style style) {
        Map<String, Object> r = new HashMap<>(m);
        Object receiveLag = m.getOrDefault("receive_lag", "");
        Object replayLag = m.getOrDefault("replay_lag", "");
        Object receiveLsn = m.getOrDefault("receive_lsn", "");
        Object replayLsn = m.getOrDefault("replay_lsn", "");
        Object lsn = m.getOrDefault("lsn", "");
        // members written by old agents publish only xlog_location: show it under the column it belongs to
        if ("unknown".equals(receiveLsn) && "unknown".equals(replayLsn) && !"".equals(lsn) && !"unknown".equals(lsn)) {
            if ("streaming".equals(m.get("state"))) {
                receiveLag = m.getOrDefault("lag", "");
                receiveLsn = lsn;
            } else {
                replayLag = m.getOrDefault("lag", "");
                replayLsn = lsn;
            }
        }
        r.put("cluster", clusterName);
        r.put("member", m.get("name"));
        r.put("host", m.getOrDefault("host", ""));
        r.put("tl", m.getOrDefault("timeline", ""));
        r.put("role", titleCase(m.get("role").toString().replace('_', ' ')));
        r.put("receive_lag", megabytes(receiveLag));
        r.put("replay_lag", megabytes(replayLag));
        r.put("receive_lsn", receiveLsn);
        r.put("replay_lsn", replayLsn);
        r.put("pending_restart", truthy(m.get("pending_restart")) ? "*" : "");
        r.put("pending_restart_reason", restartReason(m.get("pending_restart_reason"), style));
        if (appendPort && !"".equals(r.get("host")) && m.get("port") != null) {
            r.put("host", r.get("host") + ":" + m.get("port"));
        }
        if (m.get("scheduled_restart") instanceof Map<?, ?> sr && sr.get("schedule") != null) {
            String value = sr.get("schedule").toString();
            if (sr.get("postgres_version") != null) {
                value += " if version < " + sr.get("postgres_version");
            }
            r.put("scheduled_restart", value);
        }
        r.putIfAbsent("tags", "");
        return r;
    }

    /** Bytes to MB rounded half-to-even (Python's {@code round}); "unknown" shows as blank. */
    private static Object megabytes(Object lag) {
        if (lag instanceof Number n) {
            return (long) Math.rint(n.doubleValue() / 1024 / 1024);
        }
        return "unknown".equals(lag) ? "" : lag;
    }

    private static String restartReason(Object reason, TableOutput.Style style) {
        if (!(reason instanceof Map<?, ?> map)) {
            return "";
        }
        boolean hideLong = style == TableOutput.Style.PRETTY || style == TableOutput.Style.TOPOLOGY;
        List<String> lines = new ArrayList<>();
        map.forEach((param, values) -> {
            Map<?, ?> v = values instanceof Map<?, ?> vm ? vm : Map.of();
            String full = param + ": " + v.get("old_value") + "->" + v.get("new_value");
            lines.add(!hideLong || full.length() <= 50 ? full : param + ": [hidden - too long]");
        });
        return String.join("\n", lines);
    }

    private static List<String> serviceInfo(Map<String, Object> view) {
        List<String> info = new ArrayList<>();
        if (Boolean.TRUE.equals(view.get("pause"))) {
            info.add("Maintenance mode: on");
        }
        if (view.get("scheduled_switchover") instanceof Map<?, ?> sw) {
            StringBuilder s = new StringBuilder("Switchover scheduled at: " + sw.get("at"));
            for (String k : List.of("from", "to")) {
                if (sw.containsKey(k)) {
                    s.append('\n').append(String.format("%24s: %s", k, sw.get(k)));
                }
            }
            info.add(s.toString());
        }
        return info;
    }

    /** Python's {@code str.title()} for role labels: {@code standby leader} → {@code Standby Leader}. */
    static String titleCase(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean startOfWord = true;
        for (char c : s.toCharArray()) {
            out.append(startOfWord ? Character.toUpperCase(c) : Character.toLowerCase(c));
            startOfWord = !Character.isLetter(c);
        }
        return out.toString();
    }

    private static String key(String column) {
        return column.toLowerCase(Locale.ROOT).replace(' ', '_');
    }

    private static boolean truthy(Object v) {
        return switch (v) {
            case null -> false;
            case Boolean b -> b;
            case String s -> !s.isEmpty();
            case Map<?, ?> m -> !m.isEmpty();
            case List<?> l -> !l.isEmpty();
            case Number n -> n.doubleValue() != 0;
            default -> true;
        };
    }

    /** patronictl's {@code topology_sort}: leader first, each replica under its {@code replicatefrom} parent. */
    static final class Topology {
        private Topology() {
        }

        static List<Map<String, Object>> sort(List<Map<String, Object>> members) {
            Map<String, Object> leader = members.stream()
                    .filter(m -> m.get("role").toString().endsWith("leader")).findFirst().orElse(null);
            String leaderName = leader == null ? null : (String) leader.get("name");
            Set<String> replicas = new HashSet<>();
            members.stream().filter(m -> !m.get("role").toString().endsWith("leader"))
                    .forEach(m -> replicas.add((String) m.get("name")));
            Map<String, List<Map<String, Object>>> children = new LinkedHashMap<>();
            for (Map<String, Object> m : members) {
                if (m.get("role").toString().endsWith("leader")) {
                    continue;
                }
                Object parent = m.get("tags") instanceof Map<?, ?> tags ? tags.get("replicatefrom") : null;
                String p = parent != null && !parent.equals(m.get("name")) && replicas.contains(parent.toString())
                        ? parent.toString() : leaderName;
                children.computeIfAbsent(p, k -> new ArrayList<>()).add(m);
            }
            List<Map<String, Object>> out = new ArrayList<>();
            walk(0, leader, leaderName, children, out);
            return out;
        }

        private static void walk(int level, Map<String, Object> member, String name,
                                 Map<String, List<Map<String, Object>>> children, List<Map<String, Object>> out) {
            if (member != null) {
                Map<String, Object> copy = new LinkedHashMap<>(member);
                if (level > 0) {
                    copy.put("name", " ".repeat((level - 1) * 2) + "+ " + member.get("name"));
                }
                out.add(copy);
            }
            for (Map<String, Object> child : children.getOrDefault(name, List.of())) {
                walk(level + 1, child, (String) child.get("name"), children, out);
            }
        }
    }
}
