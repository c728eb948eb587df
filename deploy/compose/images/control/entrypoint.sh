#!/bin/bash
# Starts etcd and HAProxy; exits (so the container stops and its restart policy applies) when either exits.
# HAProxy's configuration is mounted at /etc/haproxy/haproxy.cfg (deploy/compose/config/haproxy.cfg); it is
# checked before anything starts.
# (Variables are BULWARK_ETCD_*, not ETCD_*: etcd itself reads ETCD_* and refuses a flag it also got from the env.)
#
# BULWARK_ETCD_NAME ($HOSTNAME)          etcd member name
# BULWARK_ETCD_ADVERTISE_HOST ($HOSTNAME)  address other hosts use for this etcd
# BULWARK_ETCD_INITIAL_CLUSTER (NAME=http://HOST:2380)  for a multi-member etcd: every member's peer URL
# BULWARK_ETCD_INITIAL_CLUSTER_TOKEN (bulwark), BULWARK_ETCD_INITIAL_CLUSTER_STATE (new)
set -euo pipefail
die() { echo "control-entrypoint: error: $*" >&2; exit 64; }

CFG=/etc/haproxy/haproxy.cfg
[ -f "$CFG" ] && [ -r "$CFG" ] || die "no HAProxy configuration at $CFG: mount one (deploy/compose/config/haproxy.cfg)"
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
