"""What the soak reads about the server from outside: its memory, threads
and open file descriptors from /proc, its log, and its SQLite database
(read while it runs: the database is in WAL mode)."""

import asyncio
import collections
import csv
import http.client
import os
import re
import sqlite3
import time


def proc_status(pid):
    """VmRSS, VmHWM (KiB) and Threads of a process, from /proc."""
    out = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM", "Threads"):
                out[key] = int(value.split()[0])
    return out


def open_fds(pid):
    return len(os.listdir("/proc/%d/fd" % pid))


def fd_kinds(pid):
    """What the open descriptors are: 'socket', 'pipe', or a file's path."""
    kinds = collections.Counter()
    base = "/proc/%d/fd" % pid
    for fd in os.listdir(base):
        try:
            target = os.readlink(os.path.join(base, fd))
        except OSError:
            continue
        kinds[re.sub(r":\[\d+\]$", "", target)] += 1
    return kinds


async def steady_fds(pid, within=10.0):
    """The descriptor count once it has not changed for a second."""
    last, since = open_fds(pid), time.monotonic()
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        await asyncio.sleep(0.1)
        now = open_fds(pid)
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= 1.0:
            break
    return last


async def fds_back_to(pid, baseline, within):
    """(True, seconds) once the count is at most the baseline, or
    (False, the last count) after `within` seconds."""
    started = time.monotonic()
    count = open_fds(pid)
    while time.monotonic() - started < within:
        count = open_fds(pid)
        if count <= baseline:
            return True, time.monotonic() - started
        await asyncio.sleep(0.1)
    return False, count


def healthz(port):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", "/healthz")
        resp = conn.getresponse()
        resp.read()
        return resp.status
    finally:
        conn.close()


class LoopLag:
    """How late the soak's own event loop runs its timers: when it is
    late, the soak reads late, and answers seem slow that are not."""

    def __init__(self):
        self.worst = 0.0

    async def run(self, stop):
        loop = asyncio.get_running_loop()
        while not stop.is_set():
            due = loop.time() + 0.1
            await asyncio.sleep(0.1)
            self.worst = max(self.worst, loop.time() - due)

    def take(self):
        worst, self.worst = self.worst, 0.0
        return worst


