package io.bulwark.postgres;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Objects;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.bulwark.config.DynamicConfig;
import io.bulwark.config.StandbyClusterConfig;

/**
 * Rewrites the configuration of the local server for {@link Postgres}: re-pointing a replica at a new upstream
 * (checking first that our slot exists there), the standby leader at the remote site, and a plain reload keeping
 * the current role and upstream. {@link Postgres} checks the binaries before each call.
 */
final class Reconfiguration {
    private static final Logger log = LoggerFactory.getLogger(Reconfiguration.class);

    private final Path dataDir;
    private final Postmaster postmaster;
    private final PgPass pgpass;
    private final SecureFiles files;
    private final PostgresConf conf;
    private final ServerFunctions sql;
    private final ServerQueries queries;
    private final UpstreamSlots upstreamSlots;
    private final String slotName;
    private final Supplier<PostgresState> probe;

    Reconfiguration(Path dataDir, Postmaster postmaster, PgPass pgpass, SecureFiles files, PostgresConf conf,
                    ServerFunctions sql, ServerQueries queries, UpstreamSlots upstreamSlots, String slotName,
                    Supplier<PostgresState> probe) {
        this.dataDir = dataDir;
        this.postmaster = postmaster;
        this.pgpass = pgpass;
        this.files = files;
        this.conf = conf;
        this.sql = sql;
        this.queries = queries;
        this.upstreamSlots = upstreamSlots;
        this.slotName = slotName;
        this.probe = probe;
    }

    /** See {@link Postgres#followRemote}. */
    void followRemote(StandbyClusterConfig remote, DynamicConfig dyn) throws PostgresException {
        boolean alive = postmaster.isAlive();
        if (alive && probe.get().isPrimary()) {
            throw new PostgresException("follow: PostgreSQL runs as primary; stop it and start it as the standby"
                    + " leader instead");
        }
        pgpass.write(files);
        if (conf.writeStandbyLeader(dyn, remote) && alive) {
            try {
                sql.reloadConf();
            } catch (SQLException e) {
                throw new PostgresException("follow: pg_reload_conf() failed: " + e.getMessage(), e);
            }
            log.info("following the remote primary {} as the standby leader", remote.host() == null
                    ? "(archive only: restore_command)" : remote.hostPort());
        }
    }

    /** See {@link Postgres#follow}. */
    boolean follow(Upstream upstream, DynamicConfig dyn) throws PostgresException {
        Objects.requireNonNull(upstream, "upstream");
        boolean alive = postmaster.isAlive();
        if (alive && probe.get().isPrimary()) {
            throw new PostgresException("follow: PostgreSQL runs as primary; stop it and start(" + upstream
                    + ") instead");
        }
        Upstream target = slotChecked(upstream, dyn);
        pgpass.write(files);
        if (conf.write(dyn, target)) {
            if (alive) {
                try {
                    sql.reloadConf();
                } catch (SQLException e) {
                    throw new PostgresException("follow: pg_reload_conf() failed: " + e.getMessage(), e);
                }
            }
            log.info("following {}{}", target, dyn.useSlots() && !target.withSlot() ? " without replication slot "
                    + slotName + " until it exists there" : "");
        }
        return target.withSlot() || !dyn.useSlots();
    }

    /**
     * {@code upstream}, or the same without our slot when {@code use_slots} is on and the upstream says the slot
     * does not exist. Unknown (the upstream did not answer) keeps the slot: streaming waits for it as before.
     */
    Upstream slotChecked(Upstream upstream, DynamicConfig dyn) {
        if (upstream == null || !dyn.useSlots() || !upstream.withSlot()) {
            return upstream;
        }
        if (upstreamSlots.exists(upstream, slotName).orElse(true)) {
            return upstream;
        }
        log.info("replication slot {} does not exist on {} yet: streaming without it until it does", slotName,
                upstream);
        return upstream.withoutSlot();
    }

    /** See {@link Postgres#reloadConfig}. */
    void reload(DynamicConfig dyn) throws PostgresException {
        if (!postmaster.isAlive()) {
            return;
        }
        PostgresState now = probe.get();
        if (dyn.sync().enabled() && now.running() && !now.inRecovery()) {
            conf.adoptSynchronousStandbyNames(queries.synchronousStandbyNamesInEffect());
        }
        Upstream upstream = null;
        if (now.upstream() != null && now.upstream().lastIndexOf(':') > 0) {
            String hp = now.upstream();
            upstream = new Upstream(hp.substring(0, hp.lastIndexOf(':')),
                    Integer.parseInt(hp.substring(hp.lastIndexOf(':') + 1)), !now.streamsWithoutSlot());
        }
        StandbyClusterConfig remote = dyn.standby();
        if (remote != null && now.inRecovery() && Objects.equals(now.upstream(), remote.hostPort())) {
            conf.writeStandbyLeader(dyn, remote); // the standby leader keeps the remote's slot and restore settings
        } else {
            conf.write(dyn, upstream, now.inRecovery());
        }
        try {
            sql.reloadConf();
        } catch (SQLException e) {
            throw new PostgresException("pg_reload_conf() failed: " + e.getMessage(), e);
        }
        log.info("reloaded PostgreSQL configuration in {}", dataDir);
    }
}
