package io.bulwark.ctl;

import java.util.ArrayList;
import java.util.List;

/**
 * A unified diff of two texts, line by line with three lines of context, in the shape Python's
 * {@code difflib.unified_diff} prints for patronictl's edit-config ({@code --- }, {@code +++ }, then
 * {@code @@ -a,b +c,d @@} hunks). Uses a longest-common-subsequence alignment; fine for config-sized inputs.
 */
final class UnifiedDiff {
    private static final int CONTEXT = 3;

    private record Op(char kind, String line, int oldLine, int newLine) {
    }

    private UnifiedDiff() {
    }

    static List<String> diff(String before, String after) {
        String[] a = lines(before);
        String[] b = lines(after);
        List<Op> ops = align(a, b);
        List<String> out = new ArrayList<>();
        if (ops.stream().allMatch(o -> o.kind() == ' ')) {
            return out;
        }
        out.add("--- ");
        out.add("+++ ");
        int i = 0;
        while (i < ops.size()) {
            int firstChange = i;
            while (firstChange < ops.size() && ops.get(firstChange).kind() == ' ') {
                firstChange++;
            }
            if (firstChange == ops.size()) {
                break;
            }
            int start = Math.max(i, firstChange - CONTEXT);
            int end = firstChange;
            while (true) {
                while (end < ops.size() && ops.get(end).kind() != ' ') {
                    end++;
                }
                int nextChange = end;
                while (nextChange < ops.size() && ops.get(nextChange).kind() == ' ') {
                    nextChange++;
                }
                if (nextChange < ops.size() && nextChange - end <= 2 * CONTEXT) {
                    end = nextChange;
                    continue;
                }
                end = Math.min(ops.size(), end + CONTEXT);
                break;
            }
            List<Op> hunk = ops.subList(start, end);
            int oldCount = (int) hunk.stream().filter(o -> o.kind() != '+').count();
            int newCount = (int) hunk.stream().filter(o -> o.kind() != '-').count();
            int oldStart = hunk.stream().filter(o -> o.kind() != '+').mapToInt(Op::oldLine).findFirst()
                    .orElse(hunk.getFirst().oldLine());
            int newStart = hunk.stream().filter(o -> o.kind() != '-').mapToInt(Op::newLine).findFirst()
                    .orElse(hunk.getFirst().newLine());
            out.add("@@ -" + range(oldStart, oldCount) + " +" + range(newStart, newCount) + " @@");
            hunk.forEach(o -> out.add(o.kind() + o.line()));
            i = end;
        }
        return out;
    }

    /** difflib's {@code _format_range_unified}: 1-based start, ",len" unless len is 1, "start-1,0" when empty. */
    private static String range(int start, int length) {
        if (length == 1) {
            return String.valueOf(start + 1);
        }
        return (length == 0 ? start : start + 1) + "," + length;
    }

    private static String[] lines(String s) {
        String t = s.replaceAll("\n+$", "");
        return t.isEmpty() ? new String[0] : t.split("\n", -1);
    }

    /** LCS alignment; within each changed run, deletions come before insertions (as difflib prints them). */
    private static List<Op> align(String[] a, String[] b) {
        int[][] lcs = new int[a.length + 1][b.length + 1];
        for (int x = a.length - 1; x >= 0; x--) {
            for (int y = b.length - 1; y >= 0; y--) {
                lcs[x][y] = a[x].equals(b[y]) ? lcs[x + 1][y + 1] + 1 : Math.max(lcs[x + 1][y], lcs[x][y + 1]);
            }
        }
        List<Op> ops = new ArrayList<>();
        List<Op> deletes = new ArrayList<>();
        List<Op> inserts = new ArrayList<>();
        int x = 0;
        int y = 0;
        while (x < a.length || y < b.length) {
            if (x < a.length && y < b.length && a[x].equals(b[y])) {
                ops.addAll(deletes);
                ops.addAll(inserts);
                deletes.clear();
                inserts.clear();
                ops.add(new Op(' ', a[x], x++, y++));
            } else if (y == b.length || x < a.length && lcs[x + 1][y] >= lcs[x][y + 1]) {
                deletes.add(new Op('-', a[x], x++, y));
            } else {
                inserts.add(new Op('+', b[y], x, y++));
            }
        }
        ops.addAll(deletes);
        ops.addAll(inserts);
        return ops;
    }
}
