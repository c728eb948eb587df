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
        try (InputStream in = Files.newInputStream(dataDir.resolve("global/pg_control"))) {
            byte[] head = in.readNBytes(20);
            if (head.length < 20) {
                return null;
            }
            int state = ByteBuffer.wrap(head).order(ByteOrder.nativeOrder()).getInt(16);
            return state >= 0 && state < STATES.length ? STATES[state] : null;
        } catch (IOException e) {
            return null;
        }
    }
}
