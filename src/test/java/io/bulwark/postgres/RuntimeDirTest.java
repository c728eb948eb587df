package io.bulwark.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the pgpass file and the fence's state live, and what an existing directory there must look like. */
class RuntimeDirTest {
    @TempDir
    Path dir;

    @Test
    void isCreatedPrivateBesideTheDataDirectoryByDefault() throws IOException {
        RuntimeDir runtime = RuntimeDir.forMember(dir.resolve("data"), "node1", null, null);
        Path created = runtime.ensure();
        assertThat(created.getParent()).isEqualTo(dir);
        assertThat(created.getFileName().toString()).startsWith(".bulwark-run-node1-");
        assertThat(Files.getPosixFilePermissions(created)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(runtime.pgpass().getParent()).isEqualTo(created);
        assertThat(runtime.fenceState().getParent()).isEqualTo(created);
    }

    @Test
    void goesUnderXdgRuntimeDirWhenThatIsSet() throws IOException {
        Path xdg = Files.createDirectories(dir.resolve("run-user"));
        RuntimeDir runtime = RuntimeDir.forMember(dir.resolve("data"), "node1", xdg.toString(), null);
        assertThat(runtime.ensure().getParent()).isEqualTo(xdg);
        assertThat(runtime.path().getFileName().toString()).startsWith("bulwark-node1-");
    }

    @Test
    void twoDataDirectoriesSideBySideWithTheSameMemberNameGetTwoDirectories() {
        assertThat(RuntimeDir.forMember(dir.resolve("a"), "node1", null, null).path())
                .isNotEqualTo(RuntimeDir.forMember(dir.resolve("b"), "node1", null, null).path());
    }

    @Test
    void anExistingDirectoryOpenToOthersIsRefused() throws IOException {
        RuntimeDir runtime = RuntimeDir.forMember(dir.resolve("data"), "node1", null, null);
        Files.createDirectory(runtime.path(), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-x---")));
        Files.setPosixFilePermissions(runtime.path(), PosixFilePermissions.fromString("rwxr-x---"));
        assertThatThrownBy(runtime::ensure).hasMessageContaining(runtime.path().toString())
                .hasMessageContaining("rwxr-x---").hasMessageContaining("0700");
    }

    @Test
    void aSymlinkInItsPlaceIsRefused() throws IOException {
        RuntimeDir runtime = RuntimeDir.forMember(dir.resolve("data"), "node1", null, null);
        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.createSymbolicLink(runtime.path(), elsewhere);
        assertThatThrownBy(runtime::ensure).hasMessageContaining("symbolic link");
    }

    @Test
    void aDirectoryOwnedBySomeoneElseIsRefused() throws IOException {
        RuntimeDir runtime = RuntimeDir.forMember(dir.resolve("data"), "node1", null, null);
        Files.createDirectory(runtime.path(), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        String other = Files.getAttribute(Path.of("/proc/self"), "unix:uid").equals(0) ? "nobody" : null;
        org.junit.jupiter.api.Assumptions.assumeTrue(other != null, "needs root to hand a directory to another user");
        Files.setOwner(runtime.path(), dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(other));
        assertThatThrownBy(runtime::ensure).hasMessageContaining("owned by nobody");
    }

    @Test
    void thePgpassFileIsWrittenIntoTheDirectoryWhichIsCreatedOnFirstUse() throws Exception {
        RuntimeDir runtime = RuntimeDir.forMember(dir.resolve("data"), "node1", null, null);
        new PgPass(runtime.pgpass(), java.util.List.of(new io.bulwark.config.Credentials("replicator", "s3cret")),
                runtime).write(new SecureFiles(null));
        assertThat(Files.getPosixFilePermissions(runtime.path())).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.getPosixFilePermissions(runtime.pgpass())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(runtime.pgpass())).isEqualTo("*:*:*:replicator:s3cret\n");
    }

    @Test
    void isHandedToThePostgresUserWhenTheAgentWritesFilesForAnotherUser() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.getAttribute(Path.of("/proc/self"), "unix:uid").equals(0),
                "needs root to hand a directory to another user");
        RuntimeDir runtime = RuntimeDir.forMember(dir.resolve("data"), "node1", null, "postgres");
        runtime.ensure();
        assertThat(Files.getOwner(runtime.path()).getName()).as("the WAL receiver reads pgpass as postgres")
                .isEqualTo("postgres");
        runtime.ensure(); // and is accepted as ours afterwards
    }
}