class Sampler:
    """Every `interval` seconds, one row: the server's RSS, peak RSS,
    threads and open fds, with the soak's own counts and how far it has
    fallen behind (its loop's worst lateness since the last row, and the
    bytes waiting unread in its sockets); written to a CSV file as it goes,
    and printed."""

    FIELDS = ("seconds", "rss_kib", "hwm_kib", "threads", "fds",
              "connections", "deliveries", "closes", "acknowledged",
              "problems", "soak_late_ms", "soak_unread_kib")

    def __init__(self, server, ctx, interval, csv_path):
        self.server = server
        self.ctx = ctx
        self.tally = ctx.tally
        self.interval = interval
        self.csv_path = csv_path
        self.rows = []
        self.started = time.monotonic()
        self.died = False
        self.lag = LoopLag()

    def sample(self):
        pid = self.server.proc.pid
        if not self.server.alive():
            self.died = True
            return None
        try:
            status = proc_status(pid)
            fds = open_fds(pid)
        except OSError:
            self.died = True
            return None
        t = self.tally
        row = {"seconds": round(time.monotonic() - self.started, 1),
               "rss_kib": status["VmRSS"], "hwm_kib": status["VmHWM"],
               "threads": status["Threads"], "fds": fds,
               "connections": sum(t.open_links.values()),
               "deliveries": t.deliveries,
               "closes": sum(t.closes.values()),
               "acknowledged": len(t.acks), "problems": t.problem_count,
               "soak_late_ms": round(self.lag.take() * 1000),
               "soak_unread_kib": sum(
                   link.unread_bytes() for link in list(self.ctx.links))
               // 1024}
        self.rows.append(row)
        with open(self.csv_path, "a", newline="") as f:
            w = csv.DictWriter(f, self.FIELDS)
            if f.tell() == 0:
                w.writeheader()
            w.writerow(row)
        print("soak: %(seconds)7.1fs rss %(rss_kib)7d KiB  fds %(fds)4d  "
              "threads %(threads)2d  connections %(connections)4d  "
              "deliveries %(deliveries)9d  acknowledged %(acknowledged)5d  "
              "problems %(problems)d  soak late %(soak_late_ms)d ms, "
              "unread %(soak_unread_kib)d KiB" % row, flush=True)
        return row

    async def run(self, stop):
        lag = asyncio.create_task(self.lag.run(stop))
        while not stop.is_set():
            if self.sample() is None:
                stop.set()
                return
            try:
                await asyncio.wait_for(stop.wait(), self.interval)
            except asyncio.TimeoutError:
                pass
        await lag


# -- the server's log ------------------------------------------------------
LOG_LINE = re.compile(r"^\S+ (info|warn|error) (.*)$")
HELLO = re.compile(r"^hello c=(\d+) id=(\S+)")
CLOSING = re.compile(r"^closing c=(\d+) code=(\d+)")
QUEUE_FULL = re.compile(r"^send queue full c=(\d+) bytes=(\d+)")
READ_END = re.compile(r"^websocket closed c=\d+: (.*)$")


class LogFacts:
    """What the log says: closes by code, which identity each 4001 close
    hit, the fullest send queue, and every error line (and every line not
    written by Kring's log, such as a sanitizer's report)."""

    def __init__(self, path):
        self.closes = collections.Counter()       # close code -> count
        self.read_ends = collections.Counter()    # why reading ended
        self.slow_ids = collections.Counter()     # identity -> 4001 closes
        self.fullest_queue = 0
        self.errors = []                          # error lines (first 50)
        self.error_count = 0
        self.lines = 0
        identity_of = {}
        with open(path, "rb") as f:
            for raw in f:
                self.lines += 1
                text = raw.decode("utf-8", "replace").rstrip()
                m = LOG_LINE.match(text)
                if not m:  # a sanitizer's report, a crash: not Kring's log
                    self.note("error", "not a log line: " + text, {})
                    continue
                level, line = m.groups()
                self.note(level, line, identity_of)

    def note(self, level, line, identity_of):
        if level == "error":
            self.error_count += 1
            if len(self.errors) < 50:
                self.errors.append(line)
        if m := HELLO.match(line):
            identity_of[m.group(1)] = m.group(2)
        elif m := CLOSING.match(line):
            code = int(m.group(2))
            self.closes[code] += 1
            if code == 4001:
                self.slow_ids[identity_of.get(m.group(1), "?")] += 1
        elif m := QUEUE_FULL.match(line):
            self.fullest_queue = max(self.fullest_queue, int(m.group(2)))
        elif m := READ_END.match(line):
            self.read_ends[m.group(1)] += 1


# -- the database ----------------------------------------------------------
def read_table(db, sql, args=()):
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True, timeout=10)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def missing_from_audit(db, acks):
    """The acknowledged actions with no audit row of their own (a row
    answers one acknowledgement only); a report is matched without its
    target, which its reporter never learns."""
    rows = read_table(db, "SELECT actor, action, room, target FROM audit")
    have = collections.Counter(rows)
    have_loose = collections.Counter(r[:3] for r in rows
                                     if r[1] == "report")
    want = collections.Counter((a["actor"], a["action"], a["room"],
                                a["target"]) for a in acks
                               if a["target"] is not None)
    want_loose = collections.Counter((a["actor"], a["action"], a["room"])
                                     for a in acks if a["target"] is None)
    missing = list((want - have).elements())
    missing += list((want_loose - have_loose).elements())
    return missing, len(rows)


def bans_on_disk(db, actor):
    return read_table(db, "SELECT count(*) FROM bans WHERE banned_by = ?",
                      (actor,))[0][0]
