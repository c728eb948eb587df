# The cluster of the fault suite: etcd (one member on bw-n3, or three on bw-n3, bw-e2, bw-e3) and HAProxy on
# bw-n3, node1 on bw-n1 and node2 on bw-n2 (PostgreSQL and the agent, bin/bulwark as postgres), FaultProbe on
# bw-cl. Needs net.sh, bin/_common.sh and bin/_node-config.sh; RUN (the run's directory) and SCEN (the
# scenario's) are set by the caller. Every check runs from bw-cl, as a client would see it.
# shellcheck shell=bash

SCOPE=faults
NODES=(node1 node2)
declare -A NODE_NS=([node1]=bw-n1 [node2]=bw-n2)
ETCD_MEMBERS=(bw-n3)
HAPROXY_PORT=5000
export PGPASSWORD=${BULWARK_SUPERUSER_PASSWORD:-postgres} PGCONNECT_TIMEOUT=1
SU_PASSWORD=$PGPASSWORD
REPL_PASSWORD=${BULWARK_REPLICATION_PASSWORD:-replicator}
REST_USER=bulwark
REST_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')

now_ms() { date +%s%3N; }
pause() { sleep "$1" & SLEEPER=$!; wait $SLEEPER; SLEEPER=""; } # a TERM/INT trap runs at once, not after the sleep
node_ip() { echo "${IP[${NODE_NS[$1]}]}"; }
other() { [ "$1" = node1 ] && echo node2 || echo node1; }
etcd_hosts() { local ns out=""; for ns in "${ETCD_MEMBERS[@]}"; do out+="${out:+,}${IP[$ns]}:2379"; done; echo "$out"; }

wait_for() { # wait_for SECONDS DESCRIPTION COMMAND...: 0 when COMMAND succeeded in time, else 1 with a message
    local limit=$1 deadline=$((SECONDS + $1)) what=$2; shift 2
    until "$@" >/dev/null 2>&1; do
        [ $SECONDS -lt $deadline ] || { echo "timed out after $limit s waiting for $what" >&2; return 1; }
        sleep 0.2
    done
}

# start_in NS PIDFILE LOG COMMAND...: COMMAND in its own session inside NS; PIDFILE gets its PID.
start_in() {
    local ns=$1 pidfile=$2 log=$3; shift 3
    ip netns exec "$ns" setsid sh -c 'echo $$ > "$0"; exec "$@"' "$pidfile" "$@" >> "$log" 2>&1 < /dev/null &
    disown $! # no "Killed" job notices when a crash or the cleanup kills it
    wait_for 10 "$pidfile" test -s "$pidfile"
}

start_etcd() {
    local ns spec=""
    for ns in "${ETCD_MEMBERS[@]}"; do spec+="${spec:+,}$ns=http://${IP[$ns]}:2380"; done
    for ns in "${ETCD_MEMBERS[@]}"; do
        mkdir -p "$SCEN/etcd-$ns"
        start_in "$ns" "$SCEN/etcd-$ns/pid" "$SCEN/etcd-$ns/etcd.log" etcd --name "$ns" --data-dir "$SCEN/etcd-$ns/data" \
            --listen-client-urls "http://${IP[$ns]}:2379" --advertise-client-urls "http://${IP[$ns]}:2379" \
            --listen-peer-urls "http://${IP[$ns]}:2380" --initial-advertise-peer-urls "http://${IP[$ns]}:2380" \
            --initial-cluster "$spec" --initial-cluster-state new --initial-cluster-token "bw-faults-$$"
    done
    for ns in "${ETCD_MEMBERS[@]}"; do
        wait_for 60 "etcd on ${IP[$ns]}:2379" in_ns bw-cl curl -fsS -m 1 "http://${IP[$ns]}:2379/health" || return 1
    done
}

etcd_pid() { cat "$SCEN/etcd-$1/pid"; }

# etcd_leader: the namespace of the etcd member that is raft leader.
etcd_leader() {
    local ns
    for ns in "${ETCD_MEMBERS[@]}"; do
        if in_ns bw-cl etcdctl --endpoints "http://${IP[$ns]}:2379" --command-timeout 2s endpoint status 2>/dev/null |
            awk -F', ' '{ exit ($5 == "true") ? 0 : 1 }'; then echo "$ns"; return; fi
    done
}

write_node_configs() {
    local n d
    for n in "${NODES[@]}"; do
        d="$SCEN/$n"
        mkdir -p "$d"; chown postgres: "$d"; chmod 0700 "$d"
        (umask 077; node_config_yaml "$n" "$SCOPE" "$(node_ip "$n"):8008" "$(node_ip "$n"):5432" "$(etcd_hosts)" "$d" \
            > "$d/bulwark.yml")
        chown postgres: "$d/bulwark.yml"
        touch "$d/agent.log"; chown postgres: "$d/agent.log"
    done
}

