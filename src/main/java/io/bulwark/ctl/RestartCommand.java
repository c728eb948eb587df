package io.bulwark.ctl;

import io.bulwark.dcs.Cluster;
import io.bulwark.dcs.Member;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code restart CLUSTER [MEMBER...]}: POST {@code /restart} to each selected member with patronictl's body
 * ({@code schedule}, {@code postgres_version}, {@code restart_pending}, {@code timeout}). Exit 1 if any member
 * refused or could not be reached.
 */
@Command(name = "restart", mixinStandardHelpOptions = true, versionProvider = BulwarkCtl.Version.class,
        description = "Restart cluster member")
final class RestartCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CLUSTER", description = "Cluster name")
    String cluster;

    @Parameters(index = "1..*", paramLabel = "MEMBER", arity = "0..*", description = "Members to restart")
    List<String> members;

    @Option(names = {"-r", "--role"}, paramLabel = "ROLE", defaultValue = "any",
            completionCandidates = CtlRole.Names.class,
            description = "Restart only members with this role: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    CtlRole role;

    @Option(names = "--any", description = "Restart a single member only")
    boolean any;

    @Option(names = "--scheduled", paramLabel = "TIMESTAMP",
            description = "Timestamp of a scheduled restart in unambiguous format (e.g. ISO 8601)")
    String scheduled;

    @Option(names = "--pg-version", paramLabel = "VERSION",
            description = "Restart if the PostgreSQL version is less than provided (e.g. 9.5.2)")
    String pgVersion;

    @Option(names = "--pending", description = "Restart if pending")
    boolean pending;

    @Option(names = "--timeout", paramLabel = "SECONDS",
            description = "Return error and fail over if necessary when restarting takes longer than this.")
    String timeout;

    @Option(names = "--force", description = "Do not ask for confirmation at any point")
    boolean force;

    private final BulwarkCtl root;

    RestartCommand(BulwarkCtl root) {
        this.root = root;
    }

    @Override
    public Integer call() {
        CtlTarget target = root.config().target(cluster);
        Cluster c = root.readCluster(target);
        List<Member> chosen = new ArrayList<>(MemberSelection.select(root, c, cluster, members, role, force,
                "restart", false));
        String when = scheduled;
        if (when == null && !force) {
            when = root.prompter().prompt("When should the restart take place (e.g. "
                    + ScheduledTime.nextHourExample() + ") ", "now");
        }
        OffsetDateTime scheduledAt = ScheduledTime.parse(when);
        Map<String, Object> body = new LinkedHashMap<>();
        if (pending) {
            body.put("restart_pending", true);
            if (scheduledAt == null) {
                chosen.removeIf(m -> !ClusterSettingsView.isTrue(m.data().extra().get("pending_restart")));
            }
        }
        if (any) {
            Collections.shuffle(chosen);
            chosen = new ArrayList<>(chosen.subList(0, Math.min(1, chosen.size())));
        }
        String scheduledText = scheduledAt == null ? null : ScheduledTime.isoformat(scheduledAt);
        MemberSelection.confirm(root, chosen, force, "restart", scheduledText, pending);
        String version = pgVersion;
        if (version == null && !force) {
            version = root.prompter().prompt("Restart if the PostgreSQL version is less than provided (e.g. 9.5.2) ",
                    "");
        }
        if (version != null && !version.isEmpty()) {
            if (!version.matches("\\d+\\.\\d+(\\.\\d+)?")) {
                throw new CtlException("Invalid PostgreSQL version format: X.Y or X.Y.Z is accepted: " + version);
            }
            body.put("postgres_version", version);
        }
        if (scheduledAt != null) {
            if (ClusterSettingsView.of(c).paused()) {
                throw new CtlException("Can't schedule restart in the paused state");
            }
            body.put("schedule", scheduledText);
        }
        if (timeout != null) {
            body.put("timeout", timeout);
        }
        boolean ok = true;
        for (Member m : chosen) {
            try {
                if (body.containsKey("schedule") && force && m.data().extra().get("scheduled_restart") != null) {
                    MemberApi.Response d = root.api().call(m, "DELETE", "restart", null);
                    ok &= Responses.check(root.out, d, m.name(), "flush scheduled restart", true);
                }
                MemberApi.Response r = root.api().call(m, "POST", "restart", body);
                switch (r.status()) {
                    case 200 -> root.out.println("Success: restart on member " + m.name());
                    case 202 -> root.out.println("Success: restart scheduled on member " + m.name());
                    case 409 -> {
                        root.out.println("Failed: another restart is already scheduled on member " + m.name());
                        ok = false;
                    }
                    default -> ok &= Responses.check(root.out, r, m.name(), "restart", false);
                }
            } catch (MemberApi.Unreachable e) {
                ok = Responses.unreachable(root.out, m.name(), "restart", e);
            }
        }
        return ok ? 0 : 1;
    }
}
