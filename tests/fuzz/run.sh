#!/usr/bin/env bash
# Builds Kring's libFuzzer targets with clang 14 (ASan + UBSan) in a build
# folder of their own and runs each for the given number of seconds (60 by
# default), one after the other, or all at once with --parallel. Prints
# executions and coverage per target; fails if any target crashed, leaked,
# ran out of time or memory, or broke one of its checks.
#
#   tests/fuzz/run.sh [--parallel] [seconds]
#
# KRING_FUZZ_BUILD_DIR  the build folder (default build-fuzz)
# KRING_FUZZ_TARGETS    the targets to run (default: all five)
#
# New inputs go to <build folder>/fuzz-work/<target>/corpus, crashes to
# .../artifacts; the seed corpus in tests/fuzz/corpus/ is only read.
set -euo pipefail
cd "$(dirname "$0")/../.."

parallel=false
if [ "${1:-}" = "--parallel" ]; then
    parallel=true
    shift
fi
seconds=${1:-60}
if ! [[ "$seconds" =~ ^[1-9][0-9]*$ ]] || [ $# -gt 1 ]; then
    echo "usage: tests/fuzz/run.sh [--parallel] [seconds]" >&2
    exit 2
fi
build_dir=${KRING_FUZZ_BUILD_DIR:-build-fuzz}
read -r -a targets <<<"${KRING_FUZZ_TARGETS:-protocol names static_files session frame_reader}"

deploy/install-deps.sh --fuzz
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_CXX_COMPILER=clang++-14 -DKRING_FUZZ=ON -DKRING_BUILD_TESTS=OFF \
    -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-g -O1" -DCMAKE_UNITY_BUILD=ON >/dev/null
cmake --build "$build_dir" --target fuzzers

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

# Runs one target for $seconds; its output goes to its log.
run_target() {
    local target=$1
    local work="$build_dir/fuzz-work/$target"
    rm -rf "$work/artifacts"
    mkdir -p "$work/corpus" "$work/artifacts"
    local options=(-max_total_time="$seconds" -timeout=60 -print_final_stats=1
                   -dict="tests/fuzz/$target.dict" -artifact_prefix="$work/artifacts/")
    case "$target" in
    protocol | session) options+=(-max_len=8192) ;;
    frame_reader) options+=(-max_len=4096) ;;
    *) options+=(-max_len=512) ;;
    esac
    # A session input touches tens of thousands of features, which makes
    # libFuzzer's entropic schedule spend most of the time on its own
    # bookkeeping (5 times fewer executions), so that target uses the plain one.
    if [ "$target" = session ]; then
        options+=(-entropic=0)
    fi
    local status=0
    "$build_dir/tests/fuzz/fuzz_$target" "${options[@]}" "$work/corpus" "tests/fuzz/corpus/$target" \
        >"$work/log" 2>&1 || status=$?
    echo "$status" >"$work/status"
}

pids=()
for target in "${targets[@]}"; do
    if [ ! -d "tests/fuzz/corpus/$target" ]; then
        echo "run.sh: no target $target" >&2
        exit 2
    fi
    rm -f "$build_dir/fuzz-work/$target/status"
    if [ "$parallel" = true ]; then
        run_target "$target" &
        pids+=($!)
    else
        echo "fuzzing $target for $seconds s"
        run_target "$target"
    fi
done
for pid in "${pids[@]}"; do
    wait "$pid"
done

failed=false
printf '\n%-13s %12s %7s %8s %16s %8s  %s\n' target executions cov ft corpus exec/s result
for target in "${targets[@]}"; do
    work="$build_dir/fuzz-work/$target"
    status=$(cat "$work/status" 2>/dev/null || echo "?")
    # libFuzzer's last status line: "#123 DONE cov: 45 ft: 67 corp: 8/910b lim: ... exec/s: 11 rss: ..."
    last=$(grep -E '^#[0-9]+' "$work/log" | tail -n 1 || true)
    field() { sed -n -E "s|.* $1: ([^ ]+).*|\\1|p" <<<"$last"; }
    runs=$(sed -n -E 's/^#([0-9]+).*/\1/p' <<<"$last")
    result=ok
    if [ "$status" != 0 ]; then
        result="FAILED (exit $status): see $work/log and $work/artifacts/"
        failed=true
    fi
    printf '%-13s %12s %7s %8s %16s %8s  %s\n' "$target" "${runs:-?}" "$(field cov)" "$(field ft)" \
        "$(field corp)" "$(field exec/s)" "$result"
done
if [ "$failed" = true ]; then
    for target in "${targets[@]}"; do
        work="$build_dir/fuzz-work/$target"
        if [ "$(cat "$work/status" 2>/dev/null)" != 0 ]; then
            echo
            echo "== $target ($work/log):"
            if ! grep -E -m 20 'broken promise|ERROR|runtime error|Test unit written|SUMMARY' "$work/log" |
                cut -c1-300; then
                tail -n 20 "$work/log"
            fi
        fi
    done
    exit 1
fi
