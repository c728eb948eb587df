# A node's bulwark.yml, shared by bin/local-cluster (everything on 127.0.0.1) and bench/faults (each node in its own
# network namespace): the one place where the configuration of a drill or benchmark cluster is written.
# shellcheck shell=bash

# The project's default timing (docs/timing.md), unless BULWARK_TTL/BULWARK_LOOP_WAIT/BULWARK_RETRY_TIMEOUT say
# otherwise. Scripts that report measurements print these values.
NODE_TTL=${BULWARK_TTL:-4}
NODE_LOOP_WAIT=${BULWARK_LOOP_WAIT:-1}
NODE_RETRY_TIMEOUT=${BULWARK_RETRY_TIMEOUT:-1}
# BULWARK_SYNCHRONOUS_MODE=true bootstraps the cluster with synchronous_mode on (default: off, as in Patroni).
NODE_SYNCHRONOUS_MODE=${BULWARK_SYNCHRONOUS_MODE:-false}
# BULWARK_FAILSAFE_MODE=true bootstraps the cluster with failsafe_mode on (default: off, as in Patroni).
NODE_FAILSAFE_MODE=${BULWARK_FAILSAFE_MODE:-false}

# NODE_STANDBY_OF=host:port makes the cluster a standby cluster of the primary at that address (bin/local-cluster's
# site b follows site a's HAProxy primary port); empty (the default): a primary cluster.
NODE_STANDBY_OF=${NODE_STANDBY_OF:-}
# NODE_PGBACKREST_CONF: a pgBackRest configuration file whose stanza NODE_PGBACKREST_STANZA holds the repository: each
# node's bulwark.pgbackrest section then makes it archive its WAL there (archive_command), its replicas also replay
# from it (restore_command), and bulwarkctl backup back it up. Empty (the default): no archive.
NODE_PGBACKREST_CONF=${NODE_PGBACKREST_CONF:-}
NODE_PGBACKREST_STANZA=${NODE_PGBACKREST_STANZA:-local}
# NODE_BOOTSTRAP_EXTRA: more lines of the bootstrap section, indented by two spaces and ending with a newline (bin/dr-drill
# sets a custom bootstrap method there for its point-in-time restore); empty by default.
NODE_BOOTSTRAP_EXTRA=${NODE_BOOTSTRAP_EXTRA:-}

# node_config_yaml NAME SCOPE API_ADDRESS PG_ADDRESS ETCD_HOSTS NODE_DIR: print the configuration of member NAME.
# API_ADDRESS and PG_ADDRESS (host:port) are both listened on and advertised; ETCD_HOSTS is a comma-separated
# host:port list; NODE_DIR holds the data directory (NODE_DIR/data), the pgpass file and PostgreSQL's socket.
# Credentials come from REST_USER, REST_PASSWORD, SU_PASSWORD and REPL_PASSWORD.
node_config_yaml() {
    local name=$1 scope=$2 api=$3 pg=$4 etcd_hosts=$5 dir=$6
    cat <<YAML
scope: $scope
namespace: /service/
name: $name
restapi:
  listen: $api
  connect_address: $api
  authentication:
    username: $REST_USER
    password: $REST_PASSWORD
etcd3:
  hosts: $etcd_hosts
bootstrap:
  dcs:
    ttl: $NODE_TTL
    loop_wait: $NODE_LOOP_WAIT
    retry_timeout: $NODE_RETRY_TIMEOUT
    maximum_lag_on_failover: 1048576
    synchronous_mode: $NODE_SYNCHRONOUS_MODE
    failsafe_mode: $NODE_FAILSAFE_MODE$(standby_cluster_yaml)
    postgresql:
      use_pg_rewind: true
      use_slots: true
  initdb:
    - encoding: UTF8
    - data-checksums
${NODE_BOOTSTRAP_EXTRA}postgresql:
  listen: $pg
  connect_address: $pg
  data_dir: $dir/data
  pgpass: $dir/pgpass
  authentication:
    superuser:
      username: postgres
      password: $SU_PASSWORD
    replication:
      username: replicator
      password: $REPL_PASSWORD
  parameters:
    unix_socket_directories: $dir
log:
  level: INFO
$(pgbackrest_yaml)
YAML
}

# The bootstrap.dcs standby_cluster block for NODE_STANDBY_OF (nothing when it is empty).
standby_cluster_yaml() {
    [ -n "$NODE_STANDBY_OF" ] || return 0
    printf '\n    standby_cluster:\n      host: %s\n      port: %s' "${NODE_STANDBY_OF%:*}" "${NODE_STANDBY_OF##*:}"
}

# The bulwark.pgbackrest section for NODE_PGBACKREST_CONF (nothing without it): the agent derives archive_command,
# restore_command and the backup commands from it.
pgbackrest_yaml() {
    [ -n "$NODE_PGBACKREST_CONF" ] || return 0
    printf 'bulwark:\n  pgbackrest:\n    stanza: %s\n    config: %s\n' "$NODE_PGBACKREST_STANZA" "$NODE_PGBACKREST_CONF"
}
