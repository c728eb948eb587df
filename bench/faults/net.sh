# Hosts of the fault suite as network namespaces on one bridge, and the iptables faults between them.
# bw-hub holds the bridge; every host has one veth (eth0) into it. Nothing is added to the root namespace.
# shellcheck shell=bash

FAULT_SUBNET=10.213.47
HUB=bw-hub
HOSTS=(bw-n1 bw-n2 bw-n3 bw-e2 bw-e3 bw-cl)
declare -A IP=([bw-n1]=$FAULT_SUBNET.11 [bw-n2]=$FAULT_SUBNET.12 [bw-n3]=$FAULT_SUBNET.13
               [bw-e2]=$FAULT_SUBNET.14 [bw-e3]=$FAULT_SUBNET.15 [bw-cl]=$FAULT_SUBNET.20)

in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# subnet_free: no interface or route of the root namespace is in FAULT_SUBNET.0/24.
subnet_free() { ! ip -4 addr show | grep -q "inet $FAULT_SUBNET\." && ! ip -4 route show | grep -q "^$FAULT_SUBNET\."; }

net_up() {
    subnet_free || { echo "error: $FAULT_SUBNET.0/24 is in use on this machine; change FAULT_SUBNET in bench/faults/net.sh" >&2; return 1; }
    ip netns add "$HUB"
    ip -n "$HUB" link set lo up
    ip -n "$HUB" link add br0 type bridge
    ip -n "$HUB" link set br0 up
    local ns
    for ns in "${HOSTS[@]}"; do
        ip netns add "$ns"
        ip -n "$HUB" link add "v-$ns" type veth peer name eth0 netns "$ns"
        ip -n "$HUB" link set "v-$ns" master br0
        ip -n "$HUB" link set "v-$ns" up
        ip -n "$ns" link set lo up
        ip -n "$ns" addr add "${IP[$ns]}/24" dev eth0
        ip -n "$ns" link set eth0 up
    done
    # Where br_netfilter is loaded (Podman's netavark loads it), bridged frames pass the hub's own iptables; a new
    # namespace accepts everything, and the faults are rules inside the hosts, so nothing else is needed.
}

# ours_exist: any namespace of this suite exists (left by a run that was killed before its trap could run).
ours_exist() { local ns; for ns in "$HUB" "${HOSTS[@]}"; do [ ! -e "/run/netns/$ns" ] || return 0; done; return 1; }

# kill_host NS: SIGKILL every process in the namespace, one PID at a time (all of them were started by this run:
# the namespace is its own, under the run's lock), and wait until they are gone.
kill_host() {
    local ns=$1 pid deadline=$((SECONDS + 10))
    [ -e "/run/netns/$ns" ] || return 0
    while :; do
        local pids; pids=$(ip netns pids "$ns" 2>/dev/null || true)
        [ -n "$pids" ] || return 0
        for pid in $pids; do kill -KILL "$pid" 2>/dev/null || true; done
        [ $SECONDS -lt $deadline ] || { echo "warning: processes still in $ns: $pids" >&2; return 0; }
        sleep 0.1
    done
}

net_down() {
    local ns
    for ns in "${HOSTS[@]}" "$HUB"; do kill_host "$ns"; done
    for ns in "${HOSTS[@]}" "$HUB"; do [ ! -e "/run/netns/$ns" ] || ip netns del "$ns"; done
}

# Faults: DROP rules inside a host (no RST, as when a cable is pulled). heal NS removes them all.
cut() { # cut NS PEER...: NS can no longer exchange packets with the peers
    local ns=$1 peer; shift
    for peer in "$@"; do
        in_ns "$ns" iptables -w -A INPUT -s "${IP[$peer]}" -j DROP
        in_ns "$ns" iptables -w -A OUTPUT -d "${IP[$peer]}" -j DROP
    done
}
isolate() { in_ns "$1" iptables -w -A INPUT -i eth0 -j DROP; in_ns "$1" iptables -w -A OUTPUT -o eth0 -j DROP; }
heal() { in_ns "$1" iptables -w -F INPUT; in_ns "$1" iptables -w -F OUTPUT; }
