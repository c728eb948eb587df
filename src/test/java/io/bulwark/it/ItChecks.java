package io.bulwark.it;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import static io.bulwark.it.ClusterHarness.await;

/** Waits and SQL helpers shared by the integration tests (generous timeouts; failures carry the agents' logs). */
final class ItChecks {
    static final Duration START = Duration.ofSeconds(120);

    private ItChecks() {
    }

    static void awaitPrimary(ClusterHarness h, AgentNode node) {
        try {
            await(node.name + " to become primary", START, () -> node.httpStatus("/primary") == 200);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + h.logs(), e);
        }
    }

    static void awaitStreaming(ClusterHarness h, AgentNode node) {
        try {
            await(node.name + " to stream as a replica", START, () -> node.httpStatus("/replica") == 200
                    && bodyHas(node, "\"replication_state\": \"streaming\""));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + h.logs(), e);
        }
    }

    static boolean bodyHas(AgentNode node, String text) {
        try {
            return node.httpBody("/patroni").contains(text);
        } catch (Exception e) {
            return false;
        }
    }

    static int count(AgentNode node, String table) {
        try (Connection c = node.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from " + table)) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            return -1;
        }
    }

    static boolean tryExec(int port, String sql) {
        try {
            exec(port, sql);
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    static void exec(int port, String sql) throws SQLException {
        try (Connection c = AgentNode.connectTo(port); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
