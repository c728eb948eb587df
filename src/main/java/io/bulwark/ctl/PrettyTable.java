package io.bulwark.ctl;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Draws a table the way Python's {@code prettytable} does for patronictl: one space of padding, {@code +---+}
 * rules, a rule under the header, per-column alignment applied to the header too, multi-line cells, and a custom
 * title written over the start of the top rule ({@code + Cluster: batman (7277...) -+----}).
 */
final class PrettyTable {
    private PrettyTable() {
    }

    /**
     * @param title        text written into the top rule (may be empty)
     * @param rightAligned column names aligned right; all others left
     * @param ruleAfterEveryRow draw a rule after each row (patronictl does when any cell has several lines)
     */
    static String render(String title, List<String> columns, List<List<String>> rows, Set<String> rightAligned,
                         boolean ruleAfterEveryRow) {
        int n = columns.size();
        int[] width = new int[n];
        for (int c = 0; c < n; c++) {
            width[c] = columns.get(c).length();
        }
        for (List<String> row : rows) {
            for (int c = 0; c < n; c++) {
                for (String line : row.get(c).split("\n", -1)) {
                    width[c] = Math.max(width[c], line.length());
                }
            }
        }
        StringBuilder rule = new StringBuilder("+");
        for (int c = 0; c < n; c++) {
            rule.append("-".repeat(width[c] + 2)).append('+');
        }
        StringBuilder out = new StringBuilder();
        out.append(withTitle(rule.toString(), title)).append('\n');
        appendRow(out, columns, columns, width, rightAligned);
        out.append(rule).append('\n');
        for (int r = 0; r < rows.size(); r++) {
            appendRow(out, rows.get(r), columns, width, rightAligned);
            if (ruleAfterEveryRow || r == rows.size() - 1) {
                out.append(rule).append('\n');
            }
        }
        if (rows.isEmpty()) {
            out.append(rule).append('\n');
        }
        return out.toString();
    }

    private static String withTitle(String rule, String title) {
        if (title == null || title.isEmpty()) {
            return rule;
        }
        String header = title.length() > rule.length() - 2 ? title.substring(0, rule.length() - 2) : title;
        return rule.charAt(0) + header + rule.substring(1 + header.length());
    }

    private static void appendRow(StringBuilder out, List<String> cells, List<String> columns, int[] width,
                                  Set<String> rightAligned) {
        List<String[]> lines = new ArrayList<>();
        int height = 1;
        for (String cell : cells) {
            String[] split = cell.split("\n", -1);
            lines.add(split);
            height = Math.max(height, split.length);
        }
        for (int h = 0; h < height; h++) {
            out.append('|');
            for (int c = 0; c < cells.size(); c++) {
                String text = h < lines.get(c).length ? lines.get(c)[h] : "";
                String pad = " ".repeat(width[c] - text.length());
                boolean right = rightAligned.contains(columns.get(c));
                out.append(' ').append(right ? pad + text : text + pad).append(" |");
            }
            out.append('\n');
        }
    }
}
