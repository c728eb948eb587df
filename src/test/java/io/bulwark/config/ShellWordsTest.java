package io.bulwark.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Expected values are what Python's {@code shlex.split} returns for the same text. */
class ShellWordsTest {

    @Test
    void splitsOnWhitespaceAndKeepsQuotedTextTogether() {
        assertThat(ShellWords.split("  /usr/bin/cb.sh   --flag  ")).containsExactly("/usr/bin/cb.sh", "--flag");
        assertThat(ShellWords.split("cb 'a b' \"c d\" e\\ f")).containsExactly("cb", "a b", "c d", "e f");
        assertThat(ShellWords.split("cb 'x'\"y\"z")).containsExactly("cb", "xyz");
        assertThat(ShellWords.split("cb ''")).containsExactly("cb", "");
    }

    @Test
    void noShellExpansion() {
        assertThat(ShellWords.split("echo $HOME * ; rm")).containsExactly("echo", "$HOME", "*", ";", "rm");
    }

    @Test
    void backslashInDoubleQuotesEscapesOnlyShellSpecials() {
        assertThat(ShellWords.split("\"a\\\"b\\\\c\\nd\"")).containsExactly("a\"b\\c\\nd");
        assertThat(ShellWords.split("'a\\b'")).containsExactly("a\\b");
    }

    @Test
    void unclosedQuotesAreErrors() {
        assertThatThrownBy(() -> ShellWords.split("cb 'open")).hasMessage(
                "no closing single quote (opened at character 4)");
        assertThatThrownBy(() -> ShellWords.split("cb \"open")).hasMessage(
                "no closing double quote (opened at character 4)");
        assertThatThrownBy(() -> ShellWords.split("cb \\")).hasMessage("ends with an unescaped backslash");
    }
}
