#!/usr/bin/env bash
# `cmake --install` puts the binary, its web client and the examples under
# the prefix, and the binary's default web root is the installed web client,
# not the build tree. Staged with DESTDIR, so nothing lands on this machine.
#   install_test.sh CMAKE BUILD_DIR BINDIR DATADIR DOCDIR   (full paths)
set -euo pipefail
cmake=$1 build=$2 bindir=$3 datadir=$4 docdir=$5

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
DESTDIR=$stage "$cmake" --install "$build" >/dev/null

fail() { echo "install test: $*" >&2; exit 1; }
[ -x "$stage$bindir/kring" ] || fail "no $bindir/kring"
web=$stage$datadir/kring/web-client
# With esbuild (deploy/install-deps.sh installs it), the page's modules are
# bundled into files named by their content, which index.html names; the
# modules themselves are not installed.
if command -v esbuild >/dev/null; then
    app=$(grep -o 'src="app-[A-Z0-9]\{8\}\.js"' "$web/index.html" | cut -d'"' -f2) ||
        fail "index.html names no bundle: $(grep -o '<script[^>]*>' "$web/index.html")"
    style=$(grep -o 'href="style-[A-Z0-9]\{8\}\.css"' "$web/index.html" | cut -d'"' -f2) ||
        fail "index.html names no minified style sheet"
    scripts=("$app" "$(cd "$web" && ls moderator-*.js)" "$style")
    for f in app.js strings.js moderator.js base.css room.css; do
        [ ! -e "$web/$f" ] || fail "$f is installed beside its bundle"
    done
else
    scripts=(app.js strings.js moderator.js base.css)
fi
for f in index.html "${scripts[@]}" i18n/en.json i18n/ar.json i18n/ti.json; do
    [ -f "$web/$f" ] || fail "no $datadir/kring/web-client/$f"
    # and its gzipped copy beside it, the same bytes once unpacked
    gzip -dc "$web/$f.gz" | cmp -s - "$web/$f" || fail "$datadir/kring/web-client/$f.gz is not $f gzipped"
done
# Tigrinya's font, where Debian's fonts-sil-abyssinica is there to copy
font=/usr/share/fonts-sil-abyssinica/woff2/AbyssinicaSIL-Regular.woff2
if [ -f "$font" ]; then
    cmp -s "$font" "$stage$datadir/kring/web-client/fonts/AbyssinicaSIL-Regular.woff2" ||
        fail "no $datadir/kring/web-client/fonts/AbyssinicaSIL-Regular.woff2"
fi
for f in kring.toml.example crisis-words.json agreement.json kring.service kring-backup.service kring-backup.timer certbot-deploy-hook; do
    [ -f "$stage$docdir/examples/$f" ] || fail "no $docdir/examples/$f"
done
printed=$("$stage$bindir/kring" serve --print-config)
grep -qxF "# web-root = \"$datadir/kring/web-client\"" <<<"$printed" ||
    fail "the default web root is not $datadir/kring/web-client: $(grep web-root <<<"$printed")"
case "$datadir" in "$(cd "$(dirname "$0")/.." && pwd)"*) fail "the web root is in the source tree" ;; esac
echo "1 passed, 0 failed"
