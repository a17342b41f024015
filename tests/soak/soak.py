#!/usr/bin/python3
"""A soak of Kring: the real server under a bounded, mixed load for a while,
its memory and open file descriptors sampled as it goes, and its end state
checked.

The load, every client from its own loopback address (127.0.x.y) so that
the per-network limits see a few hundred homes, not one flood:
chatters talking in circles (a dozen of them behind one shared address, a
centre's Wi-Fi), resumers that lose their connection and resume with their
token, slow readers that stop reading, flooders, and one moderator acting
all the time (soak_people.py, soak_moderator.py). The server runs with its
default limits; only the circles' capacity is set to hold everyone.

At the end every client leaves, and the soak checks: the server's open
descriptors are back to their baseline (counted after start-up, before
the load) within a few seconds; its peak RSS is under a generous sanity
bound (the figures themselves are reported, not asserted); it is alive and
answers; every action it acknowledged is in the audit table; flooders got
`rate_limited` and 1008, slow readers 4001 (and nobody else); every resume
was a resume; participants got no refusal that moderation does not
explain; every request was answered; the log has no error line; SIGTERM
ends it cleanly. Exit status 0 when all hold.

    /usr/bin/python3 tests/soak/soak.py --duration 60 --clients 200
    nice /usr/bin/python3 tests/soak/soak.py --duration 3600 --interval 10 \
        --out soak-1h

Writes samples.csv (one row per sample), summary.json and summary.md to
--out (a new temporary folder by default).
"""

import argparse
import asyncio
import json
import os
import random
import shlex
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "python"))

import kring_harness  # noqa: E402
from soak_checks import Checks, report_markdown  # noqa: E402
from soak_link import Context, Link  # noqa: E402
from soak_moderator import Moderator  # noqa: E402
from soak_people import Chatter, Flooder, Resumer, SlowReader  # noqa: E402
import soak_probe  # noqa: E402

