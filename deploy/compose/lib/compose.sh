# Helpers for the scripts in deploy/compose (sourced, not run). The caller sets DEMO (the name printed before each
# line), FILE (the compose file), P (the compose project) and, before calling patroni/is_primary, the API map
# (member -> REST port on 127.0.0.1) and BULWARK_SECRETS_DIR (its ca.crt verifies the agents' HTTPS REST APIs).
read -ra COMPOSE <<< "${COMPOSE:-podman-compose}"
ENGINE=${CONTAINER_ENGINE:-podman}
say() { printf '%s %s: %s\n' "$(date +%T)" "$DEMO" "$*"; }
fail() { echo "$(date +%T) $DEMO: FAILED: $*" >&2; exit 1; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

compose() { "${COMPOSE[@]}" -p "$P" -f "$FILE" "$@"; }
container() { # container SERVICE: the container's name, from the compose labels
    $ENGINE ps -a --filter "label=com.docker.compose.project=$P" --filter "label=com.docker.compose.service=$1" \
        --format '{{.Names}}' | head -1
}
# Podman's netavark before 1.9 leaves a bridge's MAC address to the kernel, which gives it the lowest MAC of the
# attached ports: stopping a container can change it, and the other containers then lose the gateway, where
# aardvark-dns answers, until their ARP entry for it expires (seen here: DNS timeouts for ~10-40 s after an etcd
# member's container stopped, enough to fence the primary). Docker, CNI and netavark >= 1.9 set a fixed MAC;
# this does the same for the project's bridge (root only; a no-op when the MAC is already fixed).
pin_bridge_mac() {
    [ "$ENGINE" = podman ] && [ "$(id -u)" -eq 0 ] || return 0
    local br; br=$($ENGINE network inspect -f '{{.NetworkInterface}}' "${P}_default" 2>/dev/null) || return 0
    [ -n "$br" ] && [ -r "/sys/class/net/$br/addr_assign_type" ] || return 0
    [ "$(cat "/sys/class/net/$br/addr_assign_type")" != 3 ] || return 0
    ip link set dev "$br" address "$(cat "/sys/class/net/$br/address")" \
        && say "pinned the MAC address of bridge $br (netavark < 1.9 lets it change when a container stops)"
}

patroni() { curl -fsS --max-time 2 --cacert "$BULWARK_SECRETS_DIR/ca.crt" "https://127.0.0.1:${API[$1]}/patroni" 2>/dev/null; }
is_primary() { patroni "$1" | grep -Eq '"role": "(primary|master)"'; }
is_streaming() { patroni "$1" | grep -q '"replication_state": "streaming"'; }
timeline() { patroni "$1" | grep -o '"timeline": [0-9]*' | grep -o '[0-9]*$'; }
wait_until() { # wait_until SECONDS WHAT COMMAND...
    local limit=$1 deadline=$((SECONDS + $1)) what=$2; shift 2
    until "$@" >/dev/null 2>&1; do [ $SECONDS -lt $deadline ] || fail "timed out after $limit s waiting for $what"; sleep 0.2; done
}
address_of() { $ENGINE inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' "$(container "$1")"; }

