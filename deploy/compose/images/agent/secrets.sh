# Sourced by the entrypoint and the bulwarkctl wrapper. export_secret NAME: when NAME_FILE is set, export NAME with
# that file's first line (Docker/Podman secrets); then NAME must be non-empty, else a clear error and exit 64.
# Values are never printed. stage_tls DIR USER: copy the *.crt and *.key secrets of /run/secrets into DIR for USER.
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
stage_tls() {
    local dir=$1 user=$2 f own=()
    [ "$(id -u)" -ne 0 ] || own=(-o "$user" -g "$user")
    install -d -m 0700 "${own[@]}" "$dir"
    for f in /run/secrets/*.crt /run/secrets/*.key; do
        [ -f "$f" ] || continue
        [ -r "$f" ] || { echo "bulwark: error: $f is not readable (a TLS secret)" >&2; exit 64; }
        case $f in
            *.key) install -m 0600 "${own[@]}" "$f" "$dir/" ;;
            *) install -m 0644 "${own[@]}" "$f" "$dir/" ;;
        esac
    done
}