# start_agent NODE: bin/bulwark (the project's JVM options) as postgres inside the node's namespace.
start_agent() {
    local n=$1 d="$SCEN/$1"
    rm -f "$d/agent.pid"
    start_in "${NODE_NS[$n]}" "$d/agent.pid" "$d/agent.log" setpriv --reuid=postgres --regid=postgres --init-groups \
        env HOME="$d" BULWARK_JAR_OVERRIDE="$RUN/lib/bulwark.jar" "$BULWARK_HOME/bin/bulwark" "$d/bulwark.yml"
    wait_for 90 "$n REST API" api "$n" liveness
}

agent_pid() { cat "$SCEN/$1/agent.pid"; }

start_haproxy() {
    mkdir -p "$SCEN/haproxy"
    "$BULWARK_HOME/bin/bulwarkctl" haproxy-config --bind "${IP[bw-n3]}" --primary-port "$HAPROXY_PORT" \
        --server "node1=$(node_ip node1):5432/8008" --server "node2=$(node_ip node2):5432/8008" > "$SCEN/haproxy/haproxy.cfg"
    haproxy -c -q -f "$SCEN/haproxy/haproxy.cfg"
    in_ns bw-n3 haproxy -D -p "$SCEN/haproxy/pid" -f "$SCEN/haproxy/haproxy.cfg" >> "$SCEN/haproxy/haproxy.log" 2>&1 < /dev/null
}

api() { in_ns bw-cl curl -fsS -m 1 -o /dev/null "http://$(node_ip "$1"):8008/$2" 2>/dev/null; }
sql() { in_ns bw-cl psql -h "$(node_ip "$1")" -U postgres -d postgres -X -tAc "$2"; }
is_primary() { api "$1" primary; }
primary_node() { local n; for n in "${NODES[@]}"; do if is_primary "$n"; then echo "$n"; return; fi; done; }

# healthy: exactly one node claims /primary, the other answers /replica and the primary's pg_stat_replication shows
# it streaming (the ground truth; a standby that reports itself healthy but cannot stream does not count).
healthy() {
    local p r
    p=$(primary_node); [ -n "$p" ] || return 1
    r=$(other "$p")
    ! is_primary "$r" && api "$r" replica &&
        [ "$(sql "$p" "select count(*) from pg_stat_replication where application_name = '$r' and state = 'streaming'")" = 1 ]
}

# cluster_up: a fresh cluster, node1 the primary (it starts alone and bootstraps), node2 streaming from it.
cluster_up() {
    mkdir -p "$SCEN"
    write_node_configs
    start_etcd || return 1
    start_agent node1 || return 1
    wait_for 120 "node1 to lead" is_primary node1 || return 1
    start_agent node2 || return 1
    start_haproxy || return 1
    wait_for 180 "node2 to stream from node1" healthy
}

# crash_host NODE: a host crash: the node is cut off from everyone and every process on it (agent, fence,
# PostgreSQL) is killed with SIGKILL.
crash_host() { isolate "${NODE_NS[$1]}"; kill_host "${NODE_NS[$1]}"; rm -f "$SCEN/$1/agent.pid"; }

# restart_host NODE: the crashed host comes back: network restored, agent started (it starts PostgreSQL).
restart_host() { heal "${NODE_NS[$1]}"; start_agent "$1"; }

start_probe() {
    mkdir -p "$SCEN/probe"
    ip netns exec bw-cl "$JAVA_BIN" -cp "$RUN/lib/bulwark.jar" "$BULWARK_HOME/bench/faults/FaultProbe.java" "$SCEN/probe" \
        "${IP[bw-n3]}:$HAPROXY_PORT" "node1=$(node_ip node1):5432" "node2=$(node_ip node2):5432" \
        > "$SCEN/probe/probe.log" 2>&1 < /dev/null &
    PROBE_PID=$!
    wait_for 120 "the fault probe to start writing" test -e "$SCEN/probe/started"
}

# stop_probe PRIMARY: read back from PRIMARY, wait for the result line.
stop_probe() {
    echo "$(node_ip "$1"):5432" > "$SCEN/probe/readback"
    touch "$SCEN/probe/stop"
    wait "$PROBE_PID" || true
    PROBE_PID=""
}

# teardown: every process and namespace of the scenario, and the SysV shared memory segments of its PostgreSQL
# servers (a SIGKILLed postmaster leaves its 56-byte segment behind).
teardown() {
    local n ids="" id
    for n in "${NODES[@]}"; do
        [ -z "${SCEN:-}" ] || [ ! -f "$SCEN/$n/data/postmaster.pid" ] || ids+=" $(sed -n 7p "$SCEN/$n/data/postmaster.pid" | awk '{print $2}')"
    done
    net_down
    for id in $ids; do
        [ "$(ipcs -m | awk -v id="$id" '$2 == id {print $3, $6}')" != "postgres 0" ] || ipcrm -m "$id" 2>/dev/null || true
    done
}
