#!/bin/bash
# bulwarkctl inside the agent container: the node's YAML and the container's PATRONI_* environment (as patronictl),
# run as the postgres user. The passwords are read from the compose secrets named by PATRONI_*_FILE, when set: the
# REST password for switchover, restart, backup, ...; the superuser's for query (and no _FILE variable is left for
# the configuration reader to warn about).
set -euo pipefail
BULWARK_REQUIRED_SECRETS=""
. /usr/local/lib/bulwark/secrets.sh
for s in PATRONI_RESTAPI_PASSWORD PATRONI_SUPERUSER_PASSWORD PATRONI_REPLICATION_PASSWORD; do
    f=${s}_FILE
    [ -z "${!f:-}" ] || export_secret "$s"
done
RUN=()
[ "$(id -u)" -ne 0 ] || RUN=(setpriv --reuid=postgres --regid=postgres --init-groups)
exec "${RUN[@]}" /opt/bulwark/bin/bulwarkctl -c "$BULWARK_CONFIG" "$@"
