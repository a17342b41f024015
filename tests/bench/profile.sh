#!/bin/sh
# Where a Kring server spends its time under the closed loop of
# tests/bench/RESULTS.md: runs load_gen (which starts the server), records the
# server with perf for a few seconds in the middle of the load, counts its
# sendmsg and recvmsg calls, and prints the top symbols. linux-perf is a
# Debian package; a VM without hardware counters samples the CPU clock.
#
#   tests/bench/profile.sh [build/tests/load_gen] [OUT_DIR]
#   KRING_BINARY=/path/to/an/earlier/kring tests/bench/profile.sh   # another build
set -eu

load_gen=${1:-build/tests/load_gen}
out=${2:-$(mktemp -d /tmp/kring-profile.XXXXXX)}
mkdir -p "$out"

taskset -c 0 "$load_gen" --connections 1000 --room-size 10 --in-flight 1 --duration 14 \
    --threads 1 --server-cpu 1 --client-cpu 0 >"$out/load_gen.txt" 2>&1 &
load=$!
sleep 5 # joined, and the load under way
pid=$(pgrep -n -x kring)
perf record -F 999 -g -p "$pid" -o "$out/perf.data" -- sleep 4 2>/dev/null
perf stat -x, -e syscalls:sys_enter_sendmsg,syscalls:sys_enter_recvmsg -p "$pid" -- sleep 2 \
    2>"$out/syscalls.csv" || true
wait "$load"

echo "load_gen (the whole run):"
grep -E 'deliveries/s|CPU per delivery|missing' "$out/load_gen.txt"
echo "system calls in 2 s of the load (count,,event):"
cut -d, -f1,3 "$out/syscalls.csv"
echo "where the time goes, by object:"
perf report -i "$out/perf.data" --no-children -g none --sort dso --stdio 2>/dev/null | grep '%' | head -5
echo "top symbols:"
perf report -i "$out/perf.data" --no-children -g none --percent-limit 1 --stdio 2>/dev/null |
    grep '%' | cut -c1-140
echo "(all of it in $out)"
