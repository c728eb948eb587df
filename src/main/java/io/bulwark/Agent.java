package io.bulwark;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.bulwark.api.ApiConfigView;
import io.bulwark.api.ApiControls;
import io.bulwark.api.RestSecurity;
import io.bulwark.api.PeerClient;
import io.bulwark.config.ClientConfigLoader;
import io.bulwark.api.RestApi;
import io.bulwark.config.BulwarkConfig;
import io.bulwark.config.DynamicConfig;
import io.bulwark.config.DynamicConfigParser;
import io.bulwark.dcs.Cluster;
import io.bulwark.dcs.Dcs;
import io.bulwark.dcs.DcsException;
import io.bulwark.dcs.DcsKeys;
import io.bulwark.dcs.etcd.EtcdDcs;
import io.bulwark.dcs.etcd.EtcdTls;
import io.bulwark.ha.Clock;
import io.bulwark.ha.HaLoop;
import io.bulwark.postgres.CallbackExecutor;
import io.bulwark.postgres.CommandRunner;
import io.bulwark.postgres.RoleCallbacks;
import io.bulwark.postgres.Postgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Wires one agent: DCS, PostgreSQL, callbacks, HA loop and REST API, and stops them in order on SIGTERM (the loop's
 * last cycle stops PostgreSQL and hands the leader key back). SIGHUP re-reads the configuration file
 * ({@link ConfigReload}).
 */
final class Agent {
    private static final Logger log = LoggerFactory.getLogger(Agent.class);
    private static final Duration DCS_WAIT_LOG_INTERVAL = Duration.ofSeconds(5);
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(90);

    private Agent() {
    }

