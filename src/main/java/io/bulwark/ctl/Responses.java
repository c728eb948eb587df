package io.bulwark.ctl;

import java.io.PrintStream;

/** patronictl's {@code check_response} and the line printed when a member cannot be reached. */
final class Responses {
    private Responses() {
    }

    /** {@code Success: ACTION for member X} (unless silent), or {@code Failed: ..., status code=N, (body)}. */
    static boolean check(PrintStream out, MemberApi.Response r, String member, String action, boolean silentSuccess) {
        if (r.status() >= 400) {
            out.println("Failed: " + action + " for member " + member + ", status code=" + r.status() + ", ("
                    + r.body() + ")");
            return false;
        }
        if (!silentSuccess) {
            out.println("Success: " + action + " for member " + member);
        }
        return true;
    }

    /** Always false: the caller's overall result. */
    static boolean unreachable(PrintStream out, String member, String action, MemberApi.Unreachable e) {
        out.println("Failed: " + action + " for member " + member + ", (" + e.getMessage() + ")");
        return false;
    }
}
