package io.bulwark.postgres;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.bulwark.config.Credentials;

/**
 * Reads the leader's timeline and history over a replication connection, as Patroni does (reference §2.6): pgjdbc
 * with {@code replication=database} and the simple query protocol accepts the walsender commands
 * {@code IDENTIFY_SYSTEM} and {@code TIMELINE_HISTORY}. Connects as the replication user, whom the leader's pg_hba
 * already admits for streaming. Any failure answers "unknown": a check that cannot be made never rewinds.
 */
final class LeaderTimeline {
    private static final Logger log = LoggerFactory.getLogger(LeaderTimeline.class);
    private static final int CONNECT_TIMEOUT_SECONDS = 3;
    private static final int SOCKET_TIMEOUT_SECONDS = 10;

    /** The leader's current timeline and, when it is above 1, its history. */
    record Seen(int timeline, List<TimelineHistory.Line> history) {
    }

    private final Credentials replication;

    LeaderTimeline(Credentials replication) {
        this.replication = replication;
    }

    Optional<Seen> read(Upstream leader) {
        String h = leader.host().contains(":") && !leader.host().startsWith("[") ? "[" + leader.host() + "]"
                : leader.host();
        Properties props = new Properties();
        props.setProperty("user", replication.username());
        if (replication.password() != null) {
            props.setProperty("password", replication.password());
        }
        props.setProperty("replication", "database");
        props.setProperty("assumeMinServerVersion", "9.4");
        props.setProperty("preferQueryMode", "simple");
        props.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
        props.setProperty("loginTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS * 2));
        props.setProperty("socketTimeout", Integer.toString(SOCKET_TIMEOUT_SECONDS));
        props.setProperty("ApplicationName", "bulwark");
        String url = "jdbc:postgresql://" + h + ":" + leader.port() + "/postgres";
        try (Connection c = new org.postgresql.Driver().connect(url, props); Statement st = c.createStatement()) {
            int timeline;
            try (ResultSet rs = st.executeQuery("IDENTIFY_SYSTEM")) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                timeline = rs.getInt(2);
            }
            if (timeline <= 1) {
                return Optional.of(new Seen(timeline, List.of()));
            }
            try (ResultSet rs = st.executeQuery("TIMELINE_HISTORY " + timeline)) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String text = new String(rs.getBytes(2), StandardCharsets.UTF_8);
                return Optional.of(new Seen(timeline, TimelineHistory.parse(text)));
            }
        } catch (SQLException | RuntimeException e) {
            log.warn("cannot read the timeline of the leader at {} over a replication connection: {}", leader,
                    e.getMessage());
            return Optional.empty();
        }
    }
}
