#!/usr/bin/env bash
# The two commands of the README:
#   deploy/dev.sh run    install what is missing, build, start Kring on http://127.0.0.1:8080
#   deploy/dev.sh test   install what is missing, build with warnings as errors, run every test
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=${KRING_BUILD_DIR:-build}

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
    cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKRING_WERROR=ON
    cmake --build "$build_dir"
    cd "$build_dir"
    exec ctest --output-on-failure --timeout 300 -j "$(nproc)"
    ;;
*)
    echo "usage: deploy/dev.sh run|test" >&2
    exit 2
    ;;
esac
