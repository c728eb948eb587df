package io.bulwark.ha;

import io.bulwark.postgres.PostgresState;
import io.bulwark.postgres.PostgresState.DataDirState;

/**
 * Presets of what the probe reports about the local PostgreSQL. Every initialized preset carries
 * {@link Situation#SYSID} and timeline 1; the {@code with*} methods vary one field.
 */
final class PgStates {
    static final int PG15 = 150018;

    private PgStates() {
    }

    /** Running out of recovery, flushing at {@code writeLsn}. */
    static PostgresState primaryRunning(long writeLsn) {
        return new PostgresState(DataDirState.INITIALIZED, Situation.SYSID, "running", true, false, 1,
                writeLsn, 0, 0, null, null, PG15, "2025-01-01 00:00:00+00", "in production");
    }

    /** Running in recovery, received and replayed up to {@code lsn}, streaming from {@code upstreamMember}. */
    static PostgresState replicaStreaming(String upstreamMember, long lsn) {
        return new PostgresState(DataDirState.INITIALIZED, Situation.SYSID, "running", true, true, 1,
                0, lsn, lsn, "streaming", Members.hostPort(upstreamMember), PG15, "2025-01-01 00:00:00+00",
                "in archive recovery");
    }

    /** Stopped after a clean primary shutdown: pg_controldata says {@code shut down}. */
    static PostgresState stoppedCleanPrimary() {
        return stopped("stopped", "shut down");
    }

    /** Stopped replica: pg_controldata says {@code shut down in recovery}. */
    static PostgresState stoppedReplica() {
        return stopped("stopped", "shut down in recovery");
    }

    /** Crashed primary: not running, pg_controldata still says {@code in production}. */
    static PostgresState crashedPrimary() {
        return stopped("crashed", "in production");
    }

    /**
     * Started without waiting and not accepting connections yet; {@code asStandby}: with standby.signal (it
     * stays in recovery), else it is starting as a primary.
     */
    static PostgresState starting(boolean asStandby) {
        return new PostgresState(DataDirState.INITIALIZED, Situation.SYSID, "starting", false, asStandby, 0,
                0, 0, 0, null, null, 0, null, asStandby ? "in archive recovery" : "in crash recovery");
    }

    /** A running replica of {@code upstreamMember} whose primary_slot_name is empty (no slot there yet). */
    static PostgresState replicaWithoutSlot(String upstreamMember, long lsn) {
        PostgresState s = replicaStreaming(upstreamMember, lsn);
        return new PostgresState(s.dataDir(), s.systemId(), s.processState(), s.running(), s.inRecovery(),
                s.timeline(), s.writeLsn(), s.receiveLsn(), s.replayLsn(), s.replicationState(), s.upstream(),
                s.serverVersion(), s.postmasterStart(), s.controlState(), "");
    }

    /** Nothing in the data directory yet. */
    static PostgresState emptyDataDir() {
        return new PostgresState(DataDirState.EMPTY, null, "stopped", false, false, 0, 0, 0, 0, null, null, 0,
                null, null);
    }

    static PostgresState withSystemId(PostgresState s, String systemId) {
        return new PostgresState(s.dataDir(), systemId, s.processState(), s.running(), s.inRecovery(),
                s.timeline(), s.writeLsn(), s.receiveLsn(), s.replayLsn(), s.replicationState(), s.upstream(),
                s.serverVersion(), s.postmasterStart(), s.controlState());
    }

    static PostgresState withTimeline(PostgresState s, int timeline) {
        return new PostgresState(s.dataDir(), s.systemId(), s.processState(), s.running(), s.inRecovery(),
                timeline, s.writeLsn(), s.receiveLsn(), s.replayLsn(), s.replicationState(), s.upstream(),
                s.serverVersion(), s.postmasterStart(), s.controlState());
    }

    /** A replica whose {@code primary_conninfo} points at {@code hostPort} (possibly {@code null}). */
    static PostgresState withUpstream(PostgresState s, String hostPort) {
        return new PostgresState(s.dataDir(), s.systemId(), s.processState(), s.running(), s.inRecovery(),
                s.timeline(), s.writeLsn(), s.receiveLsn(), s.replayLsn(), s.replicationState(), hostPort,
                s.serverVersion(), s.postmasterStart(), s.controlState());
    }

    private static PostgresState stopped(String processState, String controlState) {
        return new PostgresState(DataDirState.INITIALIZED, Situation.SYSID, processState, false, false, 1,
                0, 0, 0, null, null, PG15, null, controlState);
    }
}
