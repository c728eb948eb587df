# Shared by deploy/compose/demo, demo-ha-etcd and check-errors (sourced, not run). The caller sets:
#   DEMO      name printed before each line          FILE      the compose file (absolute path)
#   P         compose project name                   SERVICES  its services; VOLUMES  its named volumes
#   EXTRA_CONTAINERS (optional) containers started with `run` outside compose, removed the same way
#   CONTROL_SERVICES (default node3) the services running the control image (etcd, and HAProxy on node3)
# Host ports are free ones chosen at run time unless BULWARK_HOST_* are set; passwords, the CA and the certificates
# are generated per run (lib/secrets.sh, in BULWARK_SECRETS_DIR, default a directory of this run) and never printed. On exit, everything of project $P is removed by name (unless BULWARK_DEMO_KEEP=1), and
# on failure the last log lines of each container are printed first.
. "$(dirname "${BASH_SOURCE[0]}")/compose.sh"
. "$(dirname "${BASH_SOURCE[0]}")/secrets.sh"
T0=$SECONDS
declare -A TIMING=()
WORK=$(mktemp -d)   # scratch files of this run, removed on exit

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
export BULWARK_HOST_PRIMARY_PORT=${BULWARK_HOST_PRIMARY_PORT:-$(free_port)}
export BULWARK_HOST_REPLICA_PORT=${BULWARK_HOST_REPLICA_PORT:-$(free_port)}
export BULWARK_HOST_STATS_PORT=${BULWARK_HOST_STATS_PORT:-$(free_port)}
export BULWARK_HOST_NODE1_API_PORT=${BULWARK_HOST_NODE1_API_PORT:-$(free_port)}
export BULWARK_HOST_NODE2_API_PORT=${BULWARK_HOST_NODE2_API_PORT:-$(free_port)}
gen() { head -c 18 /dev/urandom | base64 | tr -d '/+='; }
export BULWARK_SUPERUSER_PASSWORD=${BULWARK_SUPERUSER_PASSWORD:-$(gen)}
export BULWARK_REPLICATION_PASSWORD=${BULWARK_REPLICATION_PASSWORD:-$(gen)}
export BULWARK_REST_PASSWORD=${BULWARK_REST_PASSWORD:-$(gen)}
export PGPASSWORD=$BULWARK_SUPERUSER_PASSWORD PGCONNECT_TIMEOUT=2
export BULWARK_SECRETS_DIR=${BULWARK_SECRETS_DIR:-$WORK/secrets}
make_secrets "$BULWARK_SECRETS_DIR" || fail "could not make the secrets in $BULWARK_SECRETS_DIR"
[ "$(cat "$BULWARK_SECRETS_DIR/superuser-password")" = "$BULWARK_SUPERUSER_PASSWORD" ] \
    || fail "$BULWARK_SECRETS_DIR/superuser-password is not BULWARK_SUPERUSER_PASSWORD (a directory from another run?)"
declare -p CONTROL_SERVICES >/dev/null 2>&1 || CONTROL_SERVICES=(node3)
declare -A API=([node1]=$BULWARK_HOST_NODE1_API_PORT [node2]=$BULWARK_HOST_NODE2_API_PORT)

declare -p EXTRA_CONTAINERS >/dev/null 2>&1 || EXTRA_CONTAINERS=()
remove_project() { # containers, network and volumes of project $P, by name
    local s c v
    for c in "${EXTRA_CONTAINERS[@]}"; do $ENGINE rm -f -t 5 "$c" >/dev/null 2>&1 || true; done
    for s in "${SERVICES[@]}"; do
        c=$(container "$s" 2>/dev/null || true); [ -z "$c" ] || $ENGINE rm -f -t 10 "$c" >/dev/null 2>&1 || true
    done
    $ENGINE network rm -f "${P}_default" >/dev/null 2>&1 || true
    for v in "${VOLUMES[@]}"; do $ENGINE volume rm -f "${P}_$v" >/dev/null 2>&1 || true; done
}
cleanup() {
    local rc=$? s c
    # a kept project's containers still mount the secrets of this run
    if [ -n "${BULWARK_DEMO_KEEP:-}" ]; then say "keeping $WORK (the project's secrets)"; else rm -rf "$WORK"; fi
    command -v "$ENGINE" >/dev/null || exit $rc
    if [ $rc -ne 0 ]; then
        for s in "${SERVICES[@]}"; do
            c=$(container "$s" 2>/dev/null || true); [ -n "$c" ] || continue
            echo "----- last log lines of $c (agents: without 'no action' lines) -----" >&2
            $ENGINE logs "$c" 2>&1 | grep -v 'INFO: no action' | tail -n 30 >&2 || true
        done
        for c in "${EXTRA_CONTAINERS[@]}"; do
            $ENGINE container exists "$c" 2>/dev/null || continue
            echo "----- last log lines of $c -----" >&2; $ENGINE logs "$c" 2>&1 | tail -n 30 >&2 || true
        done
    fi
    if [ -n "${BULWARK_DEMO_KEEP:-}" ]; then say "keeping project $P (BULWARK_DEMO_KEEP)"; exit $rc; fi
    remove_project
    say "removed containers, network ${P}_default and volumes of project $P"
    exit $rc
}
trap cleanup EXIT
trap "exit 130" INT TERM
refuse_existing() {
    local s
    command -v "$ENGINE" >/dev/null || return 0   # not installed yet (build-base installs it): nothing exists
    for s in "${SERVICES[@]}"; do
        [ -z "$(container "$s")" ] || fail "project $P already has a $s container; remove it or set BULWARK_DEMO_PROJECT"
    done
}
build_unless_skipped() {
    [ -z "${BULWARK_DEMO_SKIP_BUILD:-}" ] || return 0
    local t; t=$(now); "$(dirname "$FILE")/build-base"; TIMING[build]=$(since "$t")
}

