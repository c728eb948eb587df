package io.bulwark.ctl;

import io.bulwark.dcs.Cluster;
import io.bulwark.dcs.Member;
import io.bulwark.dcs.MemberData;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * patronictl's {@code get_all_members}, {@code get_any_member}, {@code get_members} and
 * {@code confirm_members_action}: which members a command acts on, with its prompts and refusals.
 */
final class MemberSelection {
    private MemberSelection() {
    }

    /** Members with {@code role}: leader roles from the leader key, replica roles = every member but the leader. */
    static List<Member> withRole(Cluster cluster, CtlRole role) {
        List<Member> out = new ArrayList<>();
        String leaderName = cluster.leader() == null ? null : cluster.leader().name();
        switch (role) {
            case LEADER, PRIMARY, STANDBY_LEADER -> {
                if (leaderName != null && !leaderName.isEmpty()) {
                    Member leader = leaderMember(cluster);
                    boolean standby = "standby_leader".equals(leader.data().role());
                    if (role == CtlRole.LEADER || role == CtlRole.STANDBY_LEADER && !leader.data().isPrimaryRole()
                            || role == CtlRole.PRIMARY && !standby) {
                        out.add(leader);
                    }
                }
            }
            case REPLICA, STANDBY, ANY -> cluster.members().stream()
                    .filter(m -> role == CtlRole.ANY || !m.name().equals(leaderName)).forEach(out::add);
        }
        return out;
    }

    /** The leader's member key, or an empty member when the leader key names a member without one. */
    static Member leaderMember(Cluster cluster) {
        return cluster.leaderMember().orElseGet(() -> new Member(cluster.leader().name(), 0, 0,
                new MemberData(null, null, null, null, null, null, null, null, null, null, Map.of(), null, Map.of())));
    }

    /** {@code get_any_member}: by name (any role) or the first with {@code role} (default leader). */
    static Member any(Cluster cluster, CtlRole role, String member) {
        CtlRole r = member != null ? CtlRole.ANY : role == null ? CtlRole.LEADER : role;
        return withRole(cluster, r).stream().filter(m -> member == null || m.name().equals(member))
                .findFirst().orElse(null);
    }

    /** {@code get_all_members_leader_first}: members with an api_url, the leader first. */
    static List<Member> leaderFirst(Cluster cluster) {
        List<Member> out = new ArrayList<>();
        Member leader = cluster.leaderMember().filter(m -> MemberApi.baseUrl(m) != null).orElse(null);
        if (leader != null) {
            out.add(leader);
        }
        cluster.members().stream().filter(m -> MemberApi.baseUrl(m) != null && m != leader).forEach(out::add);
        return out;
    }

    /**
     * {@code get_members}: print the cluster (unless forced without a role filter), narrow {@code names} to
     * {@code role}, ask which member when none is given (reinitialize) and, if {@code confirm}, ask
     * "Are you sure you want to ACTION members ...?".
     */
    static List<Member> select(BulwarkCtl root, Cluster cluster, String clusterName, List<String> names,
                               CtlRole role, boolean force, String action, boolean confirm) {
        List<Member> members = withRole(cluster, role);
        Set<String> candidates = new LinkedHashSet<>();
        members.forEach(m -> candidates.add(m.name()));
        if (!force || role != null) {
            if ((names == null || names.isEmpty()) && candidates.isEmpty()) {
                throw new CtlException(clusterName + " cluster doesn't have any members");
            }
            MemberTable.print(root.out, cluster, clusterName, false, TableOutput.Style.PRETTY);
        }
        List<String> chosen = new ArrayList<>();
        if (names != null && !names.isEmpty()) {
            names.stream().filter(candidates::contains).distinct().forEach(chosen::add);
            if (chosen.isEmpty()) {
                throw new CtlException("No " + role + " among provided members");
            }
        } else if (!action.equals("reinitialize")) {
            chosen.addAll(candidates);
        }
        if (chosen.isEmpty() && !force) {
            chosen.add(root.prompter().prompt("Which member do you want to " + action + " ["
                    + String.join(", ", candidates) + "]?", ""));
        }
        for (String name : chosen) {
            if (!candidates.contains(name)) {
                throw new CtlException(name + " is not a member of cluster");
            }
        }
        List<Member> out = members.stream().filter(m -> chosen.contains(m.name())).toList();
        if (confirm) {
            confirm(root, out, force, action, null, false);
        }
        return out;
    }

    /** {@code confirm_members_action}; a "no" throws {@code Aborted ACTION}. */
    static void confirm(BulwarkCtl root, List<Member> members, boolean force, String action, String scheduledAt,
                        boolean pending) {
        if (force) {
            return;
        }
        String names = String.join(", ", members.stream().map(Member::name).toList());
        String question = scheduledAt == null ? "Are you sure you want to " + action + " members " + names + "?"
                : pending ? "The nodes needing a restart will be identified at the scheduled time, and might be"
                + " different from the ones showing pending restart right now. Is this fine?"
                : "Are you sure you want to schedule " + action + " of members " + names + " at " + scheduledAt + "?";
        if (!root.prompter().confirm(question)) {
            throw new CtlException("Aborted " + (scheduledAt == null ? "" : "scheduled ") + action);
        }
    }
}
