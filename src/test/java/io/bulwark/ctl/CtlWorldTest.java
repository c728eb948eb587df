package io.bulwark.ctl;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** Tests that drive bulwarkctl against a fresh {@link CtlWorld} (fake REST members, in-memory DCS) each. */
abstract class CtlWorldTest {
    @TempDir
    Path dir;
    CtlWorld world;

    @BeforeEach
    void startWorld() throws Exception {
        world = new CtlWorld(dir);
    }

    @AfterEach
    void stopWorld() {
        world.close();
    }
}
