package io.bulwark.api;

import io.bulwark.dcs.Cluster;
import io.bulwark.dcs.Failover;
import io.bulwark.dcs.Member;
import io.bulwark.dcs.MemberData;

import java.net.URI;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Patroni's {@code cluster_as_json} (reference §3.3): the value of {@code GET /cluster} and the input of
 * {@code bulwarkctl list}/{@code topology}. Key names, key order and the "unknown" conventions follow Patroni
 * so that scripts written against either tool read both.
 */
public final class ClusterJson {
    private ClusterJson() {
    }

    /** {@code {"members": [...sorted by name...], "pause"?: true, "scheduled_switchover"?: {...}}}. */
    public static Map<String, Object> of(Cluster cluster) {
        ClusterSettings settings = ClusterSettings.of(cluster);
        String leaderName = cluster.leader() == null ? null : cluster.leader().name();
        long clusterLsn = cluster.status().optime();
        List<Map<String, Object>> members = new ArrayList<>();
        for (Member m : cluster.members()) {
            members.add(member(m, cluster, settings, leaderName, clusterLsn));
        }
        members.sort(Comparator.comparing(m -> (String) m.get("name")));
        Map<String, Object> ret = new LinkedHashMap<>();
        ret.put("members", members);
        if (settings.paused()) {
            ret.put("pause", true);
        }
        Failover f = cluster.failover();
        if (f != null && f.scheduledAt() != null) {
            Map<String, Object> sw = new LinkedHashMap<>();
            sw.put("at", isoFormat(f.scheduledAt()));
            if (f.leader() != null && !f.leader().isEmpty()) {
                sw.put("from", f.leader());
            }
            if (f.candidate() != null && !f.candidate().isEmpty()) {
                sw.put("to", f.candidate());
            }
            ret.put("scheduled_switchover", sw);
        }
        return ret;
    }

    private static Map<String, Object> member(Member m, Cluster cluster, ClusterSettings settings,
                                              String leaderName, long clusterLsn) {
        MemberData d = m.data();
        String role;
        if (m.name().equals(leaderName)) {
            role = settings.standbyCluster() ? "standby_leader" : "leader";
        } else if (settings.synchronousMode() && ClusterSettings.isSyncStandby(cluster.sync(), m.name())) {
            role = settings.quorumMode() ? "quorum_standby" : "sync_standby";
        } else {
            role = "replica";
        }
        String state = !role.equals("leader") && notEmpty(d.replicationState()) ? d.replicationState()
                : d.state() == null ? "" : d.state();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", m.name());
        out.put("role", role);
        out.put("state", state);
        out.put("api_url", d.apiUrl());
        HostPort hp = hostPort(d);
        if (hp.host() != null) {
            out.put("host", hp.host());
            if (hp.port() != null) {
                out.put("port", hp.port());
            }
        }
        if (d.timeline() != null) {
            out.put("timeline", d.timeline());
        }
        for (String key : List.of("pending_restart", "pending_restart_reason", "scheduled_restart")) {
            if (d.extra().containsKey(key)) {
                out.put(key, d.extra().get(key));
            }
        }
        if (!d.tags().isEmpty()) {
            out.put("tags", d.tags());
        }
        if (!m.name().equals(leaderName)) {
            putLsn(out, "receive_", d.receiveLsn(), clusterLsn);
            putLsn(out, "replay_", d.replayLsn(), clusterLsn);
            putLsn(out, "", d.xlogLocation(), clusterLsn);
        }
        return out;
    }

    // Same key insertion order as Patroni: "unknown" sets the LSN first, a known value sets the lag first.
    private static void putLsn(Map<String, Object> out, String prefix, Long lsn, long clusterLsn) {
        if (lsn == null || lsn == 0) {
            out.put(prefix + "lsn", "unknown");
            out.put(prefix + "lag", "unknown");
        } else {
            out.put(prefix + "lag", clusterLsn >= lsn ? clusterLsn - lsn : 0L);
            out.put(prefix + "lsn", formatLsn(lsn));
        }
    }

    /** PostgreSQL's LSN text form, {@code 0/40004E8} (upper-case hex, no padding), as Patroni's format_lsn. */
    public static String formatLsn(long lsn) {
        return String.format("%X/%X", lsn >>> 32, lsn & 0xFFFFFFFFL);
    }

    /** Host and port of a member's PostgreSQL, from {@code conn_kwargs} if present, else {@code conn_url}. */
    public record HostPort(String host, Integer port) {
    }

    public static HostPort hostPort(MemberData d) {
        if (d.extra().get("conn_kwargs") instanceof Map<?, ?> kw && kw.get("host") != null) {
            Object port = kw.get("port");
            return new HostPort(kw.get("host").toString(), port == null ? null : parsePort(port.toString()));
        }
        if (d.connUrl() == null || d.connUrl().isBlank()) {
            return new HostPort(null, null);
        }
        try {
            URI uri = URI.create(d.connUrl().trim());
            String host = uri.getHost();
            if (host == null) {
                return new HostPort(null, null);
            }
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            return new HostPort(host, uri.getPort() < 0 ? null : uri.getPort());
        } catch (IllegalArgumentException e) {
            return new HostPort(null, null);
        }
    }

    private static Integer parsePort(String s) {
        try {
            return Integer.valueOf(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Python's {@code datetime.isoformat()} for an aware time: seconds always, micros if non-zero, +HH:MM. */
    public static String isoFormat(OffsetDateTime t) {
        StringBuilder s = new StringBuilder(String.format("%04d-%02d-%02dT%02d:%02d:%02d",
                t.getYear(), t.getMonthValue(), t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond()));
        int micros = t.getNano() / 1000;
        if (micros != 0) {
            s.append(String.format(".%06d", micros));
        }
        ZoneOffset off = t.getOffset();
        int total = off.getTotalSeconds();
        int abs = Math.abs(total);
        s.append(total < 0 ? '-' : '+').append(String.format("%02d:%02d", abs / 3600, abs / 60 % 60));
        if (abs % 60 != 0) {
            s.append(String.format(":%02d", abs % 60));
        }
        return s.toString();
    }

    private static boolean notEmpty(String s) {
        return s != null && !s.isEmpty();
    }
}
