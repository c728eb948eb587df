package io.bulwark.config;

import java.util.List;

/**
 * {@code bootstrap}: used only by the member that initialises a new cluster.
 *
 * @param dcs    {@code bootstrap.dcs}: the initial dynamic configuration, written to the {@code config} key
 * @param initdb {@code bootstrap.initdb} as initdb options: {@code "data-checksums"} becomes
 *               {@code --data-checksums}, {@code {encoding: UTF8}} becomes {@code --encoding=UTF8}
 * @param pgHba  {@code bootstrap.pg_hba} lines, or empty
 * @param method a custom bootstrap method ({@code bootstrap.method} other than initdb, e.g. a point-in-time
 *               restore from a backup; reference §4.7), or {@code null} for initdb
 * @param recoveryConf the method's {@code recovery_conf}: recovery settings written for the first start after the
 *               method's command (restore_command, recovery_target_time, ...), or empty
 */
public record BootstrapConfig(DynamicConfig dcs, List<String> initdb, List<String> pgHba, ExternalMethod method,
                              java.util.Map<String, String> recoveryConf) {
    /** The flag of a custom bootstrap method that keeps the recovery settings and signal its command left. */
    public static final String KEEP_EXISTING_RECOVERY_CONF = "keep_existing_recovery_conf";

    public BootstrapConfig {
        initdb = List.copyOf(initdb);
        pgHba = List.copyOf(pgHba);
        recoveryConf = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(recoveryConf));
    }

    public BootstrapConfig(DynamicConfig dcs, List<String> initdb, List<String> pgHba) {
        this(dcs, initdb, pgHba, null, java.util.Map.of());
    }

    public static BootstrapConfig defaults() {
        return new BootstrapConfig(DynamicConfig.defaults(), List.of(), List.of());
    }

    /** initdb options as argv entries, e.g. {@code --encoding=UTF8}, {@code --data-checksums}. */
    public List<String> initdbArgs() {
        return initdb.stream().map(o -> o.startsWith("--") ? o : "--" + o).toList();
    }

}
