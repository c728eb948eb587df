package io.bulwark.postgres;

import io.bulwark.config.ConfigProblem;
import io.bulwark.config.PostgresqlConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What must hold on this host before the agent may start PostgreSQL, checked without running anything: every
 * program the agent runs can be found, and the data directory is one PostgreSQL will accept from this user.
 * Each is a problem that would otherwise surface later, inside the HA loop, as a failed start or bootstrap.
 *
 * <p>PostgreSQL refuses a data directory that is not owned by the user it runs as, and one whose mode is not
 * 0700 or 0750 ({@code checkDataDir} in its postmaster). A directory that does not exist yet must be creatable.
 */
public final class PostgresStartChecks {
    private static final Set<PosixFilePermission> ALLOWED = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_EXECUTE);

    private PostgresStartChecks() {
    }

    /**
     * @param usePgRewind the bootstrap's {@code use_pg_rewind}: pg_rewind is then needed too
     * @param uid         effective user id of the agent (PostgreSQL runs as the same user), or -1 if unknown
     */
    public static List<ConfigProblem> check(PostgresqlConfig cfg, boolean usePgRewind, long uid) {
        List<ConfigProblem> problems = new ArrayList<>();
        for (String tool : programs(cfg, usePgRewind)) {
            try {
                Binaries.locate(cfg.binDir(), tool);
            } catch (PostgresException e) {
                problems.add(new ConfigProblem("postgresql.bin_dir",
                        e.getMessage().replaceFirst("^postgresql\\.bin_dir: ", "")));
            }
        }
        String dataDirProblem = dataDirProblem(cfg.dataDir().toAbsolutePath(), uid);
        if (dataDirProblem != null) {
            problems.add(new ConfigProblem("postgresql.data_dir", dataDirProblem));
        }
        return problems;
    }

    private static List<String> programs(PostgresqlConfig cfg, boolean usePgRewind) {
        List<String> tools = new ArrayList<>(List.of("postgres", "pg_ctl", "initdb", "pg_controldata"));
        if (cfg.createReplicaMethods().contains("basebackup")) {
            tools.add("pg_basebackup");
        }
        if (usePgRewind) {
            tools.add("pg_rewind");
        }
        return tools;
    }

    private static String dataDirProblem(Path dir, long uid) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS) && !Files.exists(dir)) {
            Path parent = dir.getParent();
            while (parent != null && !Files.exists(parent)) {
                parent = parent.getParent();
            }
            return parent == null || Files.isDirectory(parent) && Files.isWritable(parent) ? null
                    : dir + " does not exist and cannot be created: " + parent + " is not a writable directory";
        }
        if (!Files.isDirectory(dir)) {
            return null; // the configuration reader reports this one
        }
        try {
            Object owner = Files.getAttribute(dir, "unix:uid");
            if (uid >= 0 && owner instanceof Integer o && o != uid) {
                return dir + " is owned by " + Files.getOwner(dir).getName() + " (uid " + o + ") but the agent runs"
                        + " as uid " + uid + "; PostgreSQL only uses a data directory owned by its own user (chown -R)";
            }
            if (!Files.isWritable(dir)) {
                return dir + " is not writable by the agent's user";
            }
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(dir);
            if (Files.exists(dir.resolve("PG_VERSION")) && !ALLOWED.containsAll(mode)) {
                return dir + " has mode " + octal(mode) + "; PostgreSQL refuses to start unless it is 0700 or 0750"
                        + " (chmod 0700 " + dir + ")";
            }
        } catch (IOException | UnsupportedOperationException e) {
            return "cannot inspect " + dir + ": " + e.getMessage();
        }
        return null;
    }

    private static String octal(Set<PosixFilePermission> mode) {
        int bits = 0;
        for (PosixFilePermission p : mode) {
            bits |= 1 << (8 - p.ordinal());
        }
        return String.format("0%o", bits);
    }
}
