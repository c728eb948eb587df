package io.bulwark.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.bulwark.config.Credentials;

/**
 * Asks an upstream server whether this member's physical replication slot exists there, before a replica is
 * pointed at it with {@code primary_slot_name}.
 *
 * <p>Why: a new leader creates a member's slot only once it sees that member's key in the DCS. A former primary
 * that rejoins after its key expired (a frozen agent, a partition) starts as a standby before the leader has
 * caught up; with a missing slot its WAL receiver is refused and retries only every
 * {@code wal_retrieve_retry_interval}, while a rewound standby cannot become consistent without that WAL. So the
 * replica streams without a slot until the slot exists, then switches to it (a reload, PostgreSQL 13+).
 *
 * <p>Connects as the rewind user (the superuser when none is configured), who must reach the upstream's
 * {@code postgres} database anyway for pg_rewind. Any failure answers "unknown", and the caller then keeps the
 * slot configured, which is what it did before this check existed.
 */
final class UpstreamSlots {
    private static final Logger log = LoggerFactory.getLogger(UpstreamSlots.class);
    private static final int CONNECT_TIMEOUT_SECONDS = 2;
    private static final int SOCKET_TIMEOUT_SECONDS = 3;

    private final Credentials user;

    UpstreamSlots(Credentials user) {
        this.user = user;
    }

    /** Whether {@code slot} exists on {@code upstream}; empty when that could not be found out. */
    Optional<Boolean> exists(Upstream upstream, String slot) {
        String h = upstream.host().contains(":") && !upstream.host().startsWith("[") ? "[" + upstream.host() + "]"
                : upstream.host();
        Properties props = new Properties();
        props.setProperty("user", user.username());
        if (user.password() != null) {
            props.setProperty("password", user.password());
        }
        props.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
        props.setProperty("loginTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS * 2));
        props.setProperty("socketTimeout", Integer.toString(SOCKET_TIMEOUT_SECONDS));
        props.setProperty("ApplicationName", "bulwark");
        String url = "jdbc:postgresql://" + h + ":" + upstream.port() + "/postgres";
        try (Connection c = new org.postgresql.Driver().connect(url, props);
             PreparedStatement ps = c.prepareStatement(
                     "SELECT 1 FROM pg_catalog.pg_replication_slots WHERE slot_name = ? AND slot_type = 'physical'")) {
            ps.setString(1, slot);
            try (ResultSet rs = ps.executeQuery()) {
                return Optional.of(rs.next());
            }
        } catch (SQLException | RuntimeException e) {
            log.debug("cannot tell whether slot {} exists on {}: {}", slot, upstream, e.getMessage());
            return Optional.empty();
        }
    }
}
