package io.bulwark.ctl;

/** patronictl's {@code -f/--format} values; lower-case constants so picocli accepts and lists them as typed. */
enum OutputFormat {
    pretty, tsv, json, yaml, yml;

    boolean isYaml() {
        return this == yaml || this == yml;
    }
}