MODERATOR = ("soak-mod", "soak-Pw-4hq9-heather")
CHECK_ROOM = "soak-after"  # untouched by the moderator: the final check


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--binary", default=kring_harness.BINARY,
                   help="the kring binary (default: $KRING_BINARY or "
                        "build/server/kring)")
    p.add_argument("--duration", type=float, default=60,
                   help="seconds of load (default 60)")
    p.add_argument("--clients", type=int, default=200,
                   help="participants connected at once (default 200)")
    p.add_argument("--rooms", type=int, default=8,
                   help="circles (default 8)")
    p.add_argument("--interval", type=float, default=5,
                   help="seconds between samples (default 5)")
    p.add_argument("--resumers", type=int,
                   help="of the clients (default a sixth)")
    p.add_argument("--slow-readers", type=int,
                   help="of the clients (default a fortieth, at least 2)")
    p.add_argument("--flooders", type=int,
                   help="of the clients (default a fortieth, at least 2)")
    p.add_argument("--shared-network", type=int, default=12,
                   help="chatters behind one address (default 12)")
    p.add_argument("--say-interval", type=float, default=3.0,
                   help="mean seconds between one person's messages")
    p.add_argument("--moderator-interval", type=float, default=1.5,
                   help="mean seconds between the moderator's actions")
    p.add_argument("--ramp", type=float,
                   help="seconds over which the clients arrive "
                        "(default a tenth of the duration, at most 10)")
    p.add_argument("--settle", type=float, default=10,
                   help="seconds the fds may take to return (default 10)")
    p.add_argument("--max-rss-mib", type=float,
                   help="sanity bound on peak RSS (default 512, x4 for a "
                        "sanitized build)")
    p.add_argument("--table-every", type=float,
                   help="seconds between rows of summary.md's table")
    p.add_argument("--out", help="folder for samples.csv and the summary")
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--server-args", default="",
                   help="more `kring serve` arguments, in one string")
    args = p.parse_args(argv)
    args.server_args = shlex.split(args.server_args)
    n = args.clients
    if args.resumers is None:
        args.resumers = n // 6
    if args.slow_readers is None:
        args.slow_readers = max(2, n // 40)
    if args.flooders is None:
        args.flooders = max(2, n // 40)
    args.chatters = n - args.resumers - args.slow_readers - args.flooders
    if args.chatters < 1 or args.rooms < 1:
        p.error("no clients left to chat, or no circles")
    if args.ramp is None:
        args.ramp = min(10.0, args.duration / 10)
    if args.table_every is None:
        args.table_every = max(args.interval, round(args.duration / 12))
    if args.seed is None:
        args.seed = random.randrange(1 << 30)
    return args


def sanitized(binary):
    with open(binary, "rb") as f:
        return b"__asan_init" in f.read()


def send_queue_bound(server_args):
    """--max-send-queue-bytes as the server was given it (1 MiB by default)."""
    for i, a in enumerate(server_args):
        if a == "--max-send-queue-bytes" and i + 1 < len(server_args):
            return int(server_args[i + 1])
    return 1 << 20


def addresses():
    """127.0.1.1, 127.0.1.2, ...: one home each."""
    k = 0
    while True:
        yield "127.0.%d.%d" % (1 + k // 250, 1 + k % 250)
        k += 1


def population(ctx, args):
    rng, rooms, homes = ctx.rng, ctx.rooms, addresses()
    people = []
    for j in range(args.chatters):
        mine = [rooms[j % len(rooms)]]
        if len(rooms) > 1 and rng.random() < 0.2:
            mine.append(rooms[(j + 1) % len(rooms)])
        address = "127.0.0.2" if j < args.shared_network else next(homes)
        people.append(Chatter(ctx, address, mine))
    for j in range(args.resumers):
        people.append(Resumer(ctx, next(homes), [rooms[j % len(rooms)]]))
    for _ in range(args.slow_readers):
        people.append(SlowReader(ctx, next(homes),
                                 rng.sample(rooms, min(8, len(rooms)))))
    for _ in range(args.flooders):
        people.append(Flooder(ctx, next(homes), rooms))
    rng.shuffle(people)
    return people


async def visit(ctx, address="127.0.0.4"):
    """One visitor: hello, join the check circle, say, ping, leave. True
    when each was answered as it should be."""
    link = Link(ctx, "visitor", address)
    await link.open()
    try:
        welcome = await link.ask({"type": "hello", "v": 1}, "welcome")
        joined = await link.ask({"type": "join", "room": CHECK_ROOM})
        said = await link.ask({"type": "say", "room": CHECK_ROOM,
                               "text": "still there?"})
        pong = await link.ask({"type": "ping"})
        return (welcome or {}).get("type") == "welcome" and \
            (joined or {}).get("type") == "joined" and \
            (said or {}).get("type") == "message" and \
            (pong or {}).get("type") == "pong"
    finally:
        await link.close()


def start_server(args, rooms):
    kring_harness.BINARY = args.binary
    capacity = args.clients + 16  # everyone fits: capacity is not soaked
    # The session's ring for every newcomer (history session), so that a
    # slow reader's rejoins fill its send queue as a circle's worst case.
    srv = kring_harness.KringServer(
        args.server_args, demo=False,
        rooms=[{"slug": s, "title": "Soak " + s, "capacity": capacity,
                "history": "session"}
               for s in rooms + [CHECK_ROOM]],
        moderators=[{"name": MODERATOR[0], "password": MODERATOR[1],
                     "rooms": rooms}])
    return srv.start()


def count_unanswered(people):
    """Requests without an answer on open connections, by kind of person
    (slow readers do not read: theirs do not count)."""
    out = {}
    for p in people:
        for link in getattr(p, "links", None) or [p.link]:
            if link is not None and link.open_now and p.kind != "slow reader":
                out[p.kind] = out.get(p.kind, 0) + link.unanswered()
    return out


async def load(ctx, args, people, moderator, sampler_stop):
    """Start everyone over the ramp, keep the load for the duration, then
    go quiet, count what is unanswered, and close everyone. Returns the
    unanswered requests by kind, how many people did not finish in time,
    and the seconds the load lasted."""
    loop = asyncio.get_running_loop()
    started = loop.time()
    tasks = [asyncio.create_task(moderator.run())]
    for i, person in enumerate(people):
        tasks.append(asyncio.create_task(person.run()))
        await asyncio.sleep(max(0.0, started + i * args.ramp / len(people)
                                - loop.time()))
    try:
        await asyncio.wait_for(sampler_stop.wait(), max(
            0.0, started + args.duration - loop.time()))
    except asyncio.TimeoutError:
        pass
    ctx.quiet.set()
    lasted = loop.time() - started
    for _ in range(300):  # up to 60 s for the answers still on their way
        await asyncio.sleep(0.2)
        unanswered = count_unanswered(people + [moderator])
        if not any(unanswered.values()):
            break
    ctx.stopping.set()
    _, late = await asyncio.wait(tasks, timeout=60)
    for task in late:
        task.cancel()
    return unanswered, len(late), lasted


async def end_state(srv, ctx, baseline, args):
    """Once everyone has gone: the fds, whether the server answers, its
    memory, the database, its exit on SIGTERM and its log."""
    pid = srv.proc.pid
    state = {"died": not srv.alive()}
    if not state["died"]:
        state["fds_ok"], state["fds_detail"] = await soak_probe.fds_back_to(
            pid, baseline, args.settle)
        state["fd_kinds_after"] = dict(soak_probe.fd_kinds(pid))
        state["healthz"] = soak_probe.healthz(srv.port)
        state["answers"] = await visit(ctx)
        state["rss_after_kib"] = soak_probe.proc_status(pid)["VmRSS"]
        state["missing"], state["audit_rows"] = \
            soak_probe.missing_from_audit(srv.db, ctx.tally.acks)
        state["bans_on_disk"] = soak_probe.bans_on_disk(srv.db, MODERATOR[0])
    state["exit_code"] = srv.stop(timeout=10)
    state["log"] = soak_probe.LogFacts(srv.log_path)
    return state


async def soak_server(srv, args, rooms, out):
    pid = srv.proc.pid
    ctx = Context(srv.port, random.Random(args.seed), rooms,
                  args.say_interval)
    checks = Checks()
    if not await visit(ctx):  # and whatever the server opens at first use
        checks.fail("warm-up", "the first visitor was not answered")
    baseline = await soak_probe.steady_fds(pid)
    state = {"baseline_fds": baseline,
             "fd_kinds_before": dict(soak_probe.fd_kinds(pid)),
             "baseline_rss_kib": soak_probe.proc_status(pid)["VmRSS"],
             "sanitized": sanitized(args.binary),
             "max_send_queue_bytes": send_queue_bound(args.server_args)}
    print("soak: seed %d, kring pid %d, baseline %d fds, %d KiB RSS; "
          "writing to %s" % (args.seed, pid, baseline,
                             state["baseline_rss_kib"], out), flush=True)
    sampler = soak_probe.Sampler(srv, ctx, args.interval,
                                 os.path.join(out, "samples.csv"))
    stop = asyncio.Event()
    sampler_task = asyncio.create_task(sampler.run(stop))
    moderator = Moderator(ctx, "127.0.0.3", *MODERATOR,
                          args.moderator_interval)
    state["unanswered"], state["late_tasks"], state["load_seconds"] = \
        await load(ctx, args, population(ctx, args), moderator, stop)
    sampler.sample()  # everyone has gone
    stop.set()
    await sampler_task
    state.update(await end_state(srv, ctx, baseline, args))
    state["died"] = state["died"] or sampler.died
    state["rows"] = sampler.rows
    checks.judge(state, ctx.tally, args)
    summary = checks.summary(state, ctx.tally)
    with open(os.path.join(out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=1, default=str)
    text = report_markdown(summary, args)
    with open(os.path.join(out, "summary.md"), "w") as f:
        f.write(text)
    print(text, flush=True)
    if not checks.passed():
        keep = os.path.join(out, "server.log")
        os.replace(srv.log_path, keep)
        print("soak: FAILED; the server's log is %s" % keep, flush=True)
    return 0 if checks.passed() else 1


async def soak(args):
    rooms = ["soak-%d" % i for i in range(args.rooms)]
    out = args.out or tempfile.mkdtemp(prefix="kring-soak-")
    os.makedirs(out, exist_ok=True)
    for name in ("samples.csv", "server.log"):
        if os.path.exists(os.path.join(out, name)):
            os.unlink(os.path.join(out, name))
    srv = start_server(args, rooms)
    try:
        return await soak_server(srv, args, rooms, out)
    finally:
        srv.cleanup()


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if not os.path.exists(args.binary):
        print("soak: no kring binary at %s (--binary)" % args.binary,
              file=sys.stderr)
        return 2
    return asyncio.run(soak(args))


if __name__ == "__main__":
    sys.exit(main())
