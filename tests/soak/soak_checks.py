"""The soak's verdict: each end-state check with what it found, and the
summary (JSON and Markdown, the latter for tests/bench/RESULTS.md)."""

import collections

from soak_moderator import MODERATOR_REFUSALS
from soak_people import FLOODER_REFUSALS, PARTICIPANT_REFUSALS

EXPECTED_REFUSALS = {
    "chatter": PARTICIPANT_REFUSALS, "resumer": PARTICIPANT_REFUSALS,
    "slow reader": PARTICIPANT_REFUSALS, "flooder": FLOODER_REFUSALS,
    "moderator": MODERATOR_REFUSALS, "visitor": set(),
}
BAN_HOURS = 2  # what the soak's moderator bans for


class Checks:
    def __init__(self):
        self.results = []  # (name, passed, what was found)

    def check(self, name, passed, found):
        self.results.append((name, bool(passed), found))

    def fail(self, name, found):
        self.check(name, False, found)

    def passed(self):
        return all(ok for _, ok, _ in self.results)

    def judge(self, s, tally, args):
        if s["died"]:
            self.fail("the server stayed up", "it exited during the soak "
                      "(code %s)" % s.get("exit_code"))
            return
        self.check("the server stayed up", True, "alive at every sample")
        self.check("open fds back to the baseline",
                   s["fds_ok"], "%d at baseline; %s" % (
                       s["baseline_fds"],
                       "back within %.1f s" % s["fds_detail"] if s["fds_ok"]
                       else "%d after %.0f s (%s)" % (
                           s["fds_detail"], args.settle,
                           fd_difference(s["fd_kinds_before"],
                                         s["fd_kinds_after"]))))
        self.judge_memory(s, args)
        self.check("the server answers after the load",
                   s["healthz"] == 200 and s["answers"],
                   "/healthz %s; a visitor's hello, join, say and ping %s"
                   % (s["healthz"], "answered" if s["answers"] else
                      "NOT answered"))
        self.judge_store(s, tally)
        self.judge_closes(s, tally, args)
        self.judge_refusals(s, tally)
        log = s["log"]
        self.check("no error in the server log", log.error_count == 0,
                   "%d error lines%s" % (log.error_count, "".join(
                       "\n    " + e for e in log.errors[:10])))
        self.check("SIGTERM ends the server cleanly", s["exit_code"] == 0,
                   "exit code %s" % s["exit_code"])
        self.check("no other problem", tally.problem_count == 0,
                   "%d%s" % (tally.problem_count, "".join(
                       "\n    " + p for p in tally.problems[:20])))

    def judge_memory(self, s, args):
        bound = args.max_rss_mib or (2048 if s["sanitized"] else 512)
        peak = max(r["hwm_kib"] for r in s["rows"]) if s["rows"] else 0
        self.check("peak RSS under the sanity bound", peak <= bound * 1024,
                   "peak %.1f MiB (bound %d MiB); %.1f MiB at baseline, "
                   "%.1f MiB after the load" % (
                       peak / 1024, bound, s["baseline_rss_kib"] / 1024,
                       s["rss_after_kib"] / 1024))

    def judge_store(self, s, tally):
        missing = s["missing"]
        self.check("every acknowledged action is in the audit table",
                   not missing, "%d acknowledged, %d audit rows, %d missing%s"
                   % (len(tally.acks), s["audit_rows"], len(missing),
                      "".join("\n    %r" % (m,) for m in missing[:10])))
        now = max((a.get("at", 0) for a in tally.acks), default=0)
        bans = [a for a in tally.acks if a["action"] == "ban"
                and a["at"] > now - BAN_HOURS * 3600 + 600]
        self.check("every acknowledged ban is in the bans table",
                   s["bans_on_disk"] >= len(bans),
                   "%d acknowledged, %d on disk" % (len(bans),
                                                    s["bans_on_disk"]))

    def judge_closes(self, s, tally, args):
        ev, log = tally.events, s["log"]
        floods = ev["flooder refused (rate_limited), closed with 1008"]
        self.check("flooders refused with rate_limited, closed with 1008",
                   floods > 0 or args.flooders == 0,
                   "%d floods (every one that failed is a problem below)"
                   % floods)
        # Each close a slow reader noticed is a 4001 in the log, and each
        # 4001 went to an identity while it was not reading (some come
        # after the soak went quiet, unnoticed).
        noticed, stopped = tally.slow_closed, tally.slow_episodes
        wrong = {i: (noticed[i], n, stopped[i])
                 for i, n in log.slow_ids.items() if n > stopped[i]}
        wrong.update({i: (n, log.slow_ids[i], stopped[i])
                      for i, n in noticed.items() if log.slow_ids[i] < n})
        bound = s["max_send_queue_bytes"]
        self.check("slow readers closed with 4001, and only they",
                   not wrong and log.fullest_queue <= bound and (
                       sum(noticed.values()) > 0 or args.slow_readers == 0),
                   "%d times not reading, %d closes noticed, 4001 in the "
                   "log %d times; fullest send queue %d bytes (bound %d); "
                   "identities with (noticed, 4001, episodes) that do not "
                   "add up: %r" % (
                       sum(stopped.values()), sum(noticed.values()),
                       log.closes[4001], log.fullest_queue, bound,
                       dict(list(wrong.items())[:5])))
        resumes = ev["resumed with the token"]
        self.check("every resume was resumed", resumes > 0 or
                   args.resumers == 0, "%d resumes (a refused one is a "
                   "problem below)" % resumes)

    def judge_refusals(self, s, tally):
        odd = {"%s: %s" % k: n for k, n in tally.errors.items()
               if k[1] not in EXPECTED_REFUSALS.get(k[0], set())}
        self.check("no refusal that moderation does not explain", not odd,
                   repr(odd) if odd else "none")
        left = {k: n for k, n in s["unanswered"].items() if n}
        self.check("every request answered", not left and not s["late_tasks"],
                   "unanswered on open connections: %r; people still busy "
                   "at the end: %d" % (left, s["late_tasks"]))

    def summary(self, s, tally):
        log = s["log"]
        return {
            "checks": [{"check": n, "passed": ok, "found": f}
                       for n, ok, f in self.results],
            "passed": self.passed(),
            "load_seconds": s["load_seconds"],
            "baseline_fds": s["baseline_fds"],
            "baseline_rss_kib": s["baseline_rss_kib"],
            "rss_after_kib": s.get("rss_after_kib"),
            "deliveries": tally.deliveries,
            "sent": {"%s %s" % k: n for k, n in sorted(tally.sent.items())},
            "refusals": {"%s %s" % k: n
                         for k, n in sorted(tally.errors.items())},
            "client_closes": {"%s: %s" % k: n
                              for k, n in sorted(tally.closes.items())},
            "server_closes": dict(sorted(log.closes.items())),
            "server_read_ends": dict(log.read_ends.most_common(8)),
            "events": dict(sorted(tally.events.items())),
            "acknowledged": dict(collections.Counter(
                a["action"] for a in tally.acks)),
            "slow_reader_seconds": spread(tally.slow_seconds),
            "moderator_answer_seconds": spread(tally.answer_seconds),
            "flood_seconds": spread(tally.flood_seconds),
            "soak_late_ms_worst": max((r["soak_late_ms"] for r in s["rows"]),
                                      default=0),
            "soak_unread_kib_worst": max(
                (r["soak_unread_kib"] for r in s["rows"]), default=0),
            "log_lines": log.lines,
            "samples": s["rows"],
        }


