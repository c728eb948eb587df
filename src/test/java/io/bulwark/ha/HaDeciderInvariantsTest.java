package io.bulwark.ha;

import io.bulwark.ha.Action.AcquireLock;
import io.bulwark.ha.Action.Bootstrap;
import io.bulwark.ha.Action.CloneFrom;
import io.bulwark.ha.Action.Demote;
import io.bulwark.ha.Action.Follow;
import io.bulwark.ha.Action.NoAction;
import io.bulwark.ha.Action.Promote;
import io.bulwark.ha.Action.Rejoin;
import io.bulwark.ha.Action.RenewLock;
import io.bulwark.ha.Action.RestartPrimary;
import io.bulwark.ha.Action.Shutdown;
import io.bulwark.ha.Action.StartReplica;
import io.bulwark.ha.DecisionSpace.Combo;
import io.bulwark.ha.DecisionSpace.Dcs;
import io.bulwark.ha.DecisionSpace.Init;
import io.bulwark.ha.DecisionSpace.LeaderKey;
import io.bulwark.ha.DecisionSpace.Lease;
import io.bulwark.ha.DecisionSpace.Peer;
import io.bulwark.ha.DecisionSpace.Pg;
import io.bulwark.dcs.Member;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DESIGN §5 safety invariants checked over every combination in {@link DecisionSpace} (one shared pass, a few
 * seconds). Each check also asserts that the space contains situations it constrains, and where it matters the
 * actions it restricts, so no check holds vacuously.
 */
class HaDeciderInvariantsTest {
    private static final Set<Peer> BETTER_PEERS = Set.of(Peer.AHEAD, Peer.PRIMARY, Peer.EQUAL_HIGHER_PRIORITY);

    /** Invariants 1/2: acting as leader needs the DCS to name us now. */
    private static final Invariant ONLY_HOLDER_ACTS_AS_LEADER = new Invariant(c -> true,
            (c, d) -> !(d.action() instanceof Promote || d.action() instanceof RenewLock
                    || d.action() instanceof RestartPrimary) || c.dcs() == Dcs.OK && c.leader() == LeaderKey.ME);

    /** Invariant 2: no DCS and no lease left: stop writing at once. */
    private static final Invariant CUT_OFF_PRIMARY_DEMOTES = new Invariant(
            c -> c.dcs() == Dcs.ERROR && c.pg() == Pg.PRIMARY && c.lease() != Lease.VALID && !c.shuttingDown(),
            (c, d) -> d.action() instanceof Demote demote && demote.immediate());

    /** Invariant 2, whole: a running primary keeps writing only under a key it may still hold. */
    private static final Invariant PRIMARY_WRITES_ONLY_UNDER_A_KEY = new Invariant(
            c -> c.pg() == Pg.PRIMARY && !c.shuttingDown(), (c, d) -> switch (d.action()) {
                case Demote ignored -> true;
                case AcquireLock ignored -> c.dcs() == Dcs.OK && c.leader() == LeaderKey.NONE;
                case RenewLock ignored -> c.dcs() == Dcs.OK && c.leader() == LeaderKey.ME
                        && c.lease() != Lease.EXPIRED;
                case NoAction ignored -> c.dcs() == Dcs.ERROR && c.lease() == Lease.VALID;
                default -> false;
            });

    /** Invariant 5, the nofailover tag and the stale-node guard. */
    private static final Invariant NO_RACE_WHEN_NOT_ALLOWED_OR_LAGGING = new Invariant(c -> true,
            (c, d) -> !(d.action() instanceof AcquireLock) || !c.nofailover() && !c.laggingReplica());

    /** Reference §2.3: race only for a free key, with a running server, when no better peer answered. */
    private static final Invariant RACE_ONLY_WHEN_HEALTHIEST = new Invariant(c -> true,
            (c, d) -> !(d.action() instanceof AcquireLock) || c.dcs() == Dcs.OK && c.leader() == LeaderKey.NONE
                    && (c.pg() == Pg.PRIMARY || c.pg() == Pg.REPLICA || c.pg() == Pg.REPLICA_ELSEWHERE)
                    && !BETTER_PEERS.contains(c.peer()));

    /** Invariant 4: a former primary is rewound or re-cloned before it streams from another leader. */
    private static final Invariant FORMER_PRIMARY_REJOINS = new Invariant(
            c -> c.pg() == Pg.STOPPED_PRIMARY || c.pg() == Pg.CRASHED_PRIMARY, (c, d) -> switch (d.action()) {
                case StartReplica start -> start.upstream() == null;
                case Follow ignored -> false;
                default -> true;
            });

