package io.bulwark.postgres;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ServerLogTest {

    @Test
    void aLogOverTheLimitIsCopiedAsideAndTheWriterGoesOnAtTheStart(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("postmaster.log");
        try (OutputStream server = new FileOutputStream(log.toFile(), true)) { // pg_ctl -l appends, like this
            server.write("a".repeat(100).getBytes(StandardCharsets.US_ASCII));
            assertThat(ServerLog.rotateIfOver(log, 100)).as("at the limit: kept").isFalse();
            server.write("b\n".getBytes(StandardCharsets.US_ASCII));

            assertThat(ServerLog.rotateIfOver(log, 100)).isTrue();
            server.write("after\n".getBytes(StandardCharsets.US_ASCII));
        }
        assertThat(Files.readString(dir.resolve("postmaster.log.1"))).isEqualTo("a".repeat(100) + "b\n");
        assertThat(Files.readString(log)).as("the open descriptor writes at the new end, no hole").isEqualTo("after\n");
    }

    @Test
    void aSymlinkOrMissingFileIsLeftAlone(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("elsewhere");
        Files.writeString(target, "x".repeat(500));
        Path log = dir.resolve("postmaster.log");
        Files.createSymbolicLink(log, target);

        assertThat(ServerLog.rotateIfOver(log, 100)).isFalse();
        assertThat(ServerLog.rotateIfOver(dir.resolve("absent.log"), 100)).isFalse();
        assertThat(Files.size(target)).isEqualTo(500);
    }
}
