#!/usr/bin/env bash
# Installs Kring on a Debian 12 or Ubuntu 24.04 server and starts it:
# the build dependencies, the binary and the web client, the system user
# kring, /etc/kring/kring.toml, the systemd units, then prints what is left
# to do (the first admin, DNS, certificates). Safe to run again: it builds
# and installs anew, keeps an existing config, and restarts the server.
#
#   sudo deploy/install.sh [--prefix DIR] [--name DNS_NAME [--caddy]]
#   deploy/install.sh --dry-run --root SCRATCH [--no-build --build-dir DIR]
#
# --prefix DIR     where kring goes (DIR/bin/kring, DIR/share/kring/web-client); /usr/local
# --name NAME      the DNS name people will use: server-name and allow-origin in a new config
# --caddy          also install Caddy in front (HTTPS with its own certificates) for --name:
#                  /etc/caddy/Caddyfile, and trusted-proxy = 127.0.0.1 in a new config
# --root DIR       write every file under DIR instead of / (needs --dry-run)
# --dry-run        change nothing outside --root: no packages, no user, no chown, no systemctl;
#                  each such step is printed as "would run: ..."
# --build-dir DIR  the CMake build folder; build-release in the source tree
# --no-build       install what --build-dir already holds
set -euo pipefail

source_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
prefix=/usr/local
root=/
name=""
dry_run=false
build=true
caddy=false
build_dir=$source_dir/build-release

usage() { sed -n '2,19s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }
fail() { echo "install: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
    case $1 in
        --prefix) prefix=${2:?--prefix needs a folder}; shift 2 ;;
        --root) root=${2:?--root needs a folder}; shift 2 ;;
        --name) name=${2:?--name needs a DNS name}; shift 2 ;;
        --build-dir) build_dir=${2:?--build-dir needs a folder}; shift 2 ;;
        --dry-run) dry_run=true; shift ;;
        --no-build) build=false; shift ;;
        --caddy) caddy=true; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; exit 2 ;;
    esac
