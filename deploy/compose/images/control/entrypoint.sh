#!/bin/bash
# control-entrypoint [etcd]: starts etcd and HAProxy (or, with the command `etcd`, etcd alone: ha-etcd.yml's
# etcd1/etcd2); exits (so the container stops and its restart policy applies) when either exits.
# It starts as root only to prepare: etcd then runs as the user etcd and HAProxy as the user haproxy (setpriv; both
# listen on ports above 1024), and it never runs either as root.
# HAProxy's configuration: a file mounted at /etc/haproxy/haproxy.cfg is used as it is; otherwise it is rendered by
# `bulwarkctl haproxy-config` (the same generator as bin/local-cluster's) for the servers in
# BULWARK_HAPROXY_SERVERS, with DNS re-resolution so that a node that comes back with a new address is found
# again, and with HTTPS health checks that verify the agents' certificates against /run/secrets/ca.crt when that
# secret is there. Either way it is checked before anything starts.
# TLS (compose secrets, made by deploy/compose/up): with /run/secrets/etcd.crt, etcd.key and ca.crt, etcd serves
# clients and peers only over HTTPS and accepts only certificates signed by that CA (--client-cert-auth,
# --peer-client-cert-auth); the files are copied into /run/etcd-tls for the user etcd (key mode 0600). Without
# them etcd serves plain HTTP, as before (a warning says so).
# (Variables are BULWARK_ETCD_*, not ETCD_*: etcd itself reads ETCD_* and refuses a flag it also got from the env.)
#
# BULWARK_HAPROXY_SERVERS ("node1=node1:5432/8008 node2=node2:5432/8008")  NAME=HOST[:PGPORT][/APIPORT] ...
# BULWARK_HAPROXY_MAXCONN (100)          per-server connection limit
# BULWARK_HAPROXY_LEADER_PORT (none)     also a listener routed to the leader-lock holder whatever its role (a
#                                        standby cluster in another site follows it: dr.yml, docs/dr.md)
# BULWARK_ETCD_NAME ($HOSTNAME)          etcd member name
# BULWARK_ETCD_ADVERTISE_HOST ($HOSTNAME)  address other hosts use for this etcd
# BULWARK_ETCD_INITIAL_CLUSTER (NAME=SCHEME://HOST:2380)  for a multi-member etcd: every member's peer URL
# BULWARK_ETCD_INITIAL_CLUSTER_TOKEN (bulwark), BULWARK_ETCD_INITIAL_CLUSTER_STATE (new)
set -euo pipefail
die() { echo "control-entrypoint: error: $*" >&2; exit 64; }
MODE=${1:-all}
case $MODE in
    all|etcd) ;;
    *) die "unknown command '$MODE': expected etcd (etcd alone) or nothing (etcd and HAProxy)" ;;
esac
[ "$(id -u)" -eq 0 ] || die "start this container as root (it drops to the users etcd and haproxy itself)"
as() { local user=$1; shift; exec setpriv --reuid="$user" --regid="$user" --init-groups "$@"; }