    private static final Invariant NEVER_OUR_OWN_UPSTREAM = new Invariant(c -> true, (c, d) -> {
        Member target = switch (d.action()) {
            case CloneFrom clone -> clone.source();
            case StartReplica start -> start.upstream();
            case Rejoin rejoin -> rejoin.leader();
            case Follow follow -> follow.leader();
            default -> null;
        };
        return target == null || !target.name().equals("node2");
    });

    private static final Invariant BOOTSTRAP_ONLY_A_NEW_CLUSTER = new Invariant(c -> true,
            (c, d) -> !(d.action() instanceof Bootstrap) || c.pg() == Pg.EMPTY && c.dcs() == Dcs.OK
                    && c.leader() == LeaderKey.NONE && c.init() == Init.NO_KEY && !c.nofailover());

    private static final Invariant SHUTDOWN_WINS = new Invariant(Combo::shuttingDown,
            (c, d) -> d.action() instanceof Shutdown shutdown
                    && (!(c.dcs() == Dcs.OK && c.leader() == LeaderKey.ME) || shutdown.releaseLock()));

    private static final Invariant TOTAL_WITH_A_SENTENCE = new Invariant(c -> true,
            (c, d) -> d.action() != null && d.reason() != null && !d.reason().isBlank());

    private static final List<Invariant> ALL = List.of(ONLY_HOLDER_ACTS_AS_LEADER, CUT_OFF_PRIMARY_DEMOTES,
            PRIMARY_WRITES_ONLY_UNDER_A_KEY, NO_RACE_WHEN_NOT_ALLOWED_OR_LAGGING, RACE_ONLY_WHEN_HEALTHIEST,
            FORMER_PRIMARY_REJOINS, NEVER_OUR_OWN_UPSTREAM, BOOTSTRAP_ONLY_A_NEW_CLUSTER, SHUTDOWN_WINS,
            TOTAL_WITH_A_SENTENCE);

    @BeforeAll
    static void decideEveryCombination() {
        DecisionSpace.forEach(c -> {
            Decision d = null;
            RuntimeException failure = null;
            try {
                d = c.situation().decide();
            } catch (RuntimeException e) {
                failure = e;
            }
            for (Invariant invariant : ALL) {
                invariant.record(c, d, failure);
            }
        });
    }

    @Test
    void onlyTheHolderOfTheLeaderKeyPromotesRenewsOrRestartsAsPrimary() {
        assertThat(ONLY_HOLDER_ACTS_AS_LEADER.assertHeld()).containsKeys("Promote", "RenewLock", "RestartPrimary");
    }

    @Test
    void runningPrimaryCutOffFromTheDcsPastItsDeadlineAlwaysDemotesImmediately() {
        CUT_OFF_PRIMARY_DEMOTES.assertHeld();
    }

    @Test
    void runningPrimaryKeepsWritingOnlyUnderAKeyItMayStillHold() {
        assertThat(PRIMARY_WRITES_ONLY_UNDER_A_KEY.assertHeld()).containsKeys("RenewLock", "NoAction", "Demote");
    }

    @Test
    void memberThatMayNotPromoteOrIsBehindThePublishedPositionNeverRacesForTheLock() {
        assertThat(NO_RACE_WHEN_NOT_ALLOWED_OR_LAGGING.assertHeld()).containsKey("AcquireLock");
    }

    @Test
    void memberRacesOnlyForAFreeKeyAndOnlyWhenNoBetterPeerAnswered() {
        RACE_ONLY_WHEN_HEALTHIEST.assertHeld();
    }

    @Test
    void formerPrimaryNeverStreamsFromAnotherLeaderWithoutARewindOrClone() {
        assertThat(FORMER_PRIMARY_REJOINS.assertHeld()).containsKey("Rejoin");
    }

    @Test
    void noActionNamesOurselvesAsUpstreamOrCloneSource() {
        assertThat(NEVER_OUR_OWN_UPSTREAM.assertHeld()).containsKeys("CloneFrom", "StartReplica", "Follow");
    }

    @Test
    void onlyAMemberWithAnEmptyDataDirInAnUninitializedLeaderlessClusterBootstraps() {
        assertThat(BOOTSTRAP_ONLY_A_NEW_CLUSTER.assertHeld()).containsKey("Bootstrap");
    }

    @Test
    void shutdownAlwaysWinsAndReleasesTheKeyWeHold() {
        SHUTDOWN_WINS.assertHeld();
    }

    @Test
    void decideIsTotalAndAlwaysEndsInASentence() {
        TOTAL_WITH_A_SENTENCE.assertHeld();
    }
}
