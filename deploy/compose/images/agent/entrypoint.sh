#!/bin/bash
# Renders /run/bulwark/bulwark.yml (0600, owned by postgres, never in the image or a volume) from the environment
# and starts the agent as the postgres user. Passwords come from VAR or VAR_FILE (a secret file); a missing one
# is a clear error, never a default.
#
# BULWARK_NAME (required)          member name, e.g. node1
# BULWARK_SCOPE (seed)             cluster name
# BULWARK_ETCD_HOSTS (required)    etcd v3 endpoints, host:port[,host:port...]
# BULWARK_CONNECT_HOST ($BULWARK_NAME)  address other members and HAProxy use to reach this node
# BULWARK_PG_PORT (5432), BULWARK_API_PORT (8008)
# BULWARK_SUPERUSER_PASSWORD[_FILE], BULWARK_REPLICATION_PASSWORD[_FILE], BULWARK_REST_PASSWORD[_FILE] (required)
# BULWARK_REST_USERNAME (bulwark), BULWARK_TTL (10), BULWARK_LOOP_WAIT (1), BULWARK_RETRY_TIMEOUT (2)
# BULWARK_ALLOWED_NETWORK (0.0.0.0/0)  clients and replicas admitted by pg_hba (scram-sha-256)
# BULWARK_JVM_OPTS                 JVM options (default: small heap, serial GC)
set -euo pipefail

die() { echo "bulwark-entrypoint: error: $*" >&2; exit 64; }

secret() { # secret NAME: value of $NAME, or the content of the file named by ${NAME}_FILE
    local name=$1 file_var="${1}_FILE" value=""
    if [ -n "${!file_var:-}" ]; then
        [ -r "${!file_var}" ] || die "$file_var=${!file_var} is not a readable file"
        value=$(head -n 1 "${!file_var}")
    elif [ -n "${!name:-}" ]; then
        value=${!name}
    fi
    [ -n "$value" ] || die "$name (or $file_var) is required and empty"
    case $value in *\'*) die "$name must not contain a single quote" ;; esac
    printf '%s' "$value"
}

NAME=${BULWARK_NAME:?bulwark-entrypoint: BULWARK_NAME is required (the member name, e.g. node1)}
ETCD_HOSTS=${BULWARK_ETCD_HOSTS:?bulwark-entrypoint: BULWARK_ETCD_HOSTS is required (e.g. node3:2379)}
SCOPE=${BULWARK_SCOPE:-seed}
HOST=${BULWARK_CONNECT_HOST:-$NAME}
PG_PORT=${BULWARK_PG_PORT:-5432}
API_PORT=${BULWARK_API_PORT:-8008}
NET=${BULWARK_ALLOWED_NETWORK:-0.0.0.0/0}
BIN_DIR=${BULWARK_PG_BIN_DIR:-/usr/lib/postgresql/17/bin}
[ -x "$BIN_DIR/postgres" ] || die "no PostgreSQL server in $BIN_DIR (set BULWARK_PG_BIN_DIR)"
SU_PASSWORD=$(secret BULWARK_SUPERUSER_PASSWORD)
REPL_PASSWORD=$(secret BULWARK_REPLICATION_PASSWORD)
REST_PASSWORD=$(secret BULWARK_REST_PASSWORD)
REST_USER=${BULWARK_REST_USERNAME:-bulwark}
DATA=/var/lib/postgresql/data

if [ "$(id -u)" -eq 0 ]; then
    # A fresh named volume may be root-owned; PostgreSQL wants its own 0700 directory.
    chown postgres:postgres "$DATA" /run/bulwark
    chmod 0700 "$DATA"
fi

hosts_yaml=""
IFS=',' read -ra endpoints <<< "$ETCD_HOSTS"
for e in "${endpoints[@]}"; do hosts_yaml+="    - '$e'"$'\n'; done

umask 077
cat > /run/bulwark/bulwark.yml.tmp <<YAML
scope: '$SCOPE'
namespace: /service/
name: '$NAME'
restapi:
  listen: 0.0.0.0:$API_PORT
  connect_address: '$HOST:$API_PORT'
  authentication:
    username: '$REST_USER'
    password: '$REST_PASSWORD'
etcd3:
  hosts:
$hosts_yaml
bootstrap:
  dcs:
    ttl: ${BULWARK_TTL:-10}
    loop_wait: ${BULWARK_LOOP_WAIT:-1}
    retry_timeout: ${BULWARK_RETRY_TIMEOUT:-2}
    maximum_lag_on_failover: 1048576
    postgresql:
      use_pg_rewind: true
      use_slots: true
      parameters:
        wal_log_hints: 'on'
  initdb:
    - encoding: UTF8
    - data-checksums
postgresql:
  listen: 0.0.0.0:$PG_PORT
  connect_address: '$HOST:$PG_PORT'
  data_dir: $DATA/pgdata
  bin_dir: $BIN_DIR
  pgpass: /run/bulwark/pgpass
  authentication:
    superuser:
      username: postgres
      password: '$SU_PASSWORD'
    replication:
      username: replicator
      password: '$REPL_PASSWORD'
  pg_hba:
    - local all all trust
    - host all all 127.0.0.1/32 scram-sha-256
    - host replication replicator $NET scram-sha-256
    - host all all $NET scram-sha-256
  parameters:
    unix_socket_directories: /run/bulwark
    password_encryption: scram-sha-256
log:
  level: ${BULWARK_LOG_LEVEL:-INFO}
YAML
mv /run/bulwark/bulwark.yml.tmp /run/bulwark/bulwark.yml
unset SU_PASSWORD REPL_PASSWORD REST_PASSWORD BULWARK_SUPERUSER_PASSWORD BULWARK_REPLICATION_PASSWORD BULWARK_REST_PASSWORD

JVM_OPTS=${BULWARK_JVM_OPTS:--Xms8m -Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Dio.netty.noUnsafe=true -XX:+ExitOnOutOfMemoryError}
echo "bulwark-entrypoint: starting $NAME (scope $SCOPE, etcd $ETCD_HOSTS, PostgreSQL $HOST:$PG_PORT, REST $HOST:$API_PORT)"
if [ "$(id -u)" -eq 0 ]; then
    chown postgres:postgres /run/bulwark/bulwark.yml
    # shellcheck disable=SC2086
    exec setpriv --reuid=postgres --regid=postgres --init-groups java $JVM_OPTS -jar /opt/bulwark/bulwark.jar /run/bulwark/bulwark.yml
fi
# shellcheck disable=SC2086
exec java $JVM_OPTS -jar /opt/bulwark/bulwark.jar /run/bulwark/bulwark.yml
