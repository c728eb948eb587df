#!/bin/bash
# bulwarkctl inside the agent container: the node's YAML and the container's PATRONI_* environment (as patronictl),
# run as the postgres user. Only the REST password is needed (for switchover, restart, ...), and only when set.
set -euo pipefail
BULWARK_REQUIRED_SECRETS=""
. /usr/local/lib/bulwark/secrets.sh
[ -z "${PATRONI_RESTAPI_PASSWORD_FILE:-}" ] || export_secret PATRONI_RESTAPI_PASSWORD
RUN=()
[ "$(id -u)" -ne 0 ] || RUN=(setpriv --reuid=postgres --regid=postgres --init-groups)
exec "${RUN[@]}" /opt/bulwark/bin/bulwarkctl -c "$BULWARK_CONFIG" "$@"
