package io.bulwark.ctl;

import java.io.PrintStream;

/**
 * patronictl's {@code watching}: run once, or with {@code -W} (every 2 s) / {@code -w SECONDS} repeatedly until
 * interrupted; {@code maxIterations} (a hidden option) bounds the runs for tests. The screen is cleared before
 * each run only when writing to a terminal, as click does.
 */
final class Watch {
    private Watch() {
    }

    /** @return false if any run returned false */
    static boolean repeat(PrintStream out, boolean everyTwo, Double seconds, Integer maxIterations, boolean clear,
                          Run body) throws InterruptedException {
        double interval = seconds != null ? seconds : everyTwo ? 2 : 0;
        if (interval < 0) {
            throw new CtlException("--watch: expected seconds >= 0, got " + seconds);
        }
        boolean terminal = clear && interval > 0 && out == System.out && System.console() != null;
        boolean ok = true;
        int runs = 0;
        do {
            long started = System.nanoTime();
            if (terminal) {
                out.print("\033[2J\033[1;1H");
            }
            ok &= body.run();
            runs++;
            if (interval <= 0 || maxIterations != null && runs >= maxIterations) {
                break;
            }
            long left = (long) (interval * 1e9) - (System.nanoTime() - started);
            if (left > 0) {
                Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
            }
        } while (true);
        return ok;
    }

    interface Run {
        boolean run();
    }
}
