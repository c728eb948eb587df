package io.bulwark.ctl;

import io.bulwark.dcs.Cluster;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code show-config [CLUSTER]}: the {@code config} key as YAML, with every password masked. */
@Command(name = "show-config", mixinStandardHelpOptions = true, versionProvider = BulwarkCtl.Version.class,
        description = "Show cluster configuration")
final class ShowConfigCommand implements Callable<Integer> {
    @Parameters(paramLabel = "CLUSTER", arity = "0..1", description = "Cluster name (default: scope)")
    String cluster;

    private final BulwarkCtl root;

    ShowConfigCommand(BulwarkCtl root) {
        this.root = root;
    }

    @Override
    public Integer call() {
        Cluster c = root.readCluster(root.config().target(cluster));
        if (c.config() != null && !c.config().readable()) {
            throw new CtlException("The config key of the cluster holds no JSON object (the agents keep their last"
                    + " good configuration); write a whole new one with edit-config --replace FILE");
        }
        if (c.config() != null) {
            root.out.println(YamlText.block(c.config().masked()));
        }
        return 0;
    }
}
