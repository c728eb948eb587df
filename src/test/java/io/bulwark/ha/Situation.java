package io.bulwark.ha;

import io.bulwark.config.DynamicConfig;
import io.bulwark.config.Tags;
import io.bulwark.dcs.Cluster;
import io.bulwark.dcs.ClusterStatus;
import io.bulwark.dcs.HistoryEntry;
import io.bulwark.dcs.Leader;
import io.bulwark.dcs.Member;
import io.bulwark.dcs.MemberData;
import io.bulwark.postgres.PostgresState;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A readable scenario for {@link HaDecider#decide}: {@code Situation.as("node2").leaderIs("node1")
 * .withPrimary("node1").pg(PgStates.replicaStreaming("node1", 100)).decide()}.
 *
 * <p>Defaults: cluster initialized with {@link #SYSID}, no leader, no other members, default dynamic config,
 * default tags, {@link LocalState#INITIAL}, no peers, DCS readable, not shutting down, PostgreSQL a streaming
 * replica with no upstream. Our own member key is added from the PostgreSQL state unless set explicitly.
 */
final class Situation {
    static final String SYSID = "7301234567890123456";
    static final String OTHER_SYSID = "7309999999999999999";
    /** The monotonic "now" of every situation. */
    static final java.time.Instant WALL_NOW = java.time.Instant.parse("2026-11-26T12:00:00Z");
    static final long NOW = Duration.ofHours(10).toNanos();

    private final String me;
    private String initialize = SYSID;
    private String leader;
    private final Map<String, MemberData> members = new TreeMap<>();
    private long optime;
    private Map<String, Long> statusSlots = Map.of();
    private List<String> retainSlots = List.of();
    private final List<HistoryEntry> history = new ArrayList<>();
    private PostgresState pg = PgStates.withUpstream(PgStates.replicaStreaming("node1", 0), null);
    private Tags tags = Tags.none();
    private DynamicConfig dynamic = DynamicConfig.defaults();
    private LocalState local = LocalState.INITIAL;
    private final Map<String, PeerView> peers = new LinkedHashMap<>();
    private String dcsError;
    private boolean shuttingDown;
    private String longOperation;
    private Map<String, String> failsafeKey;
    private FailsafeCheck failsafeCheck;
    private FailsafeTrust failsafeTrust;

    private Situation(String me) {
        this.me = me;
    }

    static Situation as(String me) {
        return new Situation(me);
    }

    // --- the DCS view ---

    private io.bulwark.dcs.Failover failover;
    private io.bulwark.dcs.SyncState sync;

    Situation leaderIs(String name) {
        leader = name;
        return this;
    }

    Situation noLeader() {
        leader = null;
        return this;
    }

    /** No {@code initialize} key at all. */
    Situation notInitialized() {
        initialize = null;
        return this;
    }

    /** {@code initialize} key present with an empty value: someone is bootstrapping. */
    Situation bootstrapInProgress() {
        initialize = "";
        return this;
    }

    Situation initialize(String systemId) {
        initialize = systemId;
        return this;
    }

    Situation withPrimary(String name) {
        return withMember(name, Members.runningPrimary(name));
    }

    Situation withReplica(String name, Object... tags) {
        return withMember(name, Members.runningReplica(name, tags));
    }

    Situation withMember(String name, MemberData data) {
        members.put(name, data);
        return this;
    }

    Situation withoutMember(String name) {
        members.remove(name);
        return this;
    }

    private long now = NOW;

    /** Observe at another monotonic instant than {@link #NOW} (lease times stay relative to NOW). */
    Situation at(long nanos) {
        now = nanos;
        return this;
    }

    /** Maintenance mode: {@code pause: true} in the dynamic configuration. */
    Situation paused() {
        DynamicConfig d = dynamic;
        dynamic = new DynamicConfig(d.ttl(), d.loopWait(), d.retryTimeout(), d.maximumLagOnFailover(),
                d.primaryStartTimeout(), d.usePgRewind(), d.useSlots(), d.removeDataDirectoryOnRewindFailure(),
                d.parameters(), d.pgHba(), Map.of("pause", true));
        return this;
    }

    /** A {@code failover} key: switchover from {@code from} (may be null) to {@code to} (may be null). */
    Situation failoverKey(String from, String to, java.time.OffsetDateTime at) {
        failover = new io.bulwark.dcs.Failover(7, from, to, at);
        return this;
    }

    /** {@code synchronous_mode: true} (and {@code synchronous_mode_strict}) in the dynamic configuration. */
    Situation syncMode(boolean strict) {
        DynamicConfig d = dynamic;
        Map<String, Object> raw = new java.util.LinkedHashMap<>(d.raw());
        raw.put("synchronous_mode", true);
        raw.put("synchronous_mode_strict", strict);
        dynamic = new DynamicConfig(d.ttl(), d.loopWait(), d.retryTimeout(), d.maximumLagOnFailover(),
                d.primaryStartTimeout(), d.usePgRewind(), d.useSlots(), d.removeDataDirectoryOnRewindFailure(),
                d.parameters(), d.pgHba(), raw);
        return this;
    }

    /** {@code failsafe_mode: true} in the dynamic configuration. */
    Situation failsafeMode() {
        DynamicConfig d = dynamic;
        Map<String, Object> raw = new java.util.LinkedHashMap<>(d.raw());
        raw.put("failsafe_mode", true);
        dynamic = new DynamicConfig(d.ttl(), d.loopWait(), d.retryTimeout(), d.maximumLagOnFailover(),
                d.primaryStartTimeout(), d.usePgRewind(), d.useSlots(), d.removeDataDirectoryOnRewindFailure(),
                d.parameters(), d.pgHba(), raw);
        return this;
    }

    /** {@code synchronous_mode: quorum} (and {@code synchronous_mode_strict}) in the dynamic configuration. */
    Situation quorumMode(boolean strict) {
        syncMode(strict);
        DynamicConfig d = dynamic;
        Map<String, Object> raw = new java.util.LinkedHashMap<>(d.raw());
        raw.put("synchronous_mode", "quorum");
        dynamic = new DynamicConfig(d.ttl(), d.loopWait(), d.retryTimeout(), d.maximumLagOnFailover(),
                d.primaryStartTimeout(), d.usePgRewind(), d.useSlots(), d.removeDataDirectoryOnRewindFailure(),
                d.parameters(), d.pgHba(), raw);
        return this;
    }

    /** The {@code failsafe} key listing {@code names} (api_url {@code http://NAME:8008/patroni}). */
    Situation failsafeKey(String... names) {
        failsafeKey = new TreeMap<>();
        for (String n : names) {
            failsafeKey.put(n, "http://" + n + ":8008/patroni");
        }
        return this;
    }

    /** This cycle's POST /failsafe round, sent {@code ago} before NOW; {@code refused} did not accept. */
    Situation failsafeRound(Duration ago, String... refused) {
        failsafeCheck = new FailsafeCheck(NOW - ago.toNanos(), List.of(refused), null);
        return this;
    }

    /** Decide with {@code check} as this cycle's POST /failsafe round. */
    Decision decideWith(FailsafeCheck check) {
        failsafeCheck = check;
        return decide();
    }

    /** This member accepted a POST /failsafe from {@code primary} {@code ago} before NOW. */
    Situation failsafeCallFrom(String primary, Duration ago) {
        failsafeTrust = new FailsafeTrust(new FailsafeCall(primary, "postgres://" + primary + ":5432/postgres",
                "http://" + primary + ":8008/patroni"), NOW - ago.toNanos());
        return this;
    }

    /** The {@code sync} key as a leader in quorum mode wrote it; {@code voters} comma-separated or null. */
    Situation quorumKey(String leader, int quorum, String voters) {
        sync = new io.bulwark.dcs.SyncState(3, leader, quorum, voters);
        return this;
    }

    /** {@code standby_cluster} pointing at another site's primary. */
    Situation standbyCluster() {
        DynamicConfig d = dynamic;
        Map<String, Object> raw = new java.util.LinkedHashMap<>(d.raw());
        raw.put("standby_cluster", Map.of("host", "10.1.0.5", "port", 5432));
        dynamic = new DynamicConfig(d.ttl(), d.loopWait(), d.retryTimeout(), d.maximumLagOnFailover(),
                d.primaryStartTimeout(), d.usePgRewind(), d.useSlots(), d.removeDataDirectoryOnRewindFailure(),
                d.parameters(), d.pgHba(), raw);
        return this;
    }

    /** The {@code sync} key as {@code leader} wrote it; {@code standbys} comma-separated or null. */
    Situation syncKey(String leader, String standbys) {
        sync = new io.bulwark.dcs.SyncState(3, leader, null, standbys);
        return this;
    }

    /** What the loop remembered from earlier cycles. */
    Situation local(LocalState remembered) {
        local = remembered;
        return this;
    }

    /** {@code /status.slots} and {@code /status.retain_slots} as the leader published them. */
    Situation statusSlots(Map<String, Long> slots, List<String> retain) {
        statusSlots = slots;
        retainSlots = retain;
        return this;
    }

    /** Any key of the dynamic configuration, as it is stored in the {@code config} key. */
    Situation dynamic(String key, Object value) {
        DynamicConfig d = dynamic;
        Map<String, Object> raw = new java.util.LinkedHashMap<>(d.raw());
        raw.put(key, value);
        dynamic = new DynamicConfig(d.ttl(), d.loopWait(), d.retryTimeout(), d.maximumLagOnFailover(),
                d.primaryStartTimeout(), d.usePgRewind(), d.useSlots(), d.removeDataDirectoryOnRewindFailure(),
                d.parameters(), d.pgHba(), raw);
        return this;
    }

    /** The leader's last published WAL position ({@code /status.optime}). */
    Situation optime(long lsn) {
        optime = lsn;
        return this;
    }

    /** One {@code /history} line per timeline switch already made: cluster timeline = switches + 1. */
    Situation timelineSwitches(int switches) {
        for (int tl = 1; tl <= switches; tl++) {
            history.add(new HistoryEntry(tl, tl * 1000L, "no recovery target specified", null, null));
        }
        return this;
    }

    Situation dcsError(String why) {
        dcsError = why;
        return this;
    }

    // --- the local node ---

    Situation pg(PostgresState state) {
        pg = state;
        return this;
    }

    Situation tags(Tags t) {
        tags = t;
        return this;
    }

    Situation nofailover() {
        return tags(new Tags(true, false, false, false, 1, null, Map.of("nofailover", true)));
    }

    Situation failoverPriority(int priority) {
        return tags(new Tags(false, false, false, false, priority, null, Map.of("failover_priority", priority)));
    }

    Situation maximumLagOnFailover(long bytes) {
        DynamicConfig d = dynamic;
        dynamic = new DynamicConfig(d.ttl(), d.loopWait(), d.retryTimeout(), bytes, d.primaryStartTimeout(),
                d.usePgRewind(), d.useSlots(), d.removeDataDirectoryOnRewindFailure(), d.parameters(), d.pgHba(),
                d.raw());
        return this;
    }

    Situation primaryStartTimeout(int seconds) {
        DynamicConfig d = dynamic;
        dynamic = new DynamicConfig(d.ttl(), d.loopWait(), d.retryTimeout(), d.maximumLagOnFailover(), seconds,
                d.usePgRewind(), d.useSlots(), d.removeDataDirectoryOnRewindFailure(), d.parameters(), d.pgHba(),
                d.raw());
        return this;
    }

    Situation usePgRewind(boolean use) {
        DynamicConfig d = dynamic;
        dynamic = new DynamicConfig(d.ttl(), d.loopWait(), d.retryTimeout(), d.maximumLagOnFailover(),
                d.primaryStartTimeout(), use, d.useSlots(), d.removeDataDirectoryOnRewindFailure(), d.parameters(),
                d.pgHba(), d.raw());
        return this;
    }

    // --- what the loop remembers ---

    Situation leaseValidFor(Duration left) {
        local = local.withLeaderUntil(NOW + left.toNanos());
        return this;
    }

    Situation leaseExpiredAgo(Duration ago) {
        local = local.withLeaderUntil(NOW - ago.toNanos());
        return this;
    }

    Situation noLease() {
        local = local.withLeaderUntil(Long.MIN_VALUE);
        return this;
    }

    Situation pgDownFor(Duration down) {
        local = local.withPgDownSince(NOW - down.toNanos());
        return this;
    }

    /** We released the lock after a failed pre_promote; no leader race for {@code left} more. */
    Situation raceBackoffFor(Duration left) {
        local = local.withRaceBackoffUntil(NOW + left.toNanos());
        return this;
    }

    Situation justAcquired() {
        local = local.withJustAcquired(true);
        return this;
    }

    // --- the leader race ---

    /** {@code name} answered {@code GET /patroni}: failover allowed, priority 1. */
    Situation peer(String name, boolean primary, long walPosition) {
        return peer(new PeerView(name, primary, walPosition, false, 1));
    }

    Situation peer(PeerView view) {
        peers.put(view.name(), view);
        return this;
    }

    /** A long PostgreSQL operation (e.g. "post-promotion checkpoint") is running beside the loop. */
    Situation longOperation(String what) {
        longOperation = what;
        return this;
    }

    Situation shuttingDown() {
        shuttingDown = true;
        return this;
    }

    // --- results ---

    Observation observation() {
        Cluster cluster = dcsError != null ? null : cluster();
        return new Observation(cluster, dcsError, pg, new HaSettings(me, tags, dynamic), local, peers, now,
                shuttingDown, WALL_NOW, longOperation, new FailsafeView(failsafeCheck, failsafeTrust));
    }

    Decision decide() {
        return HaDecider.decide(observation());
    }

    /** The member record as it appears in the built cluster (for expected {@code CloneFrom}/{@code Follow}). */
    Member member(String name) {
        return cluster().member(name).orElseThrow(() -> new IllegalStateException("no member " + name));
    }

    private Cluster cluster() {
        Map<String, MemberData> all = new TreeMap<>(members);
        all.putIfAbsent(me, ownMemberData());
        List<Member> list = all.entrySet().stream().map(e -> new Member(e.getKey(), 1, 1, e.getValue())).toList();
        return new Cluster(initialize, null, leader == null ? null : new Leader(leader, 1, 1), list,
                new ClusterStatus(optime, statusSlots, retainSlots), failover, history, sync, failsafeKey);
    }

    private MemberData ownMemberData() {
        if (pg.dataDir() != PostgresState.DataDirState.INITIALIZED) {
            return Members.member(me, "stopped", "uninitialized", 0, tags.published());
        }
        return Members.member(me, pg.running() ? "running" : "stopped", pg.isPrimary() ? "primary" : "replica",
                pg.walPosition(), tags.published());
    }
}
