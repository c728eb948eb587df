package io.bulwark.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which local settings a configuration reload (SIGHUP, {@code POST /reload}) applies to the running agent, and
 * which need an agent restart. Live: {@code log}, {@code tags}, {@code postgresql.parameters},
 * {@code postgresql.pg_hba}, {@code postgresql.callbacks}, {@code postgresql.pre_promote}
 * ({@link PostgresqlConfig#withReloadable}). Everything {@link #restartOnly} lists keeps its value from the
 * agent's start until it restarts (Patroni also applies restapi and DCS changes live; Bulwark does not yet).
 */
public final class LiveSettings {
    private LiveSettings() {
    }

    /** The keys whose value differs between {@code running} and {@code reloaded} and needs an agent restart. */
    public static List<String> restartOnly(BulwarkConfig running, BulwarkConfig reloaded) {
        List<String> changed = new ArrayList<>();
        check(changed, "name", running.name(), reloaded.name());
        check(changed, "scope", running.scope(), reloaded.scope());
        check(changed, "namespace", running.namespace(), reloaded.namespace());
        check(changed, "restapi", running.restapi(), reloaded.restapi());
        check(changed, "etcd", running.etcd(), reloaded.etcd());
        PostgresqlConfig a = running.postgresql();
        PostgresqlConfig b = reloaded.postgresql();
        check(changed, "postgresql.listen", a.listenHost() + ":" + a.port(), b.listenHost() + ":" + b.port());
        check(changed, "postgresql.connect_address", a.connectAddress(), b.connectAddress());
        check(changed, "postgresql.data_dir", a.dataDir(), b.dataDir());
        check(changed, "postgresql.bin_dir", a.binDir(), b.binDir());
        check(changed, "postgresql.pgpass", a.pgpass(), b.pgpass());
        check(changed, "postgresql.authentication.superuser", a.superuser(), b.superuser());
        check(changed, "postgresql.authentication.replication", a.replication(), b.replication());
        check(changed, "postgresql.authentication.rewind", a.rewind(), b.rewind());
        check(changed, "postgresql.create_replica_methods", a.createReplicaMethods(), b.createReplicaMethods());
        check(changed, "postgresql.basebackup", a.basebackup(), b.basebackup());
        check(changed, "postgresql.pg_ctl_timeout", a.pgCtlTimeout(), b.pgCtlTimeout());
        check(changed, "postgresql.keep_failed_data_dirs", a.keepFailedDataDirs(), b.keepFailedDataDirs());
        return changed;
    }

    private static void check(List<String> changed, String key, Object before, Object after) {
        if (!Objects.equals(before, after)) {
            changed.add(key);
        }
    }
}
