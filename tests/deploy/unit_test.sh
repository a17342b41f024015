#!/usr/bin/env bash
# deploy/kring.service: `systemd-analyze verify` accepts it, and its exposure
# by `systemd-analyze security` is at most the figure deploy/README.md gives.
# Usage: unit_test.sh SOURCE_DIR KRING_BINARY
# Both work without systemd as PID 1 (--offline=yes for security; verify
# reads only the file and what it names). Skipped (exit 77) only when
# systemd-analyze is missing: deploy/install-deps.sh --test installs it.
set -euo pipefail

source_dir=$1
binary=$2
unit=$source_dir/deploy/kring.service

if ! command -v systemd-analyze >/dev/null 2>&1; then
    echo "SKIP: systemd-analyze not installed (Debian's systemd package; deploy/install-deps.sh --test)"
    exit 77
fi

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# The unit names /usr/local/bin/kring (install.sh writes its own prefix):
# verify checks that the command exists, so point it at the one just built.
sed "s#/usr/local/bin/kring#$binary#g" "$unit" > "$scratch/kring.service"
grep -q "^ExecStart=$binary serve" "$scratch/kring.service"

if ! out=$(systemd-analyze verify "$scratch/kring.service" 2>&1) || [ -n "$out" ]; then
    echo "FAIL: systemd-analyze verify:"
    echo "$out"
    exit 1
fi

report=$(systemd-analyze security --offline=yes "$scratch/kring.service" 2>&1)
measured=$(sed -n 's/^→ Overall exposure level for kring.service: \([0-9.]*\).*/\1/p' <<<"$report")
documented=$(sed -n 's/^Its exposure is \*\*\([0-9.]*\)\*\*.*/\1/p' "$source_dir/deploy/README.md")
if [ -z "$measured" ] || [ -z "$documented" ]; then
    echo "FAIL: no exposure figure (measured '$measured', documented '$documented')"
    echo "$report" | tail -5
    exit 1
fi
if ! awk -v m="$measured" -v d="$documented" 'BEGIN { exit !(m <= d && d <= 2.0) }'; then
    echo "FAIL: exposure $measured, deploy/README.md says at most $documented (and the target is 2.0)"
    echo "$report" | grep '✗'
    exit 1
fi

# The hardening the issue asks for is there by name, so that lowering the
# figure some other way cannot drop it.
for setting in 'User=kring' 'StateDirectory=kring' 'ProtectSystem=strict' 'ProtectHome=yes' 'PrivateTmp=yes' \
               'NoNewPrivileges=yes' 'CapabilityBoundingSet=CAP_NET_BIND_SERVICE' \
               'AmbientCapabilities=CAP_NET_BIND_SERVICE' 'SystemCallFilter=@system-service' \
               'RestrictAddressFamilies=AF_INET AF_INET6' 'MemoryDenyWriteExecute=yes' 'LimitNOFILE='; do
    grep -q "^$setting" "$unit" || { echo "FAIL: $setting missing from deploy/kring.service"; exit 1; }
done
echo "ok: verify passes, exposure $measured (documented $documented)"
