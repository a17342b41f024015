#!/usr/bin/env bash
# Installs what Kring needs to build (and, with --test, to run its tests) on
# Debian 12 or Ubuntu 24.04. Safe to run again: it installs only what is missing.
set -euo pipefail

want_tests=false
[ "${1:-}" = "--test" ] && want_tests=true

if [ "$(id -u)" -eq 0 ]; then
    as_root=()
elif command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
else
    echo "install-deps: run as root or install sudo" >&2
    exit 1
fi

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
available() { apt-cache show "$1" >/dev/null 2>&1; }

updated=false
apt_update_once() {
    if [ "$updated" = false ]; then
        "${as_root[@]}" apt-get update -qq
        updated=true
    fi
}

# Debian 12 has Boost 1.81; Ubuntu 24.04 has 1.83. Kring needs 1.81 or later.
boost_version=""
for v in 1.81 1.83; do
    if installed "libboost$v-dev"; then boost_version=$v; break; fi
done
if [ -z "$boost_version" ]; then
    apt_update_once
    for v in 1.81 1.83; do
        if available "libboost$v-dev"; then boost_version=$v; break; fi
    done
fi
if [ -z "$boost_version" ]; then
    echo "install-deps: no Boost 1.81 or later among this system's packages" >&2
    exit 1
fi

packages=(g++ cmake ninja-build pkgconf
          "libboost$boost_version-dev" "libboost-json$boost_version-dev"
          libssl-dev libsqlite3-dev libsqlitecpp-dev libargon2-dev doctest-dev
          libcli11-dev libtomlplusplus-dev)
if [ "$want_tests" = true ]; then
    # openssl makes the TLS tests' certificates; nginx and caddy check deploy/
    # and nginx runs the suite through a reverse proxy.
    packages+=(python3 python3-websockets openssl nginx caddy)
fi

missing=()
for p in "${packages[@]}"; do
    installed "$p" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    apt_update_once
    echo "install-deps: installing ${missing[*]}"
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
