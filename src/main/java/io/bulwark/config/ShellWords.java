package io.bulwark.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command line into argv the way Patroni does it for callbacks and {@code pre_promote} (Python's
 * {@code shlex.split} in POSIX mode, no comments): whitespace separates words, single quotes keep everything
 * literally, double quotes keep everything but a backslash before {@code \ " $ `} or a newline, and a backslash
 * outside quotes takes the next character literally. No shell runs: {@code $HOME} or {@code *} stay as written.
 */
final class ShellWords {
    private ShellWords() {
    }

    /** The words of {@code line}; throws {@link IllegalArgumentException} naming an unclosed quote or escape. */
    static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                i++;
            } else if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("no closing single quote (opened at character " + (i + 1)
                            + ")");
                }
                word.append(line, i + 1, end);
                inWord = true;
                i = end + 1;
            } else if (c == '"') {
                i = doubleQuoted(line, i, word);
                inWord = true;
            } else if (c == '\\') {
                if (i + 1 >= line.length()) {
                    throw new IllegalArgumentException("ends with an unescaped backslash");
                }
                word.append(line.charAt(i + 1));
                inWord = true;
                i += 2;
            } else {
                word.append(c);
                inWord = true;
                i++;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    /** Appends the double-quoted text opening at {@code start}; returns the index after the closing quote. */
    private static int doubleQuoted(String line, int start, StringBuilder word) {
        int i = start + 1;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\' && i + 1 < line.length() && "\\\"$`\n".indexOf(line.charAt(i + 1)) >= 0) {
                word.append(line.charAt(i + 1));
                i += 2;
            } else {
                word.append(c);
                i++;
            }
        }
        throw new IllegalArgumentException("no closing double quote (opened at character " + (start + 1) + ")");
    }
}
