#!/bin/bash
# Starts the Bulwark agent, as the postgres user, on the node YAML mounted at $BULWARK_CONFIG (default
# /etc/bulwark/bulwark.yml; Patroni's schema, see deploy/compose/config/node1.yml). Nothing secret is in the image
# or in that file: passwords come from the environment as Patroni reads them (PATRONI_SUPERUSER_PASSWORD,
# PATRONI_REPLICATION_PASSWORD, PATRONI_RESTAPI_PASSWORD), or from secret files named by the same variables with
# _FILE (compose secrets under /run/secrets: the compose files use these), which are read here and exported to the
# agent's process only, right before it starts: the container's configuration holds file names, no password. A
# missing one stops the container with a message naming it (exit 64), never a default.
# TLS files: every *.crt and *.key in /run/secrets (compose secrets: the deployment's CA, the etcd client
# certificate, this node's REST certificate) is copied into /run/bulwark/tls, owned by postgres, keys mode 0600,
# where the node YAML names them (secret files keep the host's owner and mode, which postgres may not read).
#
# BULWARK_CONFIG (/etc/bulwark/bulwark.yml)  the node YAML; other PATRONI_* variables override its keys
# BULWARK_REQUIRED_SECRETS (the three above)  the variables that must be set
# BULWARK_JVM_OPTS                 JVM options (default: bin/_common.sh's, as for the local cluster)
set -euo pipefail
. /usr/local/lib/bulwark/secrets.sh
die() { echo "bulwark-entrypoint: error: $*" >&2; exit 64; }

[ -f "$BULWARK_CONFIG" ] && [ -r "$BULWARK_CONFIG" ] \
    || die "no node configuration at $BULWARK_CONFIG: mount one (e.g. deploy/compose/config/node1.yml) or set BULWARK_CONFIG"
for s in $BULWARK_REQUIRED_SECRETS; do export_secret "$s"; done

DATA=/var/lib/postgresql/data
if [ "$(id -u)" -eq 0 ]; then
    # A fresh named volume may be root-owned; PostgreSQL wants its own 0700 directory.
    chown postgres:postgres "$DATA" /run/bulwark
    chmod 0700 "$DATA"
    # a pgBackRest repository volume (dr.yml) may be root-owned too; only its top directory, never its contents
    [ ! -d /var/lib/pgbackrest ] || chown postgres:postgres /var/lib/pgbackrest
fi
stage_tls /run/bulwark/tls postgres

# bin/bulwark of the repository (in /opt/bulwark/bin): the local cluster's launcher and JVM options
# (BULWARK_JVM_OPTS replaces them), the image's runtime (JAVA_HOME) and jar (BULWARK_JAR_OVERRIDE).
echo "bulwark-entrypoint: starting the agent on $BULWARK_CONFIG"
if [ "$(id -u)" -eq 0 ]; then
    exec setpriv --reuid=postgres --regid=postgres --init-groups /opt/bulwark/bin/bulwark "$BULWARK_CONFIG"
fi
exec /opt/bulwark/bin/bulwark "$BULWARK_CONFIG"
