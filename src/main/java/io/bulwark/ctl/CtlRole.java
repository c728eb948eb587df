package io.bulwark.ctl;

import picocli.CommandLine;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/** patronictl's {@code -r/--role} values ({@code CtlPostgresqlRole}); the label is what users type. */
enum CtlRole {
    LEADER("leader"), PRIMARY("primary"), STANDBY_LEADER("standby-leader"), REPLICA("replica"),
    STANDBY("standby"), ANY("any");

    final String label;

    CtlRole(String label) {
        this.label = label;
    }

    static CtlRole parse(String value) {
        for (CtlRole r : values()) {
            if (r.label.equals(value)) {
                return r;
            }
        }
        // patronictl 3.x and Patroni's own docs still say "master"
        if ("master".equals(value)) {
            return PRIMARY;
        }
        throw new CommandLine.TypeConversionException("expected one of " + Names.LIST + ", got '" + value + "'");
    }

    @Override
    public String toString() {
        return label;
    }

    /** For picocli's help and shell completion. */
    static final class Names implements Iterable<String> {
        static final List<String> LIST = Arrays.stream(values()).map(r -> r.label).toList();

        @Override
        public Iterator<String> iterator() {
            return LIST.iterator();
        }
    }
}
