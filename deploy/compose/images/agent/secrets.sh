# Sourced by the entrypoint and the bulwarkctl wrapper. export_secret NAME: when NAME_FILE is set, export NAME with
# that file's first line (Docker/Podman secrets); then NAME must be non-empty, else a clear error and exit 64.
# Values are never printed.
export_secret() {
    local name=$1 file_var="${1}_FILE"
    if [ -n "${!file_var:-}" ]; then
        [ -r "${!file_var}" ] || { echo "bulwark: error: $file_var=${!file_var} is not a readable file" >&2; exit 64; }
        export "$name=$(head -n 1 "${!file_var}")"
        unset "$file_var"
    fi
    [ -n "${!name:-}" ] || { echo "bulwark: error: $name (or $file_var) is required and empty" >&2; exit 64; }
}
BULWARK_CONFIG=${BULWARK_CONFIG:-/etc/bulwark/bulwark.yml}
BULWARK_REQUIRED_SECRETS=${BULWARK_REQUIRED_SECRETS-PATRONI_SUPERUSER_PASSWORD PATRONI_REPLICATION_PASSWORD PATRONI_RESTAPI_PASSWORD}
