#!/usr/bin/env bash
# Builds pubsub_server.cpp against uWebSockets and uSockets from their public
# sources, into a scratch folder outside Kring's tree (nothing of theirs is
# ever copied into Kring). Each source is a checkout or a bare git folder
# (its HEAD is exported).
#
#   tests/bench/uws/build.sh UWEBSOCKETS_SOURCE USOCKETS_SOURCE OUT_DIR
#
# Prints the path of the built server. uSockets is built without TLS
# (LIBUS_NO_SSL), with its epoll loop; both with g++ -O3, as their own
# Makefiles do.
set -euo pipefail
[ $# -eq 3 ] || { sed -n '2,12s/^# \{0,1\}//p' "$0" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
uws=$1
usockets=$2
out=$(mkdir -p "$3" && cd "$3" && pwd)
case $out in "$(cd "$here/../../.." && pwd)"/*) echo "build.sh: OUT_DIR must be outside Kring's tree" >&2; exit 2 ;; esac

# A source folder as files under $2: a working tree is copied, a git folder exported.
export_tree() {
    rm -rf "$2" && mkdir -p "$2"
    if [ -d "$1/.git" ] || [ ! -d "$1/refs" ]; then
        cp -a "$1/." "$2/"
    else
        git --git-dir="$1" archive HEAD | tar -x -C "$2"
    fi
}
export_tree "$uws" "$out/uWebSockets"
export_tree "$usockets" "$out/uSockets"
echo "uWebSockets $(git --git-dir="$uws" rev-parse --short HEAD 2>/dev/null || git -C "$uws" rev-parse --short HEAD 2>/dev/null || echo '?'), uSockets $(git --git-dir="$usockets" rev-parse --short HEAD 2>/dev/null || git -C "$usockets" rev-parse --short HEAD 2>/dev/null || echo '?')" > "$out/versions.txt"

mkdir -p "$out/obj"
for c in "$out"/uSockets/src/*.c "$out"/uSockets/src/eventing/*.c "$out"/uSockets/src/crypto/*.c; do
    gcc -O3 -DLIBUS_NO_SSL -I"$out/uSockets/src" -c "$c" -o "$out/obj/$(basename "$c" .c).o"
done
g++ -std=c++20 -O3 -DLIBUS_NO_SSL -DUWS_NO_ZLIB -I"$out/uWebSockets/src" -I"$out/uSockets/src" \
    "$here/pubsub_server.cpp" "$out"/obj/*.o -o "$out/pubsub_server"
echo "$out/pubsub_server"
