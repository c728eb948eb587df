package io.bulwark.ctl;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * click's {@code prompt} and {@code confirm} as patronictl uses them: the question on stdout, the answer one
 * line of stdin. {@code text [default]: } returns the default on an empty line; {@code text [y/N]: } accepts
 * y/yes/n/no. End of input (no TTY, a closed pipe) is never taken for consent: it throws {@link CtlException}
 * (exit 1) saying that {@code --force} skips confirmations.
 */
final class Prompter {
    private final BufferedReader in;
    private final PrintStream out;
    private final boolean console;

    /** @param console read passwords through {@link System#console()} (only when {@code in} is the real stdin) */
    Prompter(InputStream in, PrintStream out, boolean console) {
        this.in = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        this.out = out;
        this.console = console;
    }

    /** {@code text [y/N]: }; true only for y/yes. */
    boolean confirm(String text) {
        while (true) {
            String answer = ask(text + " [y/N]: ", text).strip().toLowerCase(Locale.ROOT);
            switch (answer) {
                case "y", "yes" -> {
                    return true;
                }
                case "", "n", "no" -> {
                    return false;
                }
                default -> out.println("Error: invalid input");
            }
        }
    }

    /** {@code text [default]: }, or {@code text: } when {@code defaultValue} is null (then an answer is required). */
    String prompt(String text, String defaultValue) {
        String question = text + (defaultValue == null ? "" : " [" + defaultValue + "]") + ": ";
        while (true) {
            String answer = ask(question, text);
            if (!answer.isEmpty()) {
                return answer;
            }
            if (defaultValue != null) {
                return defaultValue;
            }
        }
    }

    /** A password: read without echo from the console when there is one, else a plain line of stdin. */
    String password(String text) {
        Console c = console ? System.console() : null;
        if (c != null) {
            char[] pw = c.readPassword("%s: ", text);
            if (pw == null) {
                throw noAnswer(text);
            }
            return new String(pw);
        }
        return ask(text + ": ", text);
    }

    private String ask(String question, String text) {
        out.print(question);
        out.flush();
        String line;
        try {
            line = in.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (line == null) {
            out.println();
            throw noAnswer(text);
        }
        return line.strip();
    }

    private static CtlException noAnswer(String text) {
        return new CtlException("Aborted: no answer on standard input to \"" + text
                + "\" (use --force to skip confirmations)");
    }
}
