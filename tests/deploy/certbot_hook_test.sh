#!/usr/bin/env bash
# deploy/certbot-deploy-hook: copies a renewed certificate and key where
# kring may read them (group-readable, not world-readable), whole files
# only, and asks for a reload; a second renewal replaces both.
# Usage: certbot_hook_test.sh SOURCE_DIR
set -euo pipefail

hook=$1/deploy/certbot-deploy-hook
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

group=$(id -gn)
mkdir -p "$scratch/live"
renew() {
    echo "chain $1" > "$scratch/live/fullchain.pem"
    echo "key $1" > "$scratch/live/privkey.pem"
    RENEWED_LINEAGE=$scratch/live KRING_TLS_DIR=$scratch/tls KRING_GROUP=$group \
        KRING_RELOAD="echo reloaded >> '$scratch/reloads'" "$hook" || fail "the hook failed on renewal $1"
}

renew 1
[ "$(cat "$scratch/tls/fullchain.pem")" = "chain 1" ] || fail "the chain was not copied"
[ "$(cat "$scratch/tls/privkey.pem")" = "key 1" ] || fail "the key was not copied"
[ "$(stat -c %a "$scratch/tls")" = 750 ] || fail "the folder is not 0750"
for file in fullchain.pem privkey.pem; do
    [ "$(stat -c %a "$scratch/tls/$file")" = 640 ] || fail "$file is not 0640"
    [ "$(stat -c %G "$scratch/tls/$file")" = "$group" ] || fail "$file is not the group's"
done
renew 2
[ "$(cat "$scratch/tls/fullchain.pem")" = "chain 2" ] && [ "$(cat "$scratch/tls/privkey.pem")" = "key 2" ] ||
    fail "the second renewal did not replace both files"
[ "$(grep -c reloaded "$scratch/reloads")" = 2 ] || fail "kring was not reloaded after each renewal"
[ -z "$(find "$scratch/tls" -name '.*.new')" ] || fail "a partial file was left behind"
if RENEWED_LINEAGE= KRING_TLS_DIR=$scratch/tls KRING_RELOAD=true "$hook" 2>/dev/null; then
    fail "the hook ran without RENEWED_LINEAGE"
fi
echo ok
