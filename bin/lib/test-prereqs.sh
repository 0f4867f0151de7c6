# shellcheck shell=bash
# What the test suite needs besides a JDK, made ready before `./mvnw verify`. Sourced by bin/tradeplane.
#
#   tradeplane_test_prereqs   # starts the machine's PostgreSQL and Redis if installed but down, installs the
#                             # Debian packages the tests run (prometheus, chromium, chromium-driver, docker-compose)
#                             # when missing, checks docker-compose.yml; returns 1 saying what is missing otherwise
#
# PostgreSQL and Redis are optional: the tests start embedded ones when none answers on 127.0.0.1.

# True if something accepts TCP connections on 127.0.0.1:$1.
tradeplane_port_open() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

tradeplane_postgres_up() {
    if command -v pg_isready >/dev/null 2>&1; then
        pg_isready -q -h 127.0.0.1 -p 5432
    else
        tradeplane_port_open 5432
    fi
}

tradeplane_redis_up() {
    if command -v redis-cli >/dev/null 2>&1; then
        [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = PONG ]
    else
        tradeplane_port_open 6379
    fi
}

# Waits up to $2 seconds for the check $1 to pass.
tradeplane_await() {
    local check=$1 seconds=$2
    while [ "$seconds" -gt 0 ]; do
        "$check" && return 0
        sleep 1
        seconds=$((seconds - 1))
    done
    "$check"
}

# Installs Debian packages as root, or with sudo when it needs no password; returns 1 when it cannot.
tradeplane_apt_install() {
    local sudo=""
    command -v apt-get >/dev/null 2>&1 || return 1
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null || return 1
        sudo="sudo -n"
    fi
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "$@" >/dev/null ||
        { $sudo apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "$@" >/dev/null; }
}

# Installs Debian package $1 unless the check $2 passes; $3 says which tests need it. Returns 1 if it stays missing.
tradeplane_need() {
    local package=$1 check=$2 why=$3
    "$check" && return 0
    echo "[test] Installing the Debian package $package ($why)"
    tradeplane_apt_install "$package" && "$check" && return 0
    echo "[test] Missing: $package ($why). Install it (apt-get install $package), then run the tests again." >&2
    return 1
}

tradeplane_has_prometheus() { command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1; }
tradeplane_has_chromium() { [ -x "${TRADEPLANE_CHROMIUM:-/usr/bin/chromium}" ]; }
tradeplane_has_chromedriver() { [ -x "${TRADEPLANE_CHROMEDRIVER:-/usr/bin/chromedriver}" ]; }
tradeplane_has_compose() { command -v docker-compose >/dev/null 2>&1; }

tradeplane_test_prereqs() {
    local root=$1 missing=0
    if tradeplane_postgres_up; then
        echo "[test] PostgreSQL answers on 127.0.0.1:5432"
    elif [ -d /etc/postgresql ] && command -v pg_ctlcluster >/dev/null 2>&1; then
        echo "[test] Starting the machine's PostgreSQL"
        # shellcheck disable=SC2046 # one word per installed version
        pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start ||
            echo "[test] pg_ctlcluster failed; the tests will start an embedded PostgreSQL"
        tradeplane_await tradeplane_postgres_up 30 || echo "[test] PostgreSQL still does not answer; the tests will start an embedded one"
    else
        echo "[test] No PostgreSQL on 127.0.0.1:5432; the tests will start an embedded one"
    fi

    if tradeplane_redis_up; then
        echo "[test] Redis answers on 127.0.0.1:6379"
    elif command -v redis-server >/dev/null 2>&1; then
        echo "[test] Starting the machine's Redis"
        redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no ||
            echo "[test] redis-server failed; the tests will start an embedded Redis"
        tradeplane_await tradeplane_redis_up 15 || echo "[test] Redis still does not answer; the tests will start an embedded one"
    else
        echo "[test] No Redis on 127.0.0.1:6379; the tests will start an embedded one"
    fi

    tradeplane_need prometheus tradeplane_has_prometheus "ObservabilityIT checks every Grafana query against a real Prometheus" || missing=1
    tradeplane_need chromium tradeplane_has_chromium "DashboardBrowserIT drives the dashboard in a headless browser" || missing=1
    tradeplane_need chromium-driver tradeplane_has_chromedriver "DashboardBrowserIT" || missing=1
    if tradeplane_need docker-compose tradeplane_has_compose "docker-compose.yml is checked with docker-compose config"; then
        if OPS_TOKEN=compose-check-token-0123 POSTGRES_PASSWORD=check GRAFANA_ADMIN_PASSWORD=check \
            docker-compose -f "$root/docker-compose.yml" config -q; then
            echo "[test] docker-compose.yml is valid"
        else
            echo "[test] docker-compose.yml is not valid" >&2
            missing=1
        fi
    else
        missing=1
    fi
    return "$missing"
}
