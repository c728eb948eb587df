package io.bulwark.ha;

import io.bulwark.ha.QuorumResolver.Key;
import io.bulwark.ha.QuorumResolver.Step;
import io.bulwark.postgres.StandbyNames;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * A primary, up to five standbys and the leader's quorum bookkeeping, driven by a seeded random schedule: standbys
 * die and come back, replicate at random speeds, {@code synchronous_node_count} and strict mode change, the agent
 * restarts (forgetting its guard) or stops between two steps. A commit is acknowledged exactly when PostgreSQL would
 * (enough standbys of the value in effect have flushed it). After every tick and every single step it checks the
 * property that matters: for every acknowledged commit, every set of {@code quorum + 1} voters of the key (the old
 * leader dead) contains a standby that has the commit, so whichever candidate wins the vote has it.
 */
final class QuorumSimulation {
    private static final List<String> NAMES = List.of("a", "B", "c", "d", "e");

    private final Random random;
    private final long seed;
    private final Map<String, Long> flush = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private final Set<String> alive = new java.util.TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    private final List<Long> pending = new ArrayList<>();
    private final List<Long> acked = new ArrayList<>();
    private final List<String> trace = new ArrayList<>();
    private QuorumGuard guard = new QuorumGuard();
    private StandbyNames ssn = StandbyNames.OFF;
    private Key key = Key.EMPTY;
    private long position = 1;
    private int wanted;
    private boolean strict;

    QuorumSimulation(long seed) {
        this.seed = seed;
        this.random = new Random(seed);
        int standbys = 1 + random.nextInt(NAMES.size());
        for (String n : NAMES.subList(0, standbys)) {
            flush.put(n, 0L);
            if (random.nextBoolean()) {
                alive.add(n);
            }
        }
        wanted = 1 + random.nextInt(3);
        strict = random.nextInt(4) == 0;
    }

    /** {@code ticks} cycles with random events. */
    void run(int ticks) {
        for (int t = 0; t < ticks; t++) {
            events();
            tick(true);
        }
    }

    /** {@code ticks} cycles without events, every live standby catching up, nothing interrupted. */
    void settle(int ticks) {
        for (int t = 0; t < ticks; t++) {
            tick(false);
        }
    }

    /** Empty when the leader reached the wanted state for the final membership; else what differs. */
    Optional<String> converged() {
        Set<String> active = active();
        QuorumResolver.State s = new QuorumResolver.State(key, ssn, guard.guard(), guard.historyUnknown(), active,
                wanted, strict);
        StandbyNames wantSsn = QuorumResolver.wantedStandbyNames(s);
        Key wantKey = strict && active.isEmpty() ? key : QuorumResolver.wantedKey(wantSsn);
        if (!ssn.equals(wantSsn) || !key.equals(wantKey)) {
            return Optional.of("not converged: ssn " + ssn + " (want " + wantSsn + "), key " + key + " (want "
                    + wantKey + ")");
        }
        return Optional.empty();
    }

    String describe() {
        return "trace:\n  " + String.join("\n  ", trace);
    }

    private void events() {
        int e = random.nextInt(10);
        List<String> names = new ArrayList<>(flush.keySet());
        String someone = names.get(random.nextInt(names.size()));
        switch (e) {
            case 0, 1 -> {
                if (!alive.remove(someone)) {
                    alive.add(someone);
                }
                trace.add((alive.contains(someone) ? "up " : "down ") + someone);
            }
            case 2 -> {
                wanted = 1 + random.nextInt(3);
                trace.add("synchronous_node_count " + wanted);
            }
            case 3 -> {
                if (random.nextInt(3) == 0) {
                    strict = !strict;
                    trace.add("strict " + strict);
                }
            }
            case 4 -> {
                if (random.nextInt(3) == 0) {
                    guard = new QuorumGuard();
                    trace.add("agent restart");
                }
            }
            default -> {
            }
        }
    }

    private void tick(boolean chaos) {
        position += 1 + random.nextInt(3);
        pending.add(position);
        for (String s : alive) {
            long f = flush.get(s);
            flush.put(s, chaos && random.nextInt(3) == 0 ? f + random.nextLong(position - f + 1) : position);
        }
        acknowledge();
        check("after replication");
        guard.observe(ssn, position, synchronousFlush());
        boolean keyWritten = false;
        for (int i = 0; i < 4; i++) {
            if (chaos && random.nextInt(8) == 0) {
                trace.add("cycle interrupted");
                return;
            }
            Optional<Step> step = QuorumResolver.next(new QuorumResolver.State(key, ssn, guard.guard(),
                    guard.historyUnknown(), active(), wanted, strict));
            if (step.isEmpty()) {
                return;
            }
            switch (step.get()) {
                case Step.WriteKey w -> {
                    if (keyWritten) {
                        return;
                    }
                    key = w.key();
                    keyWritten = true;
                    trace.add("key " + key);
                }
                case Step.WriteStandbyNames w -> {
                    ssn = w.value();
                    guard.written(ssn);
                    trace.add("ssn " + ssn);
                }
            }
            position += 1;
            pending.add(position);
            acknowledge();
            check("after " + step.get());
        }
    }

    private Set<String> active() {
        return new LinkedHashSet<>(alive);
    }

    private Map<String, Long> synchronousFlush() {
        Map<String, Long> out = new HashMap<>();
        for (String s : alive) {
            if (ssn.num() > 0 && ssn.realNames().contains(s)) {
                out.put(s, flush.get(s));
            }
        }
        return out;
    }

    /** PostgreSQL's rule: a waiting commit returns once num of the named standbys flushed it (at once when off). */
    private void acknowledge() {
        List<Long> done = new ArrayList<>();
        for (long p : pending) {
            long have = ssn.realNames().stream().filter(s -> flush.containsKey(s) && flush.get(s) >= p).count();
            if (ssn.num() <= 0 || have >= ssn.num()) {
                done.add(p);
            }
        }
        pending.removeAll(done);
        acked.addAll(done);
    }

    private void check(String when) {
        int needed = key.quorum() + 1;
        for (long p : acked) {
            long without = key.voters().stream().filter(v -> flush.getOrDefault(v, 0L) < p).count();
            if (without >= needed) {
                throw new AssertionError("seed " + seed + ", " + when + ": commit " + p + " acknowledged, but "
                        + without + " voters lack it and " + needed + " votes elect (key " + key + ", ssn " + ssn
                        + ", flush " + flush + ")\n" + describe());
            }
        }
    }
}
