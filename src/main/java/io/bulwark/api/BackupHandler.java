package io.bulwark.api;

import io.bulwark.config.PgBackRest;
import io.bulwark.ha.NodeStatus;
import io.bulwark.postgres.Backups;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * {@code POST /backup} and {@code GET /backup} (Bulwark's; Patroni has neither): a pgBackRest backup of this member,
 * which must be the primary, run in the background ({@link Backups}); {@code bulwarkctl backup} posts to the leader and
 * polls the status.
 *
 * <p>{@code POST /backup} with an optional body {@code {"type": "full"|"diff"|"incr"}} (default full): 202 with the
 * status when started; 400 for a bad type, naming it; 409 when this member is not the primary or a backup is running;
 * 412 when the member has no {@code bulwark.pgbackrest} section. {@code GET /backup}: 200 with the status of the
 * last backup this agent ran ({@code state}: none, running, succeeded, failed) and {@code configured}.
 */
final class BackupHandler {
    private final Backups backups;
    private final Supplier<NodeStatus> status;

    BackupHandler(Backups backups, Supplier<NodeStatus> status) {
        this.backups = backups;
        this.status = status;
    }

    Reply post(Map<String, Object> body) {
        Object type = body == null ? null : body.get("type");
        if (type != null && !(type instanceof String t && PgBackRest.BACKUP_TYPES.contains(t))) {
            return Reply.message(400, "type: expected one of "
                    + String.join(", ", new TreeSet<>(PgBackRest.BACKUP_TYPES)) + ", got " + JsonText.write(type));
        }
        if (backups == null || !backups.configured()) {
            return Reply.message(412, "no bulwark.pgbackrest section in this member's configuration: it has no"
                    + " backup repository");
        }
        NodeStatus s = status.get();
        String role = s == null ? "unknown" : s.role();
        if (!"primary".equals(role)) {
            return Reply.message(409, "not the primary (role: " + role + "): a backup is taken on the leader");
        }
        return switch (backups.start(type == null ? "full" : (String) type)) {
            case STARTED -> Reply.json(202, json(backups.status()));
            case ALREADY_RUNNING -> Reply.message(409, "a " + backups.status().type() + " backup is running already,"
                    + " started " + backups.status().started());
            case NOT_CONFIGURED -> Reply.message(412, "no bulwark.pgbackrest section in this member's configuration");
        };
    }

    Reply get() {
        return Reply.json(200, json(backups == null ? Backups.Status.NONE : backups.status()));
    }

    private Map<String, Object> json(Backups.Status st) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("configured", backups != null && backups.configured());
        out.put("state", st.state());
        if (st.type() != null) {
            out.put("type", st.type());
        }
        if (st.started() != null) {
            out.put("started", st.started().toString());
        }
        if (st.finished() != null) {
            out.put("finished", st.finished().toString());
        }
        if (st.exitCode() != null) {
            out.put("exit_code", st.exitCode());
        }
        if (!st.output().isEmpty()) {
            out.put("output", st.output());
        }
        return out;
    }
}
