package io.bulwark;

import io.bulwark.api.RestStartChecks;
import io.bulwark.config.BulwarkConfig;
import io.bulwark.config.ConfigProblem;
import io.bulwark.config.EtcdConfig;
import io.bulwark.dcs.etcd.EtcdTls;
import io.bulwark.postgres.PostgresStartChecks;

import java.util.ArrayList;
import java.util.List;

/**
 * Every check the agent makes on this host before it starts anything, in one place: the agent runs them after
 * loading its configuration, and {@code --validate-config} runs the same ones, so a validated file starts.
 * <ul>
 *   <li>not root (PostgreSQL refuses to run as root);</li>
 *   <li>PostgreSQL's programs found ({@code postgresql.bin_dir}) and the data directory usable by this user
 *       ({@link PostgresStartChecks});</li>
 *   <li>the REST API's security settings and TLS files usable, and {@code restapi.listen} free
 *       ({@link RestStartChecks});</li>
 *   <li>the etcd TLS files readable and parseable when the endpoints are {@code https://}.</li>
 * </ul>
 * Member and cluster names are checked when the configuration is read ({@code MemberNames}). Checks that need
 * etcd or the network (another member with this name, etcd reachable) are made by the agent after these.
 */
final class StartChecks {
    private StartChecks() {
    }

    /** @param uid effective user id of the agent ({@link io.bulwark.postgres.RunningUser#uid()}), -1 if unknown */
    static List<ConfigProblem> run(BulwarkConfig cfg, long uid) {
        List<ConfigProblem> problems = new ArrayList<>();
        if (uid == 0) {
            problems.add(new ConfigProblem("user", "refusing to run as root: PostgreSQL must not run as root; run"
                    + " bulwark as the postgres OS user (e.g. runuser -u postgres -- bin/bulwark CONFIG.yml)"));
        }
        problems.addAll(PostgresStartChecks.check(cfg.postgresql(), cfg.bootstrap().dcs().usePgRewind(), uid));
        problems.addAll(RestStartChecks.check(cfg.restapi()));
        EtcdConfig etcd = cfg.etcd();
        if (etcd.tls()) {
            try {
                new EtcdTls(etcd.cacert(), etcd.cert(), etcd.key()).check();
            } catch (IllegalArgumentException e) {
                problems.add(new ConfigProblem(cfg.raw().containsKey("etcd3") ? "etcd3" : "etcd", e.getMessage()));
            }
        }
        return problems;
    }
}