def spread(values):
    """min, median and max, rounded; None when there are none."""
    if not values:
        return None
    v = sorted(values)
    return {"min": round(v[0], 1), "median": round(v[len(v) // 2], 1),
            "max": round(v[-1], 1), "count": len(v)}


def fd_difference(before, after):
    diff = collections.Counter(after)
    diff.subtract(before)
    return ", ".join("%+d %s" % (n, k) for k, n in diff.items() if n) or \
        "same kinds"


def pick_rows(rows, every):
    """The first sample, one per `every` seconds, and the last."""
    out, next_at = [], 0.0
    for r in rows:
        if r["seconds"] >= next_at:
            out.append(r)
            next_at = (int(r["seconds"] // every) + 1) * every
    if rows and out[-1] is not rows[-1]:
        out.append(rows[-1])
    return out


def report_markdown(summary, args):
    lines = ["| s | RSS MiB | peak MiB | fds | threads | connections "
             "| deliveries | soak late ms | soak unread KiB |",
             "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
             "| ---: |"]
    for r in pick_rows(summary["samples"], args.table_every):
        lines.append("| %d | %.1f | %.1f | %d | %d | %d | %d | %d | %d |" % (
            r["seconds"], r["rss_kib"] / 1024, r["hwm_kib"] / 1024,
            r["fds"], r["threads"], r["connections"], r["deliveries"],
            r["soak_late_ms"], r["soak_unread_kib"]))
    lines += ["", "Deliveries: %d in %.0f s (%.0f/s)." % (
        summary["deliveries"], summary["load_seconds"],
        summary["deliveries"] / max(1.0, summary["load_seconds"])), "",
        "Closes seen by the clients: " + ", ".join(
            "%s %d" % kv for kv in summary["client_closes"].items()) + ".",
        "", "Closes sent by the server (its log), by code: " + ", ".join(
            "%s: %d" % kv for kv in summary["server_closes"].items()) + ".",
        "", "Slow readers closed after (seconds without reading): %s." % (
            summary["slow_reader_seconds"],),
        "", "The moderator's actions answered after (seconds): %s." % (
            summary["moderator_answer_seconds"],),
        "", "Each flood of 300 messages sent within (seconds): %s." % (
            summary["flood_seconds"],),
        "", "How far the soak itself fell behind: its loop up to %d ms "
        "late, up to %d KiB unread in its sockets." % (
            summary["soak_late_ms_worst"], summary["soak_unread_kib_worst"]),
        "", "What happened: " + ", ".join(
            "%s %d" % kv for kv in summary["events"].items()) + ".", "",
        "Acknowledged actions: " + ", ".join(
            "%s %d" % kv for kv in sorted(summary["acknowledged"].items()))
        + ".", "", "| end-state check | result |", "| --- | --- |"]
    for c in summary["checks"]:
        found = c["found"].replace("\n", " ").replace("|", "\\|")
        lines.append("| %s | %s: %s |" % (
            c["check"], "passed" if c["passed"] else "FAILED", found))
    return "\n".join(lines) + "\n"
