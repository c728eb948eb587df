package io.bulwark.ctl;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Hunks as Python's {@code difflib.unified_diff} prints them (expected output produced with CPython 3). */
class UnifiedDiffTest {
    @Test
    void matchesDifflib() {
        String a = "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\n";
        String b = "a\nB\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\nn\n";
        assertThat(String.join("\n", UnifiedDiff.diff(a, b))).isEqualTo("""
                --- \n+++ \n@@ -1,5 +1,5 @@
                 a
                -b
                +B
                 c
                 d
                 e
                @@ -11,3 +11,4 @@
                 k
                 l
                 m
                +n""");
        assertThat(UnifiedDiff.diff(a, a)).isEmpty();
        assertThat(UnifiedDiff.diff("", "x\n")).containsExactly("--- ", "+++ ", "@@ -0,0 +1 @@", "+x");
    }
}
