package io.bulwark.ctl;

import io.bulwark.dcs.DcsCodec;
import io.bulwark.dcs.DcsException;
import io.bulwark.dcs.DcsKeys;
import io.bulwark.dcs.InMemoryDcs;
import io.bulwark.dcs.MemberData;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The "batman" cluster in an in-memory DCS (postgresql0 leader, postgresql1 and postgresql2 replicas) whose
 * members' api_url point at one {@link FakePatroni}, and a config file with REST credentials admin/s3cret.
 */
final class CtlWorld implements AutoCloseable {
    static final String AUTH = "Basic " + Base64.getEncoder()
            .encodeToString("admin:s3cret".getBytes(StandardCharsets.UTF_8));
    static final DcsKeys KEYS = new DcsKeys("/service", "batman");

    final InMemoryDcs.Store store = new InMemoryDcs.Store();
    final FakePatroni api;
    final Path configFile;
    final Map<String, InMemoryDcs> agents = new LinkedHashMap<>();
    /** Called before each CLI DCS open, so a test can change the DCS between the CLI's read and its write. */
    Function<Integer, Void> beforeOpen = n -> null;
    private int opens;

    CtlWorld(Path dir) throws IOException, DcsException {
        api = new FakePatroni();
        configFile = dir.resolve("patronictl.yaml");
        Files.writeString(configFile, """
                scope: batman
                etcd3:
                  host: 127.0.0.1:2379
                restapi:
                  authentication:
                    username: admin
                    password: s3cret
                """);
        member("postgresql0", 5432, "primary", Map.of());
        member("postgresql1", 5433, "replica", Map.of());
        member("postgresql2", 5434, "replica", Map.of());
        agents.get("postgresql0").attemptToAcquireLeader();
        agents.get("postgresql0").initialize(Clusters.SYSID, false);
        agents.get("postgresql0").setConfig("{\"ttl\":30,\"loop_wait\":10,\"retry_timeout\":10,"
                + "\"postgresql\":{\"use_pg_rewind\":true,\"parameters\":{\"max_connections\":100}}}", null);
    }

    /** Publish (or republish) a member key; {@code extra} carries fields like pause or scheduled_restart. */
    void member(String name, int port, String role, Map<String, Object> extra) throws DcsException {
        InMemoryDcs dcs = agents.computeIfAbsent(name, n -> new InMemoryDcs(store, KEYS, n, 30));
        dcs.touchMember(new MemberData("postgres://127.0.0.1:" + port + "/postgres", api.apiUrl(name), "running",
                role, "4.1.4", Clusters.LSN, role.equals("primary") ? null : Clusters.LSN,
                role.equals("primary") ? null : Clusters.LSN, role.equals("primary") ? null : "streaming", 5,
                Map.of(), null, extra));
    }

    /** Point a member at a port where nothing listens. */
    void unreachable(String name, String role) throws DcsException {
        InMemoryDcs dcs = agents.get(name);
        dcs.touchMember(new MemberData("postgres://127.0.0.1:5432/postgres", "http://127.0.0.1:1/patroni",
                "running", role, "4.1.4", Clusters.LSN, null, null, null, 5, Map.of(), null, Map.of()));
    }

    String raw(String key) {
        return store.raw(key).orElse(null);
    }

    Map<String, Object> config() {
        return DcsCodec.decodeConfig(0, raw(KEYS.config())).data();
    }

    Clusters.Run run(String stdin, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "-c";
        all[1] = configFile.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return runRaw(stdin, Map.of(), all);
    }

    Clusters.Run runRaw(String stdin, Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> environment = new HashMap<>(env);
        int code = BulwarkCtl.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                environment, t -> {
                    beforeOpen.apply(++opens);
                    return new InMemoryDcs(store, t.keys(), "bulwarkctl", 30);
                });
        return new Clusters.Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    List<FakePatroni.Request> requests() {
        return api.requests;
    }

    @Override
    public void close() {
        api.close();
        agents.values().forEach(InMemoryDcs::close);
    }
}
