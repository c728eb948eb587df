package io.bulwark.postgres;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.bulwark.config.PostgresqlConfig;
import io.bulwark.testing.PgTestSupport;

/**
 * The real PostgreSQL servers one test creates, and their directories: {@link #close()} stops every server
 * (immediate mode) and deletes every directory, so a failed assertion leaves nothing running.
 */
final class PgServers implements AutoCloseable {
    private final List<Postgres> servers = new ArrayList<>();
    private final List<Path> dirs = new ArrayList<>();

    Postgres server(PostgresqlConfig cfg, String name) {
        return add(new Postgres(cfg, name, PgTestSupport.runner()));
    }

    /** Tracks a server built elsewhere (e.g. with its own runner). */
    Postgres add(Postgres pg) {
        servers.add(pg);
        return pg;
    }

    Path dir(String prefix) throws Exception {
        Path d = PgTestSupport.tempDir(prefix);
        dirs.add(d);
        return d;
    }

    /** Every replication slot on the server at {@code port}, name to whether it is active. */
    static Map<String, Boolean> slots(int port) throws SQLException {
        Map<String, Boolean> out = new HashMap<>();
        try (Connection c = PgTestSupport.connect(port, PgTestSupport.SUPERUSER); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT slot_name, active FROM pg_replication_slots")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getBoolean(2));
            }
        }
        return out;
    }

    @Override
    public void close() {
        for (Postgres pg : servers) {
            try {
                pg.stop(StopMode.IMMEDIATE, Duration.ofSeconds(20));
            } catch (PostgresException e) {
                System.err.println("teardown: " + e.getMessage());
            }
            pg.close();
        }
        dirs.forEach(PgTestSupport::deleteQuietly);
    }
}
