# Shared by the bin/ scripts: locate the repository, a JDK 21+, and the built jar; the JVM options of the agent and
# of bulwarkctl. The container images run these same scripts (deploy/compose/images/agent: bin/ in /opt/bulwark/bin,
# JAVA_HOME the image's runtime, BULWARK_JAR_OVERRIDE its jar), so the options are set here and only here.
# shellcheck shell=bash

BULWARK_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BULWARK_JAR="$BULWARK_HOME/target/bulwark.jar"

# java_major BIN: print the feature version of a java binary (17, 21, 25...), or nothing.
java_major() {
    "$1" -version 2>&1 | awk -F'"' '/version/ {print $2; exit}' | awk -F. '{print ($1 == "1") ? $2 : $1}'
}

# find_java: print the path of a java binary of version 21 or newer. JAVA_HOME wins if it qualifies;
# otherwise the newest JDK under /usr/lib/jvm. Fails with a clear message when there is none.
find_java() {
    local candidate best="" best_version=0 v
    if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
        v=$(java_major "$JAVA_HOME/bin/java")
        if [ "${v:-0}" -ge 21 ]; then echo "$JAVA_HOME/bin/java"; return 0; fi
    fi
    for candidate in /usr/lib/jvm/*/bin/java; do
        [ -x "$candidate" ] || continue
        v=$(java_major "$candidate")
        if [ "${v:-0}" -ge 21 ] && [ "$v" -gt "$best_version" ]; then best="$candidate"; best_version=$v; fi
    done
    if [ -z "$best" ]; then
        echo "error: Bulwark needs a JDK 21 or newer; none found in JAVA_HOME (${JAVA_HOME:-unset}) or /usr/lib/jvm" >&2
        return 1
    fi
    echo "$best"
}

# java_home_of BIN: the JDK directory of a java binary.
java_home_of() {
    dirname "$(dirname "$1")"
}

# ensure_jar: build target/bulwark.jar if it is missing or older than the sources.
ensure_jar() {
    if [ ! -f "$BULWARK_JAR" ] || [ -n "$(find "$BULWARK_HOME/src/main" "$BULWARK_HOME/pom.xml" -newer "$BULWARK_JAR" -print -quit)" ]; then
        "$BULWARK_HOME/bin/build" >&2
    fi
}

# JVM settings for a small, quick agent: small heap returned to the OS when idle, serial GC, C1 only; glibc
# malloc arenas capped (the JVM's default of 8 per core mostly holds empty memory). A fixed 2 MB young generation:
# left to itself it grows to a third of the heap, and an idle agent touches all of that eden between collections
# (about 0.6 MB/s of garbage; young collections stay under 1 ms). io.netty.allocator.maxOrder=3: gRPC's pooled
# Netty buffers in 64 KB chunks; without the property gRPC forces 2 MB chunks, one of which sits in the heap for
# a few hundred bytes of etcd traffic (bigger messages are simply allocated unpooled).
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
BULWARK_JVM_OPTS_DEFAULT="-Xms8m -Xmx64m -Xmn2m -XX:MaxHeapFreeRatio=30 -XX:MinHeapFreeRatio=10 -Xss512k -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=24m -XX:MaxMetaspaceSize=96m -XX:MaxDirectMemorySize=32m -Dio.netty.allocator.numDirectArenas=1 -Dio.netty.allocator.numHeapArenas=1 -Dio.netty.allocator.maxOrder=3 -Dio.netty.noUnsafe=true -XX:+ExitOnOutOfMemoryError"

# jvm_opts JAVA_BIN: default JVM options for that java. From JDK 22 on, hand freed malloc memory (C1 compiler
# arenas, start-up garbage) back to the OS every 5 s (the flag is only experimental in JDK 21). From JDK 24 on,
# allow the sun.misc.Unsafe memory access that gRPC's Netty and protobuf still use (otherwise the JVM prints a
# deprecation warning at start).
jvm_opts() {
    local v opts=$BULWARK_JVM_OPTS_DEFAULT; v=$(java_major "$1")
    if [ "${v:-0}" -ge 22 ]; then opts="$opts -XX:TrimNativeHeapInterval=5000"; fi
    if [ "${v:-0}" -ge 24 ]; then opts="$opts --sun-misc-unsafe-memory-access=allow"; fi
    echo "$opts"
}

# ctl_jvm_opts JAVA_BIN: JVM options for bulwarkctl, a short-lived command: small heap, C1 only, the JDK's class
# data sharing archive when there is one.
ctl_jvm_opts() {
    local v opts="-Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto -Dio.netty.noUnsafe=true"
    v=$(java_major "$1")
    if [ "${v:-0}" -ge 24 ]; then opts="$opts --sun-misc-unsafe-memory-access=allow"; fi
    echo "$opts"
}