    /** {@code file}: the configuration file SIGHUP and {@code POST /reload} re-read, or null (environment only). */
    static int run(BulwarkConfig cfg, java.nio.file.Path file, PrintStream err) {
        LogSetup.apply(cfg.log());
        DynamicConfig bootstrapDynamic = cfg.bootstrap().dcs();
        DcsKeys keys = new DcsKeys(cfg.namespace(), cfg.scope());
        Postgres postgres = new Postgres(cfg.postgresql(), cfg.name(), new CommandRunner());
        // first of all, so a deadline the previous agent left pending is enforced while we wait for etcd
        Fence fence;
        try {
            fence = Fence.start(postgres.runtimeDir(), cfg.postgresql().dataDir(), System::nanoTime);
        } catch (IOException e) {
            err.println("error: cannot start the fence process: " + e.getMessage());
            return 1;
        }
        Dcs dcs;
        try {
            dcs = EtcdDcs.connect(cfg.etcd().endpoints(), cfg.etcd().username(), cfg.etcd().password(),
                    new EtcdTls(cfg.etcd().cacert(), cfg.etcd().cert(), cfg.etcd().key()), keys, cfg.name(),
                    bootstrapDynamic.ttl(), Duration.ofSeconds(bootstrapDynamic.retryTimeout()), true);
        } catch (IllegalArgumentException e) {
            err.println("error: etcd: " + e.getMessage());
            return 1;
        }
        Cluster cluster = waitForDcs(dcs);
        if (NameGuard.anotherMemberAlive(cluster, cfg.name())) {
            String msg = "Can't start; there is already a node named '" + cfg.name() + "' running";
            log.error(msg);
            err.println("error: " + msg);
            dcs.close();
            return 1;
        }
        DynamicConfigCache dynamicConfig = new DynamicConfigCache(bootstrapDynamic);
        DynamicConfig initial = dynamicConfig.apply(cluster);
        dcs.setTtl(initial.ttl());
        dcs.setRetryTimeout(Duration.ofSeconds(initial.retryTimeout()));

        postgres.useTtl(initial.ttl());
        HaLoop[] loopRef = new HaLoop[1];
        CallbackExecutor callbackRuns = new CallbackExecutor();
        RoleCallbacks callbacks = new RoleCallbacks(cfg.postgresql().callbacks(), cfg.scope(), callbackRuns);
        AgentPostgres control = new AgentPostgres(postgres, cfg.postgresql().dataDir(),
                cfg.postgresql().pgCtlTimeout(), cfg.bootstrap(),
                () -> loopRef[0] == null ? initial : loopRef[0].settings().dynamic(), callbacks, cfg.scope());
        PeerClient peers;
        try {
            peers = new PeerClient(cfg.restapi().tls(), cfg.peers());
        } catch (UncheckedIOException e) {
            err.println("error: the TLS files of the agent's calls to its peers' REST APIs (ctl.cacert else"
                    + " restapi.cafile; ctl.certfile/keyfile else restapi.certfile/keyfile): " + e.getMessage());
            dcs.close();
            return 1;
        }
        FailsafeCalls failsafeCalls;
        try {
            failsafeCalls = new FailsafeCalls(ClientConfigLoader.restClientOf(cfg.raw()));
        } catch (RuntimeException e) {
            err.println("error: ctl (the TLS settings the leader's POST /failsafe calls use): " + e.getMessage());
            dcs.close();
            return 1;
        }
        HaLoop loop = new HaLoop(cfg.name(), cfg.scope(), cfg.tags(), initial, dcs, control,
                new PeerViews(peers)::probe, failsafeCalls, Clock.SYSTEM,
                cfg.postgresql().connUrl(), cfg.restapi().apiUrl(),
                Main.VERSION, () -> bootstrapConfigJson(bootstrapDynamic), dynamicConfig::apply);
        loopRef[0] = loop;
        ConfigReload reload = new ConfigReload(file, System.getenv(), cfg, loop.admin(), reloaded -> {
            LogSetup.apply(reloaded.log());
            loop.useTags(reloaded.tags());
            postgres.useLocalConfig(reloaded.postgresql());
            callbacks.use(reloaded.postgresql().callbacks());
        });
        RestApi api;
        try {
            RestSecurity security = RestSecurity.of(cfg.restapi());
            ApiControls controls = new ApiControls(dcs, reload, dcs::wakeUp, security,
                    loop::lastCycleDurationNanos, loop::metrics, loop.failsafe(), postgres.backups());
            api = RestApi.start(cfg.restapi().listenHost(), cfg.restapi().listenPort(), loop::status,
                    System::nanoTime, ApiConfigView.of(() -> loop.settings().dynamic(), loop::lastCycleNanos), controls,
                    cfg.restapi().maxConnectionsPerClient());
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            dcs.close();
            return 1;
        } catch (IOException e) {
            err.println("error: restapi.listen: cannot listen on " + cfg.restapi().listenHost() + ":"
                    + cfg.restapi().listenPort() + ": " + e.getMessage());
            dcs.close();
            return 1;
        }
        loop.onStatus(s -> {
            fence.update(s);
            if ("primary".equals(s.role())) {
                postgres.backups().onPrimary(); // creates the pgBackRest stanza once, in the background
            }
        });
        loop.onLeaderKeyWritten(fence::publishDeadline);
        CountDownLatch stopRequested = new CountDownLatch(1);
        for (String signal : new String[]{"TERM", "INT"}) {
            sun.misc.Signal.handle(new sun.misc.Signal(signal), sig -> stopRequested.countDown());
        }
        // what systemctl reload sends; the JDK runs the handler on a thread of its own
        sun.misc.Signal.handle(new sun.misc.Signal("HUP"), sig -> reload.reloadConfiguration());
        loop.start();
        try {
            stopRequested.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("received a stop request; shutting down");
        try {
            loop.stop(SHUTDOWN_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        io.bulwark.postgres.CommandRunner.stopRunning(); // none may outlive us (a loop stuck in pg_basebackup)
        fence.close();
        callbackRuns.close(); // an on_stop fired by the last cycle gets a few seconds to finish
        api.close();
        postgres.close();
        dcs.close();
        log.info("Bulwark stopped");
        return 0;
    }

    /** Patroni loops "waiting on etcd" until the DCS answers; so do we. */
    private static Cluster waitForDcs(Dcs dcs) {
        long lastLog = 0;
        while (true) {
            try {
                return dcs.cluster();
            } catch (DcsException e) {
                long now = System.nanoTime();
                if (now - lastLog > DCS_WAIT_LOG_INTERVAL.toNanos() || lastLog == 0) {
                    log.info("waiting on etcd: {}", e.getMessage());
                    lastLog = now;
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for etcd", ie);
                }
            }
        }
    }

    private static String bootstrapConfigJson(DynamicConfig dcsConfig) {
        try {
            return new ObjectMapper().writeValueAsString(DynamicConfigParser.toMap(dcsConfig));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