if [ "$MODE" = all ]; then
    CFG=/etc/haproxy/haproxy.cfg
    install -d -m 0755 -o haproxy -g haproxy /run/haproxy
    if [ -e "$CFG" ]; then
        [ -f "$CFG" ] && [ -r "$CFG" ] || die "$CFG is mounted but is not a readable file"
        echo "control-entrypoint: HAProxy configuration mounted at $CFG"
    else
        servers=() tls=() leader=()
        [ -z "${BULWARK_HAPROXY_LEADER_PORT:-}" ] || leader=(--leader-port "$BULWARK_HAPROXY_LEADER_PORT")
        for s in ${BULWARK_HAPROXY_SERVERS:-node1=node1:5432/8008 node2=node2:5432/8008}; do servers+=(--server "$s"); done
        if [ -f /run/secrets/ca.crt ]; then
            install -m 0644 /run/secrets/ca.crt /run/haproxy/ca.crt
            tls=(--check-ssl --ca-file /run/haproxy/ca.crt)
        fi
        CFG=/run/haproxy/haproxy.cfg
        /opt/bulwark/bin/bulwarkctl haproxy-config --bind '*' --resolvers --maxconn "${BULWARK_HAPROXY_MAXCONN:-100}" \
            "${tls[@]}" "${leader[@]}" "${servers[@]}" > "$CFG.tmp" || die "bulwarkctl haproxy-config failed for BULWARK_HAPROXY_SERVERS (see above)"
        mv "$CFG.tmp" "$CFG"; chmod 0644 "$CFG"
        echo "control-entrypoint: HAProxy configuration rendered by bulwarkctl haproxy-config into $CFG (${servers[*]}${tls:+; HTTPS checks verified against /run/secrets/ca.crt})"
    fi
    setpriv --reuid=haproxy --regid=haproxy --init-groups haproxy -c -q -f "$CFG" || die "the HAProxy configuration $CFG is invalid (see above)"
fi

NAME=${BULWARK_ETCD_NAME:-$(hostname)}
ADV=${BULWARK_ETCD_ADVERTISE_HOST:-$(hostname)}
DATA=/var/lib/etcd-data
# a volume made by an older image (or a fresh one from a runtime that does not copy the image's owner) is root's
chown -R etcd:etcd "$DATA"; chmod 0700 "$DATA"
SCHEME=http tls=()
if [ -f /run/secrets/etcd.crt ] && [ -f /run/secrets/etcd.key ] && [ -f /run/secrets/ca.crt ]; then
    T=/run/etcd-tls
    install -d -m 0700 -o etcd -g etcd "$T"
    install -m 0644 -o etcd -g etcd /run/secrets/etcd.crt /run/secrets/ca.crt "$T/"
    install -m 0600 -o etcd -g etcd /run/secrets/etcd.key "$T/"
    SCHEME=https
    tls=(--cert-file "$T/etcd.crt" --key-file "$T/etcd.key" --trusted-ca-file "$T/ca.crt" --client-cert-auth
         --peer-cert-file "$T/etcd.crt" --peer-key-file "$T/etcd.key" --peer-trusted-ca-file "$T/ca.crt"
         --peer-client-cert-auth)
    echo "control-entrypoint: etcd serves clients and peers over HTTPS with client certificates of /run/secrets/ca.crt"
else
    echo "control-entrypoint: WARNING: no /run/secrets/etcd.crt, etcd.key and ca.crt: etcd serves plain HTTP to anyone who reaches it" >&2
fi
etcd_args=(--name "$NAME" --data-dir "$DATA"
    --listen-client-urls "$SCHEME://0.0.0.0:2379" --advertise-client-urls "$SCHEME://$ADV:2379"
    --listen-peer-urls "$SCHEME://0.0.0.0:2380" --initial-advertise-peer-urls "$SCHEME://$ADV:2380"
    --initial-cluster "${BULWARK_ETCD_INITIAL_CLUSTER:-$NAME=$SCHEME://$ADV:2380}"
    --initial-cluster-token "${BULWARK_ETCD_INITIAL_CLUSTER_TOKEN:-bulwark}"
    --initial-cluster-state "${BULWARK_ETCD_INITIAL_CLUSTER_STATE:-new}" "${tls[@]}")
if [ "$MODE" = etcd ]; then
    as etcd etcd "${etcd_args[@]}"
fi

( as etcd etcd "${etcd_args[@]}" ) &
etcd_pid=$!
( as haproxy haproxy -W -db -f "$CFG" ) &
haproxy_pid=$!
trap 'kill -TERM $haproxy_pid $etcd_pid 2>/dev/null' TERM INT
wait -n $etcd_pid $haproxy_pid || true
echo "control-entrypoint: etcd or HAProxy exited; stopping the other" >&2
kill -TERM $haproxy_pid $etcd_pid 2>/dev/null || true
wait
exit 1
