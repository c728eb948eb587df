package io.bulwark.ctl;

import io.bulwark.dcs.Cluster;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code query [CLUSTER] [-r ROLE | -m MEMBER] (-c SQL | -f FILE)}: run SQL on a member found through its
 * {@code conn_url}, with pgjdbc, and print the rows ({@code --format}, tsv by default). Password from
 * {@code --password} (prompt) else {@code PGPASSWORD}. Errors print as a row
 * {@code <timestamp> ERROR, SQLSTATE: ...}, like patronictl, and the exit code is 1.
 */
@Command(name = "query", mixinStandardHelpOptions = true, versionProvider = BulwarkCtl.Version.class,
        description = "Query a Patroni PostgreSQL member")
final class QueryCommand implements Callable<Integer> {
    @Parameters(paramLabel = "CLUSTER", arity = "0..1", description = "Cluster name (default: scope)")
    String cluster;

    @ArgGroup(exclusive = true)
    Which which = new Which();

    /** {@code --role} and {@code --member} are mutually exclusive. */
    static final class Which {
        @Option(names = {"-r", "--role"}, paramLabel = "ROLE", completionCandidates = CtlRole.Names.class,
                description = "The role of the query: ${COMPLETION-CANDIDATES}")
        CtlRole role;

        @Option(names = {"-m", "--member"}, paramLabel = "MEMBER", description = "Query a specific member")
        String member;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Sql sql;

    /** Exactly one of {@code --command} and {@code --file}. */
    static final class Sql {
        @Option(names = {"-c", "--command"}, paramLabel = "SQL", description = "The SQL commands to execute")
        String command;

        @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Execute the SQL commands from this file")
        Path file;
    }

    @Option(names = {"-U", "--username"}, paramLabel = "USER", description = "database user name")
    String username;

    @Option(names = "--password", description = "force password prompt")
    boolean password;

    @Option(names = {"-d", "--dbname"}, paramLabel = "DBNAME", description = "database name to connect to")
    String dbname;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "tsv",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    OutputFormat format;

    @Option(names = "--delimiter", paramLabel = "TEXT", defaultValue = "\t", description = "The column delimiter")
    String delimiter;

    @Option(names = "-W", description = "Auto update the screen every 2 seconds")
    boolean watchEveryTwo;

    @Option(names = {"-w", "--watch"}, paramLabel = "SECONDS", description = "Auto update the screen every X seconds")
    Double watch;

    @Option(names = "--max-iterations", hidden = true, description = "Stop watching after this many runs (tests)")
    Integer maxIterations;

    private final BulwarkCtl root;

    QueryCommand(BulwarkCtl root) {
        this.root = root;
    }

    @Override
    public Integer call() throws InterruptedException {
        String text;
        try {
            text = sql.command != null ? sql.command : Files.readString(sql.file);
        } catch (IOException e) {
            throw new CtlException("--file: cannot read " + sql.file + ": " + e.getMessage(), e);
        }
        String user = username != null ? username : root.env.getOrDefault("PGUSER",
                root.env.getOrDefault("USER", System.getProperty("user.name")));
        String pw = password ? root.prompter().password("Password") : root.env.get("PGPASSWORD");
        String db = dbname != null ? dbname : root.env.getOrDefault("PGDATABASE", user);
        Cluster c = root.readCluster(root.config().target(cluster));
        SqlSession session = new SqlSession(user, pw, db);
        try {
            boolean ok = Watch.repeat(root.out, watchEveryTwo, watch, maxIterations, false, () -> {
                SqlSession.Result r = session.run(c, which.role, which.member, text);
                print(r);
                return r.error() == null;
            });
            return ok ? 0 : 1;
        } finally {
            session.close();
        }
    }

    private void print(SqlSession.Result r) {
        if (r.columns() == null) {
            r.rows().forEach(row -> root.out.println(String.join(delimiter,
                    row.stream().map(TableOutput::str).toList())));
            return;
        }
        if (format == OutputFormat.tsv) {
            root.out.println(String.join(delimiter, r.columns()));
            r.rows().forEach(row -> root.out.println(String.join(delimiter,
                    row.stream().map(TableOutput::str).toList())));
            return;
        }
        TableOutput.print(root.out, r.columns(), r.rows(), java.util.Set.of(), TableOutput.style(format), "");
    }

}
