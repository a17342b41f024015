#!/usr/bin/env bash
# Installs what Kring needs to build (and, with --test, to run its tests;
# with --fuzz, to build and run its fuzz targets) on Debian 12 or Ubuntu
# 24.04. Safe to run again: it installs only what is missing.
set -euo pipefail

# --test: also what the tests need. --runtime: only what the built kring needs
# to run (the Docker image's last stage). --list: print the packages, install nothing.
want_tests=false
want_runtime=false
want_fuzz=false
list_only=false
for arg in "$@"; do
    case $arg in
        --test) want_tests=true ;;
        --runtime) want_runtime=true ;;
        --fuzz) want_fuzz=true ;;
        --list) list_only=true ;;
        *) echo "usage: install-deps.sh [--test | --runtime] [--fuzz] [--list]" >&2; exit 2 ;;
    esac
done

if [ "$(id -u)" -eq 0 ] || [ "$list_only" = true ]; then
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
          libssl-dev libsqlite3-dev libsqlitecpp-dev libargon2-dev libicu-dev doctest-dev
          libcli11-dev libtomlplusplus-dev libhowardhinnant-date-dev libpq-dev
          fonts-sil-abyssinica # the web client's Ethiopic font, for Tigrinya (cmake --install copies it)
          esbuild)             # bundles and minifies the web client at cmake --install
if [ "$want_runtime" = true ]; then
    # What `ldd kring` names, by package (Debian 12's names).
    # tzdata: the time zones of the circles' schedules.
    # libpq5: the PostgreSQL store; postgresql-client: its backups (pg_dump).
    packages=(libssl3 libargon2-1 libsqlite3-0 "libboost-json$boost_version.0" libtomlplusplus3 libicu72 libdate-tz3
              tzdata libpq5 postgresql-client libstdc++6)
fi
if [ "$want_tests" = true ]; then
    # systemd-analyze checks the unit, promtool checks /metrics; openssl makes
    # the TLS tests' certificates; nginx and caddy check deploy/ and nginx runs
    # the suite through a reverse proxy; postgresql is the server the
    # PostgreSQL store's tests start for themselves, haproxy checks
    # deploy/haproxy and routes the two-node test's circles; chromium is the
    # browser the web client's tests drive (tests/browser).
    packages+=(python3 python3-websockets nodejs systemd prometheus openssl nginx caddy postgresql haproxy
               chromium)
    # npm installs Playwright there; NodeSource's nodejs carries its own.
    command -v npm >/dev/null || packages+=(npm)
fi
if [ "$want_fuzz" = true ]; then
    packages+=(clang-14 libclang-rt-14-dev) # libFuzzer and the sanitizers' runtimes
fi

if [ "$list_only" = true ]; then
    printf '%s\n' "${packages[@]}"
    exit 0
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
