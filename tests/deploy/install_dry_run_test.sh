#!/usr/bin/env bash
# deploy/install.sh --dry-run into a scratch root: it writes what it says
# (the binary and web client under the prefix, the config, the units), runs
# nothing outside the root, and a second run succeeds and keeps the config.
# Usage: install_dry_run_test.sh SOURCE_DIR BUILD_DIR
set -euo pipefail

source_dir=$1
build_dir=$2
script=$source_dir/deploy/install.sh
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

run() { "$script" --dry-run --root "$scratch" --prefix /opt/kring --name chat.example.org \
            --no-build --build-dir "$build_dir"; }

first=$(run) || fail "the first run failed: $first"
for file in /opt/kring/bin/kring /opt/kring/share/kring/web-client/index.html \
            /opt/kring/share/doc/kring/examples/kring.toml.example \
            /etc/kring/kring.toml /etc/systemd/system/kring.service \
            /etc/systemd/system/kring-backup.service /etc/systemd/system/kring-backup.timer; do
    [ -f "$scratch$file" ] || fail "$file was not written"
done
[ -x "$scratch/opt/kring/bin/kring" ] || fail "kring is not executable"
[ -d "$scratch/var/lib/kring" ] && [ "$(stat -c %a "$scratch/var/lib/kring")" = 700 ] ||
    fail "/var/lib/kring missing or not 0700"

config=$scratch/etc/kring/kring.toml
"$scratch/opt/kring/bin/kring" check-config "$config" >/dev/null || fail "the config it wrote is refused"
grep -qx 'web-root = "/opt/kring/share/kring/web-client"' "$config" || fail "web-root is not the prefix's"
grep -qx 'server-name = \["chat.example.org"\]' "$config" || fail "--name did not reach server-name"
grep -qx 'allow-origin = \["https://chat.example.org"\]' "$config" || fail "--name did not reach allow-origin"
grep -q '^metrics-listen = "127.0.0.1:9464"' "$config" || fail "no loopback metrics listener"

unit=$scratch/etc/systemd/system/kring.service
grep -qx 'ExecStart=/opt/kring/bin/kring serve --config /etc/kring/kring.toml' "$unit" ||
    fail "the unit does not run the prefix's kring"
! grep -q /usr/local/bin/kring "$scratch"/etc/systemd/system/* || fail "a unit still runs /usr/local/bin/kring"
grep -q "^ExecStart=/bin/sh -c 'exec /opt/kring/bin/kring backup" "$scratch/etc/systemd/system/kring-backup.service" ||
    fail "the backup unit does not run the prefix's kring"

# What would change the system is only printed.
for planned in "would run: $source_dir/deploy/install-deps.sh" "would run: chown kring:kring /var/lib/kring /var/backups/kring" \
               "would run: systemctl enable kring.service kring-backup.timer" \
               "would run: systemctl restart kring.service"; do
    grep -qxF "$planned" <<<"$first" || fail "it does not say: $planned"
done
grep -q "moderator add YOUR-NAME --admin --db /var/lib/kring/kring.db" <<<"$first" || fail "no first-admin step"
grep -q "DNS" <<<"$first" || fail "no DNS step"
grep -qi "certificates" <<<"$first" || fail "no certificates step"

# Twice: fine, and the admin's edits to the config are kept.
echo "max-connections = 500" >> "$config"
second=$(run) || fail "the second run failed: $second"
grep -qx "install: keeping /etc/kring/kring.toml" <<<"$second" || fail "the second run did not keep the config"
grep -qx "max-connections = 500" "$config" || fail "the second run lost the admin's edit"

# --caddy: Caddy's site for the name, and a config that trusts it.
caddy_root=$(mktemp -d)
trap 'rm -rf "$scratch" "$caddy_root"' EXIT
with_caddy=$("$script" --dry-run --root "$caddy_root" --name chat.example.org --caddy \
                 --no-build --build-dir "$build_dir") || fail "--caddy failed: $with_caddy"
caddyfile=$caddy_root/etc/caddy/Caddyfile
[ -f "$caddyfile" ] || fail "--caddy wrote no /etc/caddy/Caddyfile"
grep -qx 'chat.example.org {' "$caddyfile" || fail "the Caddyfile is not for chat.example.org"
! grep -q kring.example.org "$caddyfile" || fail "the Caddyfile still names kring.example.org"
grep -qx 'trusted-proxy = \["127.0.0.1"\]        # Caddy, in front: it names each client' \
    "$caddy_root/etc/kring/kring.toml" || fail "--caddy did not trust Caddy in the config"
"$caddy_root/usr/local/bin/kring" check-config "$caddy_root/etc/kring/kring.toml" >/dev/null ||
    fail "the config --caddy wrote is refused"
for planned in "would run: apt-get install -y --no-install-recommends caddy" \
               "would run: caddy validate --adapter caddyfile --config /etc/caddy/Caddyfile" \
               "would run: systemctl reload-or-restart caddy"; do
    grep -qxF "$planned" <<<"$with_caddy" || fail "--caddy does not say: $planned"
done
grep -q "https://chat.example.org/" <<<"$with_caddy" || fail "--caddy does not say where the chat will be"
if command -v caddy >/dev/null; then
    caddy validate --adapter caddyfile --config "$caddyfile" >/dev/null 2>&1 || fail "caddy validate refuses what --caddy wrote"
fi
# An admin's own Caddyfile is kept; Kring's site goes beside it.
echo "other.example.org { respond hello }" > "$caddyfile"
again=$("$script" --dry-run --root "$caddy_root" --name chat.example.org --caddy \
            --no-build --build-dir "$build_dir") || fail "--caddy again failed: $again"
grep -qx "other.example.org { respond hello }" "$caddyfile" || fail "--caddy overwrote the admin's Caddyfile"
grep -qx 'chat.example.org {' "$caddy_root/etc/caddy/Caddyfile.kring" || fail "no Caddyfile.kring beside the admin's"
if "$script" --dry-run --root "$caddy_root" --caddy --no-build --build-dir "$build_dir" >/dev/null 2>&1; then
    fail "--caddy without --name was accepted"
fi

# Refusals: a root other than / only for a dry run; a bad name.
if "$script" --root "$scratch" --no-build --build-dir "$build_dir" >/dev/null 2>&1; then
    fail "--root without --dry-run was accepted"
fi
if "$script" --dry-run --root "$scratch" --name 'bad name;rm' --no-build --build-dir "$build_dir" >/dev/null 2>&1; then
    fail "a bad --name was accepted"
fi
echo "ok"
