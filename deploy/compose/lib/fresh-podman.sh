# A Podman state created from nothing, for deploy/compose/test (sourced, not run): its own storage (graphroot,
# runroot), its own containers.conf and network definitions, so that nothing installed or configured earlier on
# this machine can hide a missing step of prepare-podman/build-base. What it writes into containers.conf is only
# where the state lives; prepare-podman must add everything else (runtime, ulimits, network backend).
# Sets and exports CONTAINERS_CONF and CONTAINERS_STORAGE_CONF; removes the state again on fresh_podman_remove.
#   BULWARK_PODMAN_STATE   directory of the state (default /var/tmp/bulwark-podman-test); removed first
FRESH=${BULWARK_PODMAN_STATE:-/var/tmp/bulwark-podman-test}
FRESH_RUN=/run/bulwark-podman-test

fresh_podman_remove() {
    [ -d "$FRESH" ] || return 0
    if [ -f "$FRESH/storage.conf" ] && command -v podman >/dev/null; then
        CONTAINERS_CONF=$FRESH/containers.conf CONTAINERS_STORAGE_CONF=$FRESH/storage.conf \
            podman system reset --force >/dev/null 2>&1 || true
    fi
    rm -rf "$FRESH" "$FRESH_RUN"
}

fresh_podman_create() {
    fresh_podman_remove
    mkdir -p "$FRESH/networks" "$FRESH_RUN"
    cat > "$FRESH/storage.conf" <<CONF
[storage]
driver = "overlay"
graphroot = "$FRESH/root"
runroot = "$FRESH_RUN/runroot"
CONF
    cat > "$FRESH/containers.conf" <<CONF
# where deploy/compose/test's Podman state lives (lib/fresh-podman.sh); prepare-podman adds the rest
[engine]
tmp_dir = "$FRESH_RUN/libpod"
[network]
network_config_dir = "$FRESH/networks"
CONF
    export CONTAINERS_CONF=$FRESH/containers.conf CONTAINERS_STORAGE_CONF=$FRESH/storage.conf
}
