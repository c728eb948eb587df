package io.bulwark.ctl;

import io.bulwark.dcs.Cluster;
import io.bulwark.dcs.Member;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The connection behind {@code query}: patronictl's {@code get_cursor} and {@code query_member}. Connects once
 * (reused while watching) to the member picked by role or name, and for replica/standby/primary roles checks
 * {@code pg_is_in_recovery()} so the DCS view is confirmed by PostgreSQL itself. Autocommit, 5 s connect timeout.
 */
final class SqlSession implements AutoCloseable {
    /** @param columns null for an error or "no connection" row */
    record Result(List<String> columns, List<List<Object>> rows, String error) {
    }

    private final String user;
    private final String password;
    private final String dbname;
    private Connection connection;

    SqlSession(String user, String password, String dbname) {
        this.user = user;
        this.password = password;
        this.dbname = dbname;
    }

    Result run(Cluster cluster, CtlRole role, String memberName, String sql) {
        try {
            if (connection == null || connection.isClosed()) {
                connection = connect(cluster, role, memberName);
            }
            if (connection == null) {
                String message = memberName != null ? "No connection to member " + memberName + " is available"
                        : role != null ? "No connection to role " + role + " is available"
                        : "No connection is available";
                return new Result(null, List.of(List.of(BulwarkCtl.timestamp(0), message)), message);
            }
            return execute(sql);
        } catch (SQLException e) {
            close();
            String message = (e.getSQLState() != null ? e.getSQLState() : String.valueOf(e.getMessage()))
                    .replace('\n', ' ');
            String detail = e.getMessage() == null ? "" : e.getMessage().replace('\n', ' ');
            return new Result(null, List.of(List.of(BulwarkCtl.timestamp(0), "ERROR, SQLSTATE: " + message)),
                    detail);
        }
    }

    private Connection connect(Cluster cluster, CtlRole role, String memberName) throws SQLException {
        Member m = MemberSelection.any(cluster, role, memberName);
        if (m == null) {
            return null;
        }
        ConnUrl url = ConnUrl.parse(m.name(), m.data().connUrl());
        Properties p = new Properties();
        p.setProperty("user", user);
        if (password != null) {
            p.setProperty("password", password);
        }
        p.setProperty("connectTimeout", "5");
        p.setProperty("ApplicationName", "Patroni ctl");
        String host = url.host().contains(":") ? "[" + url.host() + "]" : url.host();
        Connection c = DriverManager.getConnection("jdbc:postgresql://" + host + ":" + url.port() + "/"
                + java.net.URLEncoder.encode(dbname, java.nio.charset.StandardCharsets.UTF_8), p);
        c.setAutoCommit(true);
        if (role == null || role == CtlRole.ANY || role == CtlRole.LEADER) {
            return c;
        }
        boolean inRecovery;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_catalog.pg_is_in_recovery()")) {
            inRecovery = !rs.next() || rs.getBoolean(1);
        }
        boolean wanted = inRecovery ? role == CtlRole.REPLICA || role == CtlRole.STANDBY
                || role == CtlRole.STANDBY_LEADER : role == CtlRole.PRIMARY;
        if (!wanted) {
            c.close();
            return null;
        }
        return c;
    }

    /** The last result set of the (possibly multi-statement) command, as psycopg's cursor shows it. */
    private Result execute(String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            boolean isResultSet = s.execute(sql);
            Result last = new Result(null, List.of(), null);
            while (true) {
                if (isResultSet) {
                    try (ResultSet rs = s.getResultSet()) {
                        last = read(rs);
                    }
                } else if (s.getUpdateCount() == -1) {
                    break;
                }
                isResultSet = s.getMoreResults();
            }
            return last;
        }
    }

    private static Result read(ResultSet rs) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        List<String> columns = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            columns.add(md.getColumnLabel(i));
        }
        List<List<Object>> rows = new ArrayList<>();
        while (rs.next()) {
            List<Object> row = new ArrayList<>();
            for (int i = 1; i <= columns.size(); i++) {
                Object v = rs.getObject(i);
                row.add(v == null || v instanceof Number || v instanceof Boolean || v instanceof String ? v
                        : v.toString());
            }
            rows.add(row);
        }
        return new Result(columns, rows, null);
    }

    @Override
    public void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // closing a broken connection: nothing left to release
            }
            connection = null;
        }
    }
}
