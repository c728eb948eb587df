package io.bulwark.config;

import java.util.List;

/**
 * {@code bootstrap}: used only by the member that initialises a new cluster.
 *
 * @param dcs    {@code bootstrap.dcs}: the initial dynamic configuration, written to the {@code config} key
 * @param initdb {@code bootstrap.initdb} as initdb options: {@code "data-checksums"} becomes
 *               {@code --data-checksums}, {@code {encoding: UTF8}} becomes {@code --encoding=UTF8}
 * @param pgHba  {@code bootstrap.pg_hba} lines, or empty
 */
public record BootstrapConfig(DynamicConfig dcs, List<String> initdb, List<String> pgHba) {
    public BootstrapConfig {
        initdb = List.copyOf(initdb);
        pgHba = List.copyOf(pgHba);
    }

    public static BootstrapConfig defaults() {
        return new BootstrapConfig(DynamicConfig.defaults(), List.of(), List.of());
    }

    /** initdb options as argv entries, e.g. {@code --encoding=UTF8}, {@code --data-checksums}. */
    public List<String> initdbArgs() {
        return initdb.stream().map(o -> o.startsWith("--") ? o : "--" + o).toList();
    }

}
