package io.bulwark.ctl;

import io.bulwark.api.JsonText;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * patronictl's {@code print_output}: the same rows as a pretty table, tab-separated values, a JSON array or a YAML
 * list. For a member list ({@code listCluster}), pretty output drops the {@code Cluster} column (it is in the
 * title), tags are YAML text (block in pretty, flow in tsv/topology), and JSON/YAML omit empty cells.
 */
final class TableOutput {
    /** {@code topology} is a pretty table with the tree in the Member column. */
    enum Style { PRETTY, TOPOLOGY, TSV, JSON, YAML }

    private TableOutput() {
    }

    static Style style(OutputFormat f) {
        return switch (f) {
            case pretty -> Style.PRETTY;
            case tsv -> Style.TSV;
            case json -> Style.JSON;
            case yaml, yml -> Style.YAML;
        };
    }

    static void print(PrintStream out, List<String> columns, List<List<Object>> rows, Set<String> rightAligned,
                      Style style, String title) {
        boolean listCluster = !title.isEmpty() && !columns.isEmpty() && columns.get(0).equals("Cluster");
        if (style == Style.JSON || style == Style.YAML) {
            List<Map<String, Object>> elements = new ArrayList<>();
            for (List<Object> row : rows) {
                Map<String, Object> e = new LinkedHashMap<>();
                for (int c = 0; c < columns.size(); c++) {
                    if (title.isEmpty() || !str(row.get(c)).isEmpty()) {
                        e.put(columns.get(c), row.get(c));
                    }
                }
                elements.add(e);
            }
            out.println(style == Style.JSON ? JsonText.write(elements) : YamlText.block(elements));
            return;
        }
        List<String> cols = columns;
        List<List<String>> text = new ArrayList<>();
        int tagsAt = listCluster ? columns.indexOf("Tags") : -1;
        for (List<Object> row : rows) {
            List<String> cells = new ArrayList<>();
            for (int c = 0; c < row.size(); c++) {
                Object v = row.get(c);
                boolean tags = c == tagsAt && v instanceof Map<?, ?> m && !m.isEmpty();
                cells.add(tags ? (style == Style.PRETTY ? YamlText.block(v) : YamlText.flow(v)).strip() : str(v));
            }
            text.add(cells);
        }
        if (listCluster && style != Style.TSV) {
            cols = columns.subList(1, columns.size());
            text = text.stream().map(r -> r.subList(1, r.size())).toList();
        }
        if (style == Style.TSV) {
            out.println(String.join("\t", cols));
            text.forEach(r -> out.println(String.join("\t", r)));
            return;
        }
        boolean multiLine = text.stream().anyMatch(r -> r.stream().anyMatch(s -> s.contains("\n")));
        out.print(PrettyTable.render(title, cols, text, rightAligned, multiLine));
    }

    /** Python's {@code str()} for the cell values we produce. */
    static String str(Object v) {
        return switch (v) {
            case null -> "None";
            case Boolean b -> b ? "True" : "False";
            case Map<?, ?> m -> YamlText.flow(m);
            default -> v.toString();
        };
    }
}
