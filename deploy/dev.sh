#!/usr/bin/env bash
# The two commands of the README:
#   deploy/dev.sh run    install what is missing, build, start Kring on http://127.0.0.1:8080
#   deploy/dev.sh test   install what is missing, build with warnings as errors, run every test
# and what CI runs after them:
#   deploy/dev.sh sanitize address   every test again under AddressSanitizer + UndefinedBehaviorSanitizer
#   deploy/dev.sh sanitize thread    every test again under ThreadSanitizer
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=${KRING_BUILD_DIR:-build}
# Tests at once: one more than the cores, since most suites spend much of
# their time waiting on the network and on timers (on 2 cores, -j3 took the
# ThreadSanitizer run's tests from 146 s to 109 s, and -j4 did no better).
jobs=$(($(nproc) + 1))

case "${1:-}" in
run)
    deploy/install-deps.sh
    cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
    cmake --build "$build_dir" --target kring
    mkdir -p data
    # The web client from the source tree: an installed kring finds its own.
    exec "$build_dir/server/kring" serve --listen 127.0.0.1:8080 --db data/kring.db --demo --web-root web-client
    ;;
test)
    deploy/install-deps.sh --test
    # Playwright for the browser tests, as the lockfile pins it (no browser
    # is downloaded: they drive Debian's chromium).
    (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
    # A unity build: Boost's headers are compiled once per batch of sources,
    # not once per source, which saves minutes on a small machine.
    cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKRING_WERROR=ON -DCMAKE_UNITY_BUILD=ON
    cmake --build "$build_dir"
    cd "$build_dir"
    exec ctest --output-on-failure --timeout 300 -j "$jobs"
    ;;
sanitize)
    kind=${2:-}
    case "$kind" in
    address | thread) ;;
    *) echo "usage: deploy/dev.sh sanitize address|thread" >&2; exit 2 ;;
    esac
    deploy/install-deps.sh --test
    dir="$build_dir-$kind"
    # Line tables, for readable reports. A unity build compiles the Boost
    # code the sources instantiate once per batch of sources, not once per
    # source, which the sanitizers make dear. ThreadSanitizer at -O1 (it
    # slows the code most); AddressSanitizer at -O0, which builds in half the
    # time, and the tests, mostly waiting on the network, hardly notice.
    level=-O1
    [ "$kind" = address ] && level=-O0
    cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_FLAGS_DEBUG=$level -g1" \
          -DKRING_WERROR=ON -DKRING_SANITIZE="$kind" -DCMAKE_UNITY_BUILD=ON
    cmake --build "$dir"
    # Every process a test starts (the kring server, its admin commands) writes
    # its reports here, so that a finding in a child process fails the run too.
    reports="$(pwd)/$dir/sanitizer-reports"
    rm -rf "$reports" && mkdir -p "$reports"
    export ASAN_OPTIONS="log_path=$reports/asan:detect_leaks=1:strict_string_checks=1"
    export UBSAN_OPTIONS="log_path=$reports/ubsan:print_stacktrace=1:halt_on_error=1"
    export TSAN_OPTIONS="log_path=$reports/tsan:halt_on_error=0:second_deadlock_stack=1:suppressions=$(pwd)/tests/tsan.supp"
    status=0
    (cd "$dir" && ctest --output-on-failure --timeout 600 -j "$jobs") || status=$?
    if [ -n "$(ls -A "$reports")" ]; then
        echo "dev.sh: the sanitizer reported:" >&2
        cat "$reports"/* >&2
        status=1
    fi
    exit "$status"
    ;;
*)
    echo "usage: deploy/dev.sh run|test|sanitize address|thread" >&2
    exit 2
    ;;
esac
