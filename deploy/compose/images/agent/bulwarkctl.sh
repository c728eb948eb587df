#!/bin/sh
# bulwarkctl inside the agent container, using the node's rendered config (run as the postgres user).
set -e
RUN=""
[ "$(id -u)" -ne 0 ] || RUN="setpriv --reuid=postgres --regid=postgres --init-groups"
exec $RUN java -Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Dio.netty.noUnsafe=true \
    -cp /opt/bulwark/bulwark.jar io.bulwark.ctl.BulwarkCtl -c /run/bulwark/bulwark.yml "$@"
