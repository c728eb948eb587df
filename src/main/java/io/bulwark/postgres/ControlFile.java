package io.bulwark.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the cluster state straight from {@code global/pg_control} (the first fields of ControlFileData: system
 * identifier, two version words, then the DBState enum) so that the HA loop can tell a stopped former primary
 * from a stopped replica every cycle without spawning pg_controldata. Native byte order, as the server writes
 * it; the words are the same in every PostgreSQL release since 9.x.
 */
final class ControlFile {
    private static final String[] STATES = {"starting up", "shut down", "shut down in recovery", "shutting down",
            "in crash recovery", "in archive recovery", "in production"};

    private ControlFile() {
    }

    /** pg_controldata's wording of "Database cluster state", or {@code null} when unreadable. */
    static String clusterState(Path dataDir) {
        ByteBuffer head = head(dataDir);
        if (head == null) {
            return null;
        }
        int state = head.getInt(16);
        return state >= 0 && state < STATES.length ? STATES[state] : null;
    }

    /**
     * "Latest checkpoint location" when the cluster state is "shut down" (a clean stop of a primary, whose
     * shutdown checkpoint is then the last WAL record), else 0. The field follows the state word and the
     * pg_time_t of the last update (offset 32 since PostgreSQL 11).
     */
    static long shutdownCheckpoint(Path dataDir) {
        ByteBuffer head = head(dataDir);
        return head != null && head.getInt(16) == 1 ? head.getLong(32) : 0;
    }

    /**
     * Where the WAL before a record starting at {@code recordStart} ends. Records follow one another without gaps
     * (their sizes are MAXALIGNed) except for page headers: a record that is the first on a page starts after the
     * 24-byte header (40 bytes on the first page of a segment; no record fits in 16 bytes, so +40 on an ordinary
     * page cannot happen). A standby that streamed everything before a shutdown checkpoint may stop exactly at the
     * page start: it has every commit, and must not look behind by the header (the stale-node guard compares).
     */
    static long dataEndBefore(long recordStart) {
        long inPage = recordStart % WAL_PAGE_BYTES;
        if (inPage == SHORT_PAGE_HEADER || inPage == LONG_PAGE_HEADER) {
            return recordStart - inPage;
        }
        return recordStart;
    }

    private static final long WAL_PAGE_BYTES = 8192;
    private static final long SHORT_PAGE_HEADER = 24;
    private static final long LONG_PAGE_HEADER = 40;

    private static ByteBuffer head(Path dataDir) {
        try (InputStream in = Files.newInputStream(dataDir.resolve("global/pg_control"))) {
            byte[] head = in.readNBytes(40);
            return head.length < 40 ? null : ByteBuffer.wrap(head).order(ByteOrder.nativeOrder());
        } catch (IOException e) {
            return null;
        }
    }
}
