package io.bulwark;

import io.bulwark.postgres.RunningUser;

import io.bulwark.config.ConfigLoader;
import io.bulwark.config.ConfigProblem;
import io.bulwark.config.ConfigResult;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The agent's command line: {@code bulwark CONFIG.yml}, {@code bulwark --validate-config CONFIG.yml},
 * {@code bulwark --version}. Exit codes: 0 ok, 1 invalid configuration or start refused, 2 bad usage.
 * {@code --validate-config} loads the file and runs the same {@link StartChecks} as a start, and starts nothing.
 */
public final class Main {
    static final String VERSION = io.bulwark.api.Versions.BULWARK;
    private static final String USAGE = "usage: bulwark CONFIG.yml | bulwark --validate-config CONFIG.yml | bulwark --version";

    private Main() {
    }

    public static void main(String[] args) {
        // exit explicitly: library threads (gRPC, Netty) must not keep a stopped agent alive
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 1 && "--version".equals(args[0])) {
            out.println("bulwark " + VERSION + " (Patroni protocol " + io.bulwark.api.Versions.PATRONI_PROTOCOL + ")");
            return 0;
        }
        if (args.length == 2 && "--validate-config".equals(args[0])) {
            ConfigResult result = ConfigLoader.load(Path.of(args[1]), System.getenv());
            print(result, err);
            if (!result.ok()) {
                return 1;
            }
            List<ConfigProblem> hostProblems = StartChecks.run(result.config(), RunningUser.uid());
            hostProblems.forEach(p -> err.println("error: " + p));
            if (!hostProblems.isEmpty()) {
                err.println("error: " + args[1] + " is valid, but the agent would not start on this host: "
                        + hostProblems.size() + " problem(s)");
                return 1;
            }
            out.println(args[1] + ": configuration is valid and the agent's start checks pass on this host");
            return 0;
        }
        if (args.length != 1 || args[0].startsWith("-")) {
            err.println(args.length == 0 ? USAGE : "error: unexpected arguments; " + USAGE);
            return 2;
        }
        ConfigResult result = ConfigLoader.load(Path.of(args[0]), System.getenv());
        print(result, err);
        if (!result.ok()) {
            err.println("error: " + args[0] + " has " + result.errors().size()
                    + " problem(s); nothing was started");
            return 1;
        }
        List<ConfigProblem> hostProblems = StartChecks.run(result.config(), RunningUser.uid());
        if (!hostProblems.isEmpty()) {
            hostProblems.forEach(p -> err.println("error: " + p));
            err.println("error: " + hostProblems.size() + " start check(s) failed; nothing was started");
            return 1;
        }
        return Agent.run(result.config(), Path.of(args[0]), err);
    }

    private static void print(ConfigResult result, PrintStream err) {
        for (ConfigProblem w : result.warnings()) {
            err.println("warning: " + w);
        }
        for (ConfigProblem e : result.errors()) {
            err.println("error: " + e);
        }
    }
}
