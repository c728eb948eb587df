package io.bulwark.postgres;

import static io.bulwark.testing.PgTestSupport.eventually;
import static io.bulwark.testing.PgTestSupport.patience;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.bulwark.config.BootstrapConfig;
import io.bulwark.config.DynamicConfig;
import io.bulwark.config.PostgresqlConfig;
import io.bulwark.testing.PgTestSupport;

/**
 * A running replica that replayed WAL the new primary never had (reference §2.6) is found diverged by
 * {@link Postgres#divergence} over replication connections, then pg_rewind puts it on the new timeline; a replica on
 * the leader's own timeline is not. Three real PostgreSQL 15 servers on loopback.
 */
@Tag("integration")
class DivergedReplicaTest {
    private static final DynamicConfig DYN = DynamicConfig.defaults();
    private static final Duration START = patience(60);

    private final PgServers pg = new PgServers();

    @AfterEach
    void tearDown() {
        pg.close();
    }

    @Test
    void aReplicaAheadOfTheNewPrimarysSwitchpointIsFoundDivergedAndRewound() throws Exception {
        PostgresqlConfig cfgA = PgTestSupport.config(pg.dir("dv-a")).build();
        PostgresqlConfig cfgB = PgTestSupport.config(pg.dir("dv-b")).build();
        PostgresqlConfig cfgC = PgTestSupport.config(pg.dir("dv-c")).build();
        Postgres a = pg.server(cfgA, "node-a");
        Postgres b = pg.server(cfgB, "node-b");
        Postgres c = pg.server(cfgC, "node-c");
        for (Postgres server : List.of(a, b, c)) {
            server.useTtl(40); // 10 s connection timeouts: SCRAM logins take more than 1 s on a loaded test machine
        }
        a.bootstrap(new BootstrapConfig(DYN, List.of("data-checksums"), List.of()), DYN);
        a.syncSlots(Set.of("node_b", "node_c"));
        b.cloneFrom("127.0.0.1", cfgA.port(), DYN);
        c.cloneFrom("127.0.0.1", cfgA.port(), DYN);
        b.start(new Upstream("127.0.0.1", cfgA.port()), DYN, START);
        c.start(new Upstream("127.0.0.1", cfgA.port()), DYN, START);
        execute(cfgA.port(), "CREATE TABLE t (v text)", "INSERT INTO t VALUES ('everywhere')");
        eventually(patience(30), () -> assertThat(values(cfgC.port())).containsExactly("everywhere"));
        eventually(patience(30), () -> assertThat(values(cfgB.port())).containsExactly("everywhere"));
        assertThat(b.divergence("127.0.0.1", cfgA.port())).as("same timeline as its primary").isEmpty();

        // c stops; b receives more from a; a dies; c becomes the primary of timeline 2 without that WAL
        c.stop(StopMode.FAST, patience(30));
        execute(cfgA.port(), "INSERT INTO t VALUES ('only on a and b')");
        eventually(patience(30), () -> assertThat(values(cfgB.port())).contains("only on a and b"));
        a.stop(StopMode.IMMEDIATE, patience(30));
        c.start(new Upstream("127.0.0.1", cfgA.port()), DYN, START);
        c.promote(patience(30));
        c.checkpoint();
        assertThat(c.probe().timeline()).isEqualTo(2);
        c.syncSlots(Set.of("node_b"));

        assertThat(b.probe().running()).isTrue();
        assertThat(b.divergence("127.0.0.1", cfgC.port())).as("b replayed past c's switchpoint")
                .hasValueSatisfying(why -> assertThat(why).contains("past the leader's switch to timeline 2"));

        b.stop(StopMode.FAST, patience(30));
        assertThat(b.rewind("127.0.0.1", cfgC.port())).isTrue();
        b.start(new Upstream("127.0.0.1", cfgC.port()), DYN, START);
        execute(cfgC.port(), "INSERT INTO t VALUES ('after the failover')");
        eventually(patience(30), () -> assertThat(values(cfgB.port()))
                .containsExactlyInAnyOrder("everywhere", "after the failover"));
        eventually(patience(30), () -> assertThat(b.probe().replicationState()).isEqualTo("streaming"));
        assertThat(b.divergence("127.0.0.1", cfgC.port())).as("rewound onto timeline 2").isEmpty();
    }

    private static void execute(int port, String... sql) throws SQLException {
        try (Connection conn = PgTestSupport.connect(port, PgTestSupport.SUPERUSER); Statement s = conn.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        }
    }

    private static List<String> values(int port) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection conn = PgTestSupport.connect(port, PgTestSupport.SUPERUSER); Statement s = conn.createStatement();
             ResultSet rs = s.executeQuery("SELECT v FROM t ORDER BY v")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
