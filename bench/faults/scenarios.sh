# The fault scenarios. Each runs on a fresh cluster (cluster_up) with node1 the primary and FaultProbe writing,
# injects its fault, and sets FAULT_END (epoch ms): heal time is counted from there until the cluster is healthy
# (cluster.sh: healthy), or until HEALED_AT if the scenario saw it healthy while the fault lasted. NOTE is printed
# with the result. The selftest scenario (not part of 'all') makes a split brain on purpose: it passes only if the
# checker reports both the split-brain window and the lost rows.
# shellcheck shell=bash

SCENARIOS=(kill9 sigstop-agent cut-etcd cut-replica etcd-stall etcd-member-lost switchovers wrong-order)
QUICK=(kill9 cut-etcd)

# etcd-member-lost needs three etcd members; all others one.
scenario_etcd_members() { if [ "$1" = etcd-member-lost ]; then echo "bw-n3 bw-e2 bw-e3"; else echo bw-n3; fi; }

# kill9: the primary's host crashes (cut off, everything on it SIGKILLed). After node2 has taken over and another
# ttl has passed, the host comes back (FAULT_END) and node1 must rejoin as a replica.
scenario_kill9() {
    crash_host node1
    wait_for 60 "node2 to take over" is_primary node2 || NOTE+=" no-takeover"
    pause "$NODE_TTL"
    FAULT_END=$(now_ms)
    restart_host node1
}

# sigstop-agent: the primary's agent JVM is frozen for 3×ttl (its fence must stop PostgreSQL at the leadership
# deadline), then resumed (FAULT_END).
scenario_sigstop-agent() {
    local pid; pid=$(agent_pid node1)
    kill -STOP "$pid"; STOPPED=$pid
    pause $((3 * NODE_TTL))
    kill -CONT "$pid"; STOPPED=""
    FAULT_END=$(now_ms)
}

# cut-etcd: the primary loses etcd and HAProxy (both on bw-n3) for 3×ttl; clients on bw-cl still reach it directly.
scenario_cut-etcd() {
    cut bw-n1 bw-n3
    pause $((3 * NODE_TTL))
    heal bw-n1
    FAULT_END=$(now_ms)
}

# cut-replica: the primary and the replica cannot reach each other for 3×ttl; both still reach etcd.
scenario_cut-replica() {
    cut bw-n1 bw-n2
    pause $((3 * NODE_TTL))
    heal bw-n1
    FAULT_END=$(now_ms)
}

# etcd-stall: etcd is frozen (SIGSTOP) for 2×ttl, then resumed.
scenario_etcd-stall() {
    local pid; pid=$(etcd_pid bw-n3)
    kill -STOP "$pid"; STOPPED=$pid
    pause $((2 * NODE_TTL))
    kill -CONT "$pid"; STOPPED=""
    FAULT_END=$(now_ms)
}

# etcd-member-lost: the etcd raft leader of three members is killed (SIGKILL) and stays dead for 5×ttl; heal time
# counts from the kill.
scenario_etcd-member-lost() {
    local victim; victim=$(etcd_leader)
    [ -n "$victim" ] || { victim=bw-e2; NOTE+=" no-etcd-leader-found"; }
    NOTE+=" killed-etcd-on-$victim"
    FAULT_END=$(now_ms)
    kill -KILL "$(etcd_pid "$victim")"
    local until=$((SECONDS + 5 * NODE_TTL))
    wait_for $((5 * NODE_TTL)) "a healthy cluster with two etcd members" healthy && HEALED_AT=$(now_ms)
    [ $SECONDS -ge $until ] || pause $((until - SECONDS)) # the member stays dead; the run's final check repeats
}

# switchovers: 10 switchovers back and forth with bulwarkctl; each waits for the candidate to stream first.
scenario_switchovers() {
    local i from to
    for i in $(seq 1 10); do
        from=$(primary_node); [ -n "$from" ] || { NOTE+=" no-primary-before-$i"; return; }
        to=$(other "$from")
        wait_for 120 "$to to stream before switchover $i" healthy || { NOTE+=" unhealthy-before-$i"; return; }
        pause 1
        in_ns bw-cl "$BULWARK_HOME/bin/bulwarkctl" -c "$SCEN/node1/bulwark.yml" switchover --leader "$from" \
            --candidate "$to" --force > "$SCEN/switchover-$i.log" 2>&1 || { NOTE+=" switchover-$i-failed"; return; }
        wait_for 60 "$to to lead after switchover $i" is_primary "$to" || { NOTE+=" switchover-$i-no-leader"; return; }
    done
    FAULT_END=$(now_ms)
}

# wrong-order: the replica's host crashes; the primary takes writes alone for 3×ttl; then its host crashes too.
# Once the leader key has expired, the stale former replica's host comes back first (FAULT_END); after it has
# led or 3×ttl have passed, the former primary's. A stale node that promotes alone loses what only node1 had.
scenario_wrong-order() {
    crash_host node2
    pause $((3 * NODE_TTL))
    crash_host node1
    pause $((NODE_TTL + 2))
    FAULT_END=$(now_ms)
    restart_host node2
    if wait_for $((3 * NODE_TTL)) "node2 to lead alone" is_primary node2; then NOTE+=" stale-node2-led-alone"; fi
    restart_host node1
}

# selftest: node2's agent is frozen and its PostgreSQL promoted by hand while node1 stays the primary: both accept
# direct writes (a split brain), and node2, read back as if it were the final primary, lacks node1's newer rows.
scenario_selftest() {
    local d="$SCEN/node2/data" pid
    pid=$(agent_pid node2); kill -STOP "$pid"; STOPPED=$pid
    in_ns bw-n2 setpriv --reuid=postgres --regid=postgres --init-groups \
        "/usr/lib/postgresql/$(cat "$d/PG_VERSION")/bin/pg_ctl" -D "$d" -w promote > /dev/null
    pause 3
    FAULT_END=$(now_ms); HEALED_AT=$FAULT_END; SKIP_HEAL=1; READBACK_NODE=node2; EXPECT=detection
}
