package io.bulwark.postgres;

import java.util.List;

/**
 * A PostgreSQL operation failed. The message names the operation, the command line that failed (never with
 * secrets: passwords travel only through pgpass files) and the tail of its output or of the server log.
 */
public final class PostgresException extends Exception {

    public PostgresException(String message) {
        super(message);
    }

    public PostgresException(String message, Throwable cause) {
        super(message, cause);
    }

    static PostgresException commandFailed(String what, CommandRunner.Result result, int tailLines) {
        String exit = result.timedOut() ? "timed out" : "exited with " + result.exitCode();
        return new PostgresException(what + ": `" + CommandRunner.describe(result.argv()) + "` " + exit
                + tailSuffix(result.tail(tailLines)));
    }

    static String tailSuffix(List<String> tail) {
        return tail.isEmpty() ? "" : "; last output:\n  " + String.join("\n  ", tail);
    }
}
