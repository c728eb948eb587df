package io.bulwark.ctl;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * patronictl's {@code invoke_editor}: write the text to a private temporary file, run {@code $EDITOR} (else
 * {@code editor}, else {@code vi} from PATH) on it with the terminal attached, and read it back.
 * {@code $EDITOR} may carry arguments ({@code code -w}); it is split on spaces, never given to a shell.
 */
final class Editor {
    private Editor() {
    }

    static String edit(Map<String, String> env, String text, String clusterName) {
        List<String> argv = new ArrayList<>(command(env));
        Path tmp = null;
        try {
            tmp = Files.createTempFile(clusterName.replace('/', '_') + "-config-", ".yaml",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, text);
            argv.add(tmp.toString());
            int rc = new ProcessBuilder(argv).inheritIO().start().waitFor();
            if (rc != 0) {
                throw new CtlException("Editor exited with return code " + rc);
            }
            return Files.readString(tmp);
        } catch (IOException e) {
            throw new CtlException("cannot run editor " + argv.getFirst() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CtlException("interrupted while waiting for the editor", e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a leftover temp file is harmless; the edit itself succeeded or already failed
                }
            }
        }
    }

    private static List<String> command(Map<String, String> env) {
        String editor = env.get("EDITOR");
        if (editor != null && !editor.isBlank()) {
            return Arrays.asList(editor.strip().split("\\s+"));
        }
        String path = env.getOrDefault("PATH", "/usr/bin:/bin");
        for (String name : List.of("editor", "vi")) {
            for (String dir : path.split(File.pathSeparator)) {
                if (Files.isExecutable(Path.of(dir, name))) {
                    return List.of(Path.of(dir, name).toString());
                }
            }
        }
        throw new CtlException("EDITOR environment variable is not set. editor or vi are not available");
    }
}