done
case $prefix in /*) ;; *) fail "--prefix must be an absolute path" ;; esac
root=$(cd "$root" 2>/dev/null && pwd) || fail "--root $root: no such folder"
[ "$root" = / ] || [ "$dry_run" = true ] || fail "--root other than / needs --dry-run"
[ "$dry_run" = true ] || [ "$(id -u)" -eq 0 ] || fail "run as root (sudo), or with --dry-run"
[ "$caddy" = false ] || [ -n "$name" ] || fail "--caddy needs --name: the name Caddy gets a certificate for"
[ -z "$name" ] || [[ $name =~ ^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$ ]] || fail "--name $name is not a DNS name"

at() { echo "${root%/}$1"; }                 # a path of the target system, under --root
step() { echo "install: $*"; }
system() {                                   # a step that changes the system outside --root
    if [ "$dry_run" = true ]; then echo "would run: $*"; else "$@"; fi
}

bin=$prefix/bin/kring
web_root=$prefix/share/kring/web-client
config=/etc/kring/kring.toml
state=/var/lib/kring

# 1. Dependencies and the build.
if [ "$dry_run" = true ]; then
    echo "would run: $source_dir/deploy/install-deps.sh"
else
    "$source_dir/deploy/install-deps.sh"
fi
[ "$caddy" = false ] || system apt-get install -y --no-install-recommends caddy
if [ "$build" = true ]; then
    step "building in $build_dir"
    cmake -S "$source_dir" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCMAKE_INSTALL_PREFIX="$prefix" >/dev/null
    cmake --build "$build_dir" --target kring
fi
[ -x "$build_dir/server/kring" ] || fail "no kring in $build_dir (build it, or drop --no-build)"

# 2. The binary, the web client and the examples.
step "installing kring into $(at "$prefix")"
DESTDIR=$root cmake --install "$build_dir" --prefix "$prefix" >/dev/null

# 3. The user and its folders. A static system user (not DynamicUser=), so
# that files such as certificates can be given to it before it first runs.
if getent passwd kring >/dev/null 2>&1; then
    step "user kring exists"
else
    system useradd --system --user-group --home-dir "$state" --shell /usr/sbin/nologin kring
fi
install -d -m 0755 "$(at /etc/kring)"
install -d -m 0700 "$(at "$state")" "$(at /var/backups/kring)"
system chown kring:kring "$state" /var/backups/kring

# 4. The config: written once, never overwritten (it is the admin's).
if [ -e "$(at "$config")" ]; then
    step "keeping $config"
else
    step "writing $config"
    {
        echo "# Kring's settings: every key is a kring serve option (see"
        echo "# $prefix/share/doc/kring/examples/kring.toml.example for all of them)."
        echo "# After a change: kring check-config $config && systemctl restart kring"
        echo 'listen = "127.0.0.1:8080"            # behind a reverse proxy that ends TLS'
        echo "db = \"$state/kring.db\""
        echo "web-root = \"$web_root\""
        echo 'metrics-listen = "127.0.0.1:9464"    # /metrics, /healthz, /readyz, for this machine only'
        if [ "$caddy" = true ]; then
            echo 'trusted-proxy = ["127.0.0.1"]        # Caddy, in front: it names each client'
        fi
        if [ -n "$name" ]; then
            echo "server-name = [\"$name\"]"
            echo "allow-origin = [\"https://$name\"]"
        else
            echo '# server-name = ["chat.example.org"]'
            echo '# allow-origin = ["https://chat.example.org"]'
        fi
    } > "$(at "$config").partial"
    chmod 0644 "$(at "$config").partial"
    mv "$(at "$config").partial" "$(at "$config")"
fi
"$(at "$bin")" check-config "$(at "$config")" >/dev/null || fail "$config has problems (see above)"

# 5. Caddy in front, for --caddy: its site file, written when there is none
# or it is Debian's example or ours (an admin's own is left alone).
if [ "$caddy" = true ]; then
    caddyfile=/etc/caddy/Caddyfile
    install -d -m 0755 "$(at /etc/caddy)"
    if [ ! -e "$(at $caddyfile)" ] || grep -q '^# The Caddyfile is an easy way\|^# Kring behind Caddy' "$(at $caddyfile)"; then
        sed "s#kring.example.org#$name#g" "$source_dir/deploy/caddy/Caddyfile" > "$(at $caddyfile).partial"
        chmod 0644 "$(at $caddyfile).partial"
        mv "$(at $caddyfile).partial" "$(at $caddyfile)"
        step "wrote $caddyfile for $name"
    else
        caddyfile=/etc/caddy/Caddyfile.kring
        sed "s#kring.example.org#$name#g" "$source_dir/deploy/caddy/Caddyfile" > "$(at $caddyfile)"
        step "kept your /etc/caddy/Caddyfile; Kring's site is in $caddyfile: add it to yours"
    fi
    if ! grep -q '^trusted-proxy = \["127.0.0.1"' "$(at "$config")"; then
        step "note: $config has no trusted-proxy = [\"127.0.0.1\"]: add it, or every client counts as Caddy's network"
    fi
    system caddy validate --adapter caddyfile --config "$caddyfile"
    system systemctl reload-or-restart caddy
fi

# 6. The units, naming this prefix's kring.
install -d -m 0755 "$(at /etc/systemd/system)"
for unit in kring.service kring-backup.service kring-backup.timer; do
    sed "s#/usr/local/bin/kring#$bin#g" "$source_dir/deploy/$unit" > "$(at /etc/systemd/system/$unit).partial"
    chmod 0644 "$(at /etc/systemd/system/$unit).partial"
    mv "$(at /etc/systemd/system/$unit).partial" "$(at /etc/systemd/system/$unit)"
    step "wrote /etc/systemd/system/$unit"
done
system systemctl daemon-reload
system systemctl enable kring.service kring-backup.timer
system systemctl restart kring.service
system systemctl start kring-backup.timer

if [ "$caddy" = true ]; then
    https_steps="  2. DNS: an A (and AAAA) record for $name pointing at this machine, and
     ports 80 and 443 open to it. Caddy then gets the certificate by itself:
     https://$name/ (journalctl -u caddy says how it went)."
else
    https_steps="  2. DNS: an A (and AAAA) record for your chat's name pointing at this machine.
  3. Certificates and HTTPS: run this again with --name NAME --caddy, or put
     nginx with certbot in front of 127.0.0.1:8080, or let Kring speak TLS
     itself; see deploy/README.md, \"HTTPS\"."
fi

cat <<NEXT

Kring is installed$([ "$dry_run" = true ] && echo " (dry run: nothing was started)").
  status:   systemctl status kring; journalctl -u kring
  health:   curl http://127.0.0.1:9464/readyz   (and /metrics for Prometheus)

Next steps:
  1. The first admin account (its password is printed once, and must be
     changed at the first login):
       sudo -u kring $bin moderator add YOUR-NAME --admin --db $state/kring.db
$https_steps
  A circle:  sudo -u kring $bin room add CIRCLE --title "Title" --db $state/kring.db
  After a change to $config:  $bin check-config $config && sudo systemctl restart kring
NEXT
