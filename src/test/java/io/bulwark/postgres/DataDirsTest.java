package io.bulwark.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Moved-aside data directories are capped: the newest N stay, nothing else beside the data directory is touched. */
class DataDirsTest {
    @TempDir
    Path tmp;

    @Test
    void onlyTheNewestMovedAsideDirectoriesAreKept() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        for (String stamp : List.of("20261201-100000", "20261205-090000", "20261205-090000-1", "20261205-090000-2",
                "20261203-120000")) {
            Path aside = Files.createDirectories(tmp.resolve("data.failed-" + stamp));
            Files.writeString(aside.resolve("PG_VERSION"), "15\n");
        }
        Path unrelated = Files.createDirectories(tmp.resolve("data.failed-by-hand"));
        Path otherCluster = Files.createDirectories(tmp.resolve("data2.failed-20261201-100000"));
        Path target = Files.createDirectories(tmp.resolve("precious"));
        Files.createSymbolicLink(tmp.resolve("data.failed-20261101-000000"), target);

        List<Path> removed = DataDirs.pruneAside(data, 2);

        assertThat(removed).extracting(p -> p.getFileName().toString()).containsExactly(
                "data.failed-20261201-100000", "data.failed-20261203-120000", "data.failed-20261205-090000");
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("data",
                    "data.failed-20261205-090000-1", "data.failed-20261205-090000-2", "data.failed-by-hand",
                    "data2.failed-20261201-100000", "precious", "data.failed-20261101-000000");
        }
        assertThat(unrelated).isDirectory();
        assertThat(otherCluster).isDirectory();
        assertThat(target).isDirectory();
    }

    @Test
    void moveAsideThenPruneKeepsTheOneJustMoved() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("pgdata"));
        Files.createDirectories(tmp.resolve("pgdata.failed-20200101-000000"));
        Path moved = DataDirs.moveAside(data, "20261205-171600");
        assertThat(DataDirs.pruneAside(data, 1)).extracting(p -> p.getFileName().toString())
                .containsExactly("pgdata.failed-20200101-000000");
        assertThat(moved).isDirectory();
    }
}
