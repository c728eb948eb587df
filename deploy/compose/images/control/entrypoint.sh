#!/bin/bash
# Starts etcd and HAProxy; exits (so the container stops and its restart policy applies) when either exits.
# HAProxy's configuration: a file mounted at /etc/haproxy/haproxy.cfg is used as it is; otherwise it is rendered by
# `bulwarkctl haproxy-config` (the same generator as bin/local-cluster's) for the servers in
# BULWARK_HAPROXY_SERVERS, with DNS re-resolution so that a node that comes back with a new address is found
# again. Either way it is checked before anything starts.
# (Variables are BULWARK_ETCD_*, not ETCD_*: etcd itself reads ETCD_* and refuses a flag it also got from the env.)
#
# BULWARK_HAPROXY_SERVERS ("node1=node1:5432/8008 node2=node2:5432/8008")  NAME=HOST[:PGPORT][/APIPORT] ...
# BULWARK_HAPROXY_MAXCONN (100)          per-server connection limit
# BULWARK_ETCD_NAME ($HOSTNAME)          etcd member name
# BULWARK_ETCD_ADVERTISE_HOST ($HOSTNAME)  address other hosts use for this etcd
# BULWARK_ETCD_INITIAL_CLUSTER (NAME=http://HOST:2380)  for a multi-member etcd: every member's peer URL
# BULWARK_ETCD_INITIAL_CLUSTER_TOKEN (bulwark), BULWARK_ETCD_INITIAL_CLUSTER_STATE (new)
set -euo pipefail
die() { echo "control-entrypoint: error: $*" >&2; exit 64; }

CFG=/etc/haproxy/haproxy.cfg
if [ -e "$CFG" ]; then
    [ -f "$CFG" ] && [ -r "$CFG" ] || die "$CFG is mounted but is not a readable file"
    echo "control-entrypoint: HAProxy configuration mounted at $CFG"
else
    servers=()
    for s in ${BULWARK_HAPROXY_SERVERS:-node1=node1:5432/8008 node2=node2:5432/8008}; do servers+=(--server "$s"); done
    CFG=/run/haproxy/haproxy.cfg
    /opt/bulwark/bin/bulwarkctl haproxy-config --bind '*' --resolvers --maxconn "${BULWARK_HAPROXY_MAXCONN:-100}" \
        "${servers[@]}" > "$CFG.tmp" || die "bulwarkctl haproxy-config failed for BULWARK_HAPROXY_SERVERS (see above)"
    mv "$CFG.tmp" "$CFG"
    echo "control-entrypoint: HAProxy configuration rendered by bulwarkctl haproxy-config into $CFG (${servers[*]})"
fi
haproxy -c -q -f "$CFG" || die "the HAProxy configuration $CFG is invalid (see above)"
NAME=${BULWARK_ETCD_NAME:-$(hostname)}
ADV=${BULWARK_ETCD_ADVERTISE_HOST:-$(hostname)}

etcd --name "$NAME" --data-dir /var/lib/etcd-data \
    --listen-client-urls http://0.0.0.0:2379 --advertise-client-urls "http://$ADV:2379" \
    --listen-peer-urls http://0.0.0.0:2380 --initial-advertise-peer-urls "http://$ADV:2380" \
    --initial-cluster "${BULWARK_ETCD_INITIAL_CLUSTER:-$NAME=http://$ADV:2380}" \
    --initial-cluster-token "${BULWARK_ETCD_INITIAL_CLUSTER_TOKEN:-bulwark}" \
    --initial-cluster-state "${BULWARK_ETCD_INITIAL_CLUSTER_STATE:-new}" &
etcd_pid=$!
haproxy -W -db -f "$CFG" &
haproxy_pid=$!
trap 'kill -TERM $haproxy_pid $etcd_pid 2>/dev/null' TERM INT
wait -n $etcd_pid $haproxy_pid || true
echo "control-entrypoint: etcd or HAProxy exited; stopping the other" >&2
kill -TERM $haproxy_pid $etcd_pid 2>/dev/null || true
wait
exit 1