sql() { # sql PORT QUERY
    psql -h 127.0.0.1 -p "$1" -U postgres -d postgres -X -q -tA -v ON_ERROR_STOP=1 -c "$2"
}
ACKED=$WORK/acknowledged-ids
LAST_ADDR=""
write_row() { # write_row TAG: insert one row through HAProxy's read-write port; record it only when acknowledged
    local out; out=$(sql "$BULWARK_HOST_PRIMARY_PORT" "insert into demo(tag) values ('$1') returning id, host(inet_server_addr())" 2>/dev/null) || return 1
    [ -n "$out" ] || return 1
    echo "${out%%|*}" >> "$ACKED"; LAST_ADDR=${out#*|}
}
# fail_over WHAT: stop node1's container while writing through HAProxy until a write lands on node2; sets
# TIMING[failover] (stop -> first write on node2) and TIMING[gap] (last write on node1 -> first on node2).
# Rows node1 acknowledges while it shuts down count too: they must not be lost.
fail_over() {
    local node2_addr t last_ok on_node1=0 stop_pid deadline
    node2_addr=$(address_of node2); [ -n "$node2_addr" ] || fail "no address for node2's container"
    t=$(now); last_ok=$t
    $ENGINE stop -t 60 "$(container node1)" >/dev/null &
    stop_pid=$!
    deadline=$((SECONDS + 120))
    while :; do
        if write_row failover; then
            [ "$LAST_ADDR" != "$node2_addr" ] || break
            last_ok=$(now); on_node1=$((on_node1 + 1))
        fi
        [ $SECONDS -lt $deadline ] || fail "no write through HAProxy reached node2 within 120 s of stopping node1"
        sleep 0.05
    done
    TIMING[failover]=$(since "$t"); TIMING[gap]=$(since "$last_ok")
    wait $stop_pid || fail "$ENGINE stop node1"
    is_primary node2 || fail "a write reached node2 but node2 does not report itself primary"
    say "first write through HAProxy acknowledged by node2 ${TIMING[failover]} s after the stop began ($on_node1 writes acknowledged by node1 while it stopped; write gap ${TIMING[gap]} s)"
}
# check_no_loss: every acknowledged row is on the primary, and (within 30 s) on the replica behind :5001
check_no_loss() {
    local expected n
    expected=$(sort -n "$ACKED" | paste -sd, -); n=$(wc -l < "$ACKED")
    rows_there() { [ "$(sql "$1" "select count(*) from demo where id in ($expected)")" = "$n" ]; }
    rows_there "$BULWARK_HOST_PRIMARY_PORT" || fail "acknowledged rows missing on the primary (expected $n)"
    wait_until 30 "all $n acknowledged rows on the replica" rows_there "$BULWARK_HOST_REPLICA_PORT"
    say "all $n acknowledged rows present on the primary and on the replica"
}
image_sizes() {
    local img
    for img in agent control; do
        echo "image localhost/bulwark-$img:${BULWARK_IMAGE_TAG:-dev}: $($ENGINE image inspect -f '{{.Size}}' "localhost/bulwark-$img:${BULWARK_IMAGE_TAG:-dev}" | awk '{printf "%.0f MB", $1/1e6}')"
    done
}
# check_hardening: what the deployment promises about TLS, users and secrets, checked on the running project
check_hardening() {
    local c s pw procs n
    c=$(container node3)
    $ENGINE exec "$c" etcdctl --command-timeout=3s get --prefix --keys-only /service > "$WORK/etcdctl.out" 2>&1 \
        || { cat "$WORK/etcdctl.out" >&2; fail "etcdctl with the client certificate (ETCDCTL_* in node3) failed"; }
    # refused_etcdctl WHAT ARGS...: etcdctl must fail, and for the connection's sake, not as a usage error
    refused_etcdctl() {
        local what=$1; shift
        if $ENGINE exec "$c" env "$@" get --prefix --keys-only /service > "$WORK/etcdctl.out" 2>&1; then
            fail "etcd answered etcdctl $what"
        fi
        ! grep -q '"level":"fatal"\|Error: unknown\|conflicting' "$WORK/etcdctl.out" \
            || { cat "$WORK/etcdctl.out" >&2; fail "etcdctl $what failed as a usage error, not at the connection"; }
    }
    refused_etcdctl "without a client certificate" -u ETCDCTL_CERT -u ETCDCTL_KEY etcdctl --command-timeout=3s
    local without_cert; without_cert=$(tail -n 1 "$WORK/etcdctl.out" | cut -c1-100)
    refused_etcdctl "over plain http" -u ETCDCTL_CACERT -u ETCDCTL_CERT -u ETCDCTL_KEY -u ETCDCTL_ENDPOINTS etcdctl \
        --command-timeout=3s --endpoints=http://localhost:2379
    say "hardening: etcd answers etcdctl with the client certificate, refuses it without one ($without_cert) and over plain http"
    for s in node1 node2; do
        if curl -fsS --max-time 3 "http://127.0.0.1:${API[$s]}/patroni" > /dev/null 2>&1; then
            fail "$s's REST API answered plain http"
        fi
        if curl -fsS --max-time 3 "https://127.0.0.1:${API[$s]}/patroni" > /dev/null 2>&1; then
            fail "$s's REST API certificate was accepted without the deployment's CA"
        fi
        [ "$($ENGINE exec "$(container "$s")" stat -c '%a %U' /run/bulwark/tls/rest.key /run/bulwark/tls/etcd-client.key | sort -u)" = "600 postgres" ] \
            || fail "$s's keys in /run/bulwark/tls are not mode 600, owned by postgres"
    done
    n=$($ENGINE exec "$c" grep -c ' check-ssl verify required ca-file /run/haproxy/ca.crt verifyhost ' /run/haproxy/haproxy.cfg || true)
    [ "$n" = 4 ] || fail "node3's HAProxy configuration has $n verified HTTPS checks, not 4 (2 servers x 2 listeners)"
    say "hardening: REST APIs refuse plain http and a client without the CA; HAProxy checks them over HTTPS, verified (verify required, verifyhost); agent keys 0600 postgres"
    for s in "${CONTROL_SERVICES[@]}"; do
        # every process of the container by name and user (no ps in the image)
        procs=$($ENGINE exec "$(container "$s")" bash -c 'for d in /proc/[0-9]*; do n=$(cat "$d/comm" 2>/dev/null) || continue; echo "$n $(stat -c %U "$d")"; done' | sort -u)
        grep -q '^etcd etcd$' <<< "$procs" || fail "$s: no etcd process running as user etcd: $(tr '\n' ',' <<< "$procs")"
        ! grep -Eq '^(etcd|haproxy) root$' <<< "$procs" || fail "$s: etcd or HAProxy runs as root: $(tr '\n' ',' <<< "$procs")"
        [ "$s" != node3 ] || grep -q '^haproxy haproxy$' <<< "$procs" || fail "node3: no haproxy process running as user haproxy"
        say "hardening: $s runs $(grep -E '^(etcd|haproxy) ' <<< "$procs" | sort -u | sed 's/ / as /' | paste -sd, - | sed 's/,/, /g')"
    done
    for s in "${SERVICES[@]}"; do
        $ENGINE inspect -f '{{range .Config.Env}}{{println .}}{{end}}' "$(container "$s")" > "$WORK/env.out"
        for pw in "$BULWARK_SUPERUSER_PASSWORD" "$BULWARK_REPLICATION_PASSWORD" "$BULWARK_REST_PASSWORD"; do
            ! grep -qF -- "$pw" "$WORK/env.out" || fail "a password is in $s's container environment ($ENGINE inspect)"
        done
        ! grep -Eq '^PATRONI_[A-Z_]*PASSWORD=' "$WORK/env.out" || fail "$s's container environment sets a PATRONI_*PASSWORD ($ENGINE inspect)"
    done
    say "hardening: no password in the containers' environment ($ENGINE inspect of ${SERVICES[*]}); the agents get PATRONI_*_PASSWORD_FILE=/run/secrets/..."
}
