# shellcheck shell=bash
# Finds a JDK 21 or newer and exports JAVA_HOME. Sourced by bin/tradeplane and .ci/run.
#
#   tradeplane_find_jdk   # sets and exports JAVA_HOME, or prints why not to stderr and returns 1
#
# Order: $JAVA_HOME if it is 21+; the newest 21+ JDK under /usr/lib/jvm; macOS' java_home; `java` on PATH.

TRADEPLANE_MIN_JAVA=21

# Prints the major version of the given java executable (8 for "1.8.0_392", 25 for "25.0.3"), or nothing.
tradeplane_java_major() {
    local java=$1 version
    [ -x "$java" ] || return 0
    version=$("$java" -version 2>&1 | awk -F'"' '/version/ { print $2; exit }')
    case "$version" in
        1.*) version=${version#1.} ;;
    esac
    version=${version%%[.+_-]*}
    case "$version" in
        '' | *[!0-9]*) return 0 ;;
    esac
    printf '%s\n' "$version"
}

# True if the JDK at $1 has a java (and a javac: Maven compiles) of version 21 or newer.
tradeplane_is_jdk21() {
    local home=$1 major
    [ -n "$home" ] && [ -x "$home/bin/javac" ] || return 1
    major=$(tradeplane_java_major "$home/bin/java")
    [ -n "$major" ] && [ "$major" -ge "$TRADEPLANE_MIN_JAVA" ]
}

tradeplane_find_jdk() {
    local candidate best='' best_major=0 major java
    if tradeplane_is_jdk21 "${JAVA_HOME:-}"; then
        export JAVA_HOME
        return 0
    fi
    for candidate in /usr/lib/jvm/*; do
        [ -d "$candidate" ] || continue
        tradeplane_is_jdk21 "$candidate" || continue
        major=$(tradeplane_java_major "$candidate/bin/java")
        if [ "$major" -gt "$best_major" ]; then
            best=$candidate
            best_major=$major
        fi
    done
    if [ -z "$best" ] && [ -x /usr/libexec/java_home ]; then
        candidate=$(/usr/libexec/java_home -v "$TRADEPLANE_MIN_JAVA+" 2>/dev/null || true)
        tradeplane_is_jdk21 "$candidate" && best=$candidate
    fi
    if [ -z "$best" ] && java=$(command -v java 2>/dev/null); then
        java=$(readlink -f "$java" 2>/dev/null || printf '%s' "$java")
        candidate=$(dirname "$(dirname "$java")")
        tradeplane_is_jdk21 "$candidate" && best=$candidate
    fi
    if [ -z "$best" ]; then
        echo "No JDK $TRADEPLANE_MIN_JAVA or newer found (looked at \$JAVA_HOME${JAVA_HOME:+=$JAVA_HOME}," \
            "/usr/lib/jvm/* and java on PATH). Install one (e.g. Temurin $TRADEPLANE_MIN_JAVA) or point" \
            "JAVA_HOME at it." >&2
        return 1
    fi
    JAVA_HOME=$best
    export JAVA_HOME
}
