#!/bin/bash
# Bulwark's fence: a process apart from the agent's JVM that stops PostgreSQL when the agent's leadership
# deadline passes without a renewal, so a frozen (SIGSTOP), hung or killed agent cannot leave a writable
# primary behind once its lease may have expired. No /dev/watchdog is needed.
#
# usage: fence.sh STATE_FILE DATA_DIR AGENT_PID
# STATE_FILE holds one line written by the agent: "deadline <centiseconds of /proc/uptime>" while it leads,
# "none" otherwise, "stop" when the agent shuts down cleanly.
# Only the agent writes STATE_FILE; the fence remembers the deadline it acted on instead of writing back (a write
# from here could overwrite the agent's "stop").
state=$1 datadir=$2 agent=$3 fired=""
while :; do
    line=""
    read -r line < "$state" 2>/dev/null
    case $line in
        stop)
            exit 0 ;;
        deadline\ *)
            read -r up _ < /proc/uptime
            now=${up/./}
            deadline=${line#deadline }
            if [ "$deadline" != "$fired" ] && (( 10#$now > 10#$deadline )); then
                pid=""
                read -r pid < "$datadir/postmaster.pid" 2>/dev/null
                if [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null; then
                    echo "$(date '+%Y-%m-%d %H:%M:%S,000') WARNING: fence: leadership deadline passed without renewal; killed PostgreSQL (postmaster $pid)" >&2
                fi
                fired=$deadline
            fi
            # a dead agent's pending deadline is still enforced; once it has been, nothing is left to guard
            [ "$deadline" != "$fired" ] || kill -0 "$agent" 2>/dev/null || exit 0 ;;
        *)
            kill -0 "$agent" 2>/dev/null || exit 0 ;;
    esac
    sleep 0.2
done
