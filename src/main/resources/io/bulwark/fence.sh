#!/bin/bash
# Bulwark's fence: a process apart from the agent's JVM that stops PostgreSQL when the agent's leadership
# deadline passes without a renewal, so a frozen (SIGSTOP), hung or killed agent cannot leave a writable
# primary behind once its lease may have expired. No /dev/watchdog is needed.
#
# usage: fence.sh STATE_FILE DATA_DIR
# STATE_FILE holds one line written by the agent: "AGENT_PID deadline <centiseconds of /proc/uptime>" while it
# leads, "AGENT_PID none" otherwise, "stop" when the agent shuts down cleanly. The agent's pid is read on every
# poll, so an agent that restarts takes this fence over by writing its own pid (with the pending deadline).
# Only agents write STATE_FILE; the fence remembers the deadline it acted on instead of writing back (a write
# from here could overwrite the agent's "stop").
#
# Killing: the pid in the first line of DATA_DIR/postmaster.pid is killed only if it is still this data
# directory's postmaster (alive, named postgres, working directory DATA_DIR): after a crash the pid may belong to
# anything. The postmaster is stopped (SIGSTOP, so it cannot start new children) and every child of it is
# stopped and then killed with its process group (PostgreSQL's children call setsid, so the postmaster's own
# group does not hold them, and a backend that outlives its postmaster can still commit), then the postmaster.
state=$1 datadir=$2 fired=""

log() {
    echo "$(date '+%Y-%m-%d %H:%M:%S,000') WARNING: fence: $*" >&2
}

# "PID PGRP" of each child of $1
children_of() {
    local f line pid ppid pgrp
    for f in /proc/[0-9]*/stat; do
        { read -r line < "$f"; } 2>/dev/null || continue
        read -r _ ppid pgrp _ <<< "${line##*) }"
        pid=${f#/proc/}
        [ "$ppid" = "$1" ] && echo "${pid%/stat} $pgrp"
    done
}

pgrp_of() {
    local line pgrp
    { read -r line < "/proc/$1/stat"; } 2>/dev/null || return 1
    read -r _ _ pgrp _ <<< "${line##*) }"
    echo "$pgrp"
}

# the postmaster of DATA_DIR per postmaster.pid, printed only if that process is really it
verified_postmaster() {
    local pid comm cwd want
    { read -r pid < "$datadir/postmaster.pid"; } 2>/dev/null || return 1
    case $pid in ''|*[!0-9]*) return 1 ;; esac
    { read -r comm < "/proc/$pid/comm"; } 2>/dev/null || return 1
    cwd=$(readlink "/proc/$pid/cwd" 2>/dev/null) || return 1
    want=$(readlink -f "$datadir" 2>/dev/null) || return 1
    if [ "$comm" != postgres ] && [ "$comm" != postmaster ]; then
        log "postmaster.pid names pid $pid, which is '$comm', not postgres; nothing killed"
        return 1
    fi
    if [ "$cwd" != "$want" ]; then
        log "postmaster.pid names pid $pid, a postgres serving $cwd, not $want; nothing killed"
        return 1
    fi
    echo "$pid"
}

# signal $1 to child $2 and, when it leads its own process group (setsid), to that group; never our own group
signal_child() {
    kill "-$1" "$2" 2>/dev/null
    [ "$3" = "$2" ] && [ "$3" != "$mygroup" ] && kill "-$1" -- "-$3" 2>/dev/null
}

fence_postgres() {
    local pm pgrp n=0 pass child cpgrp
    pm=$(verified_postmaster) || return 0
    kill -STOP "$pm" 2>/dev/null || return 0
    for pass in 1 2; do # a second pass catches a child forked while the first was running
        while read -r child cpgrp; do
            [ -n "$child" ] || continue
            signal_child STOP "$child" "$cpgrp"
        done < <(children_of "$pm")
        while read -r child cpgrp; do
            [ -n "$child" ] || continue
            signal_child KILL "$child" "$cpgrp"
            [ $pass = 1 ] && n=$((n + 1))
        done < <(children_of "$pm")
    done
    pgrp=$(pgrp_of "$pm")
    kill -KILL "$pm" 2>/dev/null
    [ "$pgrp" = "$pm" ] && [ "$pgrp" != "$mygroup" ] && kill -KILL -- "-$pgrp" 2>/dev/null
    log "leadership deadline passed without renewal; killed PostgreSQL (postmaster $pm and $n children)"
}

agent_alive() {
    [ "$agent" -gt 1 ] && kill -0 "$agent" 2>/dev/null
}

mygroup=$(pgrp_of $$)
while :; do
    agent="" kind="" deadline=""
    { read -r agent kind deadline < "$state"; } 2>/dev/null
    if [ "$agent" = stop ]; then
        exit 0
    fi
    case $agent in ''|*[!0-9]*) agent=0 ;; esac
    if [ "$kind" = deadline ] && [ -n "$deadline" ]; then
        read -r up _ < /proc/uptime
        now=${up/./}
        if [ "$deadline" != "$fired" ] && (( 10#$now > 10#$deadline )); then
            fence_postgres
            fired=$deadline
        fi
        # a dead agent's pending deadline is still enforced; once it has been, nothing is left to guard
        [ "$deadline" != "$fired" ] || agent_alive || exit 0
    else
        agent_alive || exit 0
    fi
    sleep 0.2
done
