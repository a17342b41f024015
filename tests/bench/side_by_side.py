#!/usr/bin/python3
"""Kring and uWebSockets side by side, in one run, with the same load
generator (load_gen): figures from a shared machine only compare when they
are measured together. Each scenario runs --rounds times, alternating
between the servers; the medians and Kring's ratio to uWebSockets are
printed as a Markdown table (and written as JSON with --json FILE). With
--baseline KRING, another build of Kring (an earlier commit's
build/server/kring, say) runs in the same rounds, in a column of its own.

    /usr/bin/python3 tests/bench/side_by_side.py --uws UWEBSOCKETS_SOURCE --usockets USOCKETS_SOURCE \\
        [--load-gen build/tests/load_gen] [--scratch /tmp/kring-uws] [--rounds 3] [--scenarios open-1k,closed-1k] \
        [--baseline /path/to/an/earlier/kring]

The uWebSockets server (tests/bench/uws/pubsub_server.cpp) is built from
the given sources into --scratch by tests/bench/uws/build.sh, never into
Kring's tree. The load generator is pinned to CPU 0 and each server to
CPU 1, Kring with --threads 1, as in tests/bench/RESULTS.md.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))

# name: load_gen arguments
SCENARIOS = {
    "tiny": ["--connections", "100", "--room-size", "10", "--rate", "5", "--duration", "2", "--idle-seconds", "0.5"],
    "open-1k": ["--connections", "1000", "--room-size", "10", "--rate", "1", "--duration", "10"],
    "open-10k": ["--connections", "10000", "--room-size", "10", "--rate", "1", "--duration", "10"],
    "closed-1k": ["--connections", "1000", "--room-size", "10", "--in-flight", "1", "--duration", "10"],
    "open-19k": ["--connections", "19000", "--room-size", "10", "--rate", "0.5", "--duration", "10"],
}

FIGURES = [  # (label, key in load_gen's JSON, format)
    ("deliveries/s", "deliveries_per_second", "%.0f"),
    ("server CPU per delivery, us", "server_cpu_us_per_delivery", "%.2f"),
    ("load generator CPU during the load, s", "load_generator_cpu_seconds", "%.2f"),
    ("latency p99, ms", ("latency_ms", "p99"), "%.2f"),
    ("latency p99.9, ms", ("latency_ms", "p999"), "%.2f"),
    ("RSS per idle joined connection, bytes", "rss_bytes_per_idle_connection", "%.0f"),
    ("RSS per idle joined connection after the first 100, bytes", "rss_bytes_per_further_idle_connection", "%.0f"),
]


def value(result, key):
    return result[key[0]][key[1]] if isinstance(key, tuple) else result[key]


def run_load_gen(load_gen, args, out, env=None):
    cmd = ["taskset", "-c", "0", load_gen] + args + ["--json", out]
    res = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    if res.returncode != 0:
        sys.exit("load_gen failed (%d): %s\n%s" % (res.returncode, " ".join(cmd), res.stdout))
    with open(out) as f:
        return json.load(f)


def run_uws(server, load_gen, args, out, port):
    proc = subprocess.Popen(["taskset", "-c", "1", server, str(port)], stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        if "listening" not in line:
            sys.exit("the uWebSockets server did not start: %r" % line)
        return run_load_gen(load_gen, args + ["--connect", str(port), "--pid", str(proc.pid)], out)
    finally:
        proc.terminate()
        proc.wait(10)


def run_kring(load_gen, args, out, binary=None):
    env = dict(os.environ)
    if binary:
        env["KRING_BINARY"] = binary  # load_gen starts this build instead of its own
    return run_load_gen(load_gen, args + ["--threads", "1", "--server-cpu", "1", "--client-cpu", "0"], out, env)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--uws", required=True, help="uWebSockets source (a checkout or a git folder)")
    p.add_argument("--usockets", required=True, help="uSockets source (a checkout or a git folder)")
    p.add_argument("--load-gen", default=os.path.join(REPO, "build", "tests", "load_gen"))
    p.add_argument("--scratch", default=os.path.join(tempfile.gettempdir(), "kring-uws"))
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--scenarios", default="open-1k,closed-1k")
    p.add_argument("--json", help="write every result here")
    p.add_argument("--baseline", help="another kring binary to run beside this build")
    a = p.parse_args()
    names = a.scenarios.split(",")
    for n in names:
        if n not in SCENARIOS:
            sys.exit("no scenario %s (there are %s)" % (n, ", ".join(SCENARIOS)))
    build = subprocess.run([os.path.join(HERE, "uws", "build.sh"), a.uws, a.usockets, a.scratch],
                           stdout=subprocess.PIPE, text=True, check=True)
    server = build.stdout.strip().splitlines()[-1]
    with open(os.path.join(a.scratch, "versions.txt")) as f:
        versions = f.read().strip()

    results = {}
    out = os.path.join(a.scratch, "result.json")
    servers = ["uws", "kring"] + (["baseline"] if a.baseline else [])
    for n in names:
        for r in range(a.rounds):
            for who in servers:
                print("%s, round %d: %s" % (n, r + 1, who), file=sys.stderr, flush=True)
                if who == "uws":
                    got = run_uws(server, a.load_gen, SCENARIOS[n], out, 9400 + r)
                else:
                    got = run_kring(a.load_gen, SCENARIOS[n], out, a.baseline if who == "baseline" else None)
                if not got["correct"]:
                    sys.exit("%s lost, doubled or reordered messages in %s: %r" % (who, n, got))
                results.setdefault(n, {}).setdefault(who, []).append(got)
                time.sleep(1)

    print("Side by side, %s; medians of %d rounds; load_gen on CPU 0, each server on CPU 1.\n"
          % (versions, a.rounds))
    for n in names:
        print("### %s: `load_gen %s`\n" % (n, " ".join(SCENARIOS[n])))
        before = " Kring before |" if a.baseline else ""
        print("| figure | uWebSockets |%s Kring | Kring / uWebSockets |" % before)
        print("| --- | ---: |%s ---: | ---: |" % (" ---: |" if a.baseline else ""))
        for label, key, fmt in FIGURES:
            u = statistics.median(value(x, key) for x in results[n]["uws"])
            k = statistics.median(value(x, key) for x in results[n]["kring"])
            b = (" %s |" % (fmt % statistics.median(value(x, key) for x in results[n]["baseline"]))
                 if a.baseline else "")
            ratio = "%.1f×" % (k / u) if u else "-"
            print("| %s | %s |%s %s | %s |" % (label, fmt % u, b, fmt % k, ratio))
        print()
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"versions": versions, "scenarios": {n: SCENARIOS[n] for n in names},
                       "results": results}, f, indent=1)


if __name__ == "__main__":
    main()
