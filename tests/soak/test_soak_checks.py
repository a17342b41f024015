"""The soak's own checks, on made-up evidence: each must fail when what it
guards against happens (a lost audit row, a 4001 to a fast reader, a
descriptor that stays open, an error in the log).

Run from this directory:  /usr/bin/python3 -m unittest -v test_soak_checks
"""

import os
import sqlite3
import sys
import tempfile
import types
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "python"))

import soak_probe  # noqa: E402
from soak_checks import Checks, pick_rows  # noqa: E402
from soak_link import Tally  # noqa: E402
from soak_moderator import audited_as  # noqa: E402


def audit_db(folder, rows):
    path = os.path.join(folder, "kring.sqlite")
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE audit (id INTEGER PRIMARY KEY, at_ms INTEGER, "
                "actor TEXT, action TEXT, room TEXT, target TEXT, "
                "detail TEXT)")
    con.executemany("INSERT INTO audit (at_ms, actor, action, room, target, "
                    "detail) VALUES (0, ?, ?, ?, ?, '')", rows)
    con.commit()
    con.close()
    return path


def ack(actor, action, room, target):
    return {"actor": actor, "action": action, "room": room, "target": target}


class AuditTests(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)

    def test_an_acknowledged_action_without_its_row_is_missing(self):
        db = audit_db(self.dir.name, [("mod", "mute", "r1", "m1"),
                                      ("mod", "lock", "r1", "")])
        missing, rows = soak_probe.missing_from_audit(db, [
            ack("mod", "mute", "r1", "m1"), ack("mod", "lock", "r1", ""),
            ack("mod", "pin", "r2", "x9")])
        self.assertEqual(missing, [("mod", "pin", "r2", "x9")])
        self.assertEqual(rows, 2)

    def test_one_row_answers_one_acknowledgement_only(self):
        db = audit_db(self.dir.name, [("mod", "lock", "r1", "")])
        missing, _ = soak_probe.missing_from_audit(
            db, [ack("mod", "lock", "r1", "")] * 2)
        self.assertEqual(missing, [("mod", "lock", "r1", "")])

    def test_a_report_is_found_without_its_target(self):
        db = audit_db(self.dir.name, [("Quiet Fox 3", "report", "r1", "17")])
        found, _ = soak_probe.missing_from_audit(
            db, [ack("Quiet Fox 3", "report", "r1", None)])
        self.assertEqual(found, [])
        missing, _ = soak_probe.missing_from_audit(
            db, [ack("Quiet Fox 3", "report", "r2", None)])
        self.assertEqual(missing, [("Quiet Fox 3", "report", "r2")])

    def test_requests_are_written_down_as_the_audit_writes_them(self):
        self.assertEqual(audited_as({"type": "ban", "member": "a1"}),
                         ("ban", "a1"))
        self.assertEqual(audited_as({"type": "pin", "text": "hi"}),
                         ("pin", ""))
        self.assertEqual(audited_as({"type": "resolve", "report": 7}),
                         ("resolve", "7"))
        self.assertEqual(audited_as({"type": "room_set", "slow": 5}),
                         ("room_set", ""))


LOG = """\
2026-12-01T10:00:00.000Z info listening on 127.0.0.1:1 with 2 threads
2026-12-01T10:00:01.000Z info hello c=5 id=aaa role=participant new
2026-12-01T10:00:01.100Z info hello c=6 id=bbb role=participant new
2026-12-01T10:00:02.000Z warn send queue full c=5 bytes=1048000
2026-12-01T10:00:02.000Z info closing c=5 code=4001
2026-12-01T10:00:03.000Z info closing c=6 code=1008
2026-12-01T10:00:04.000Z info websocket closed c=6: End of file
2026-12-01T10:00:05.000Z error request failed c=6: database is locked
server/circle/room.cpp:42:7: runtime error: signed integer overflow
"""


def log_facts(folder, text=LOG):
    path = os.path.join(folder, "server.log")
    with open(path, "w") as f:
        f.write(text)
    return soak_probe.LogFacts(path)


class LogTests(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)

    def test_the_log_tells_closes_their_identities_and_errors(self):
        facts = log_facts(self.dir.name)
        self.assertEqual(dict(facts.closes), {4001: 1, 1008: 1})
        self.assertEqual(dict(facts.slow_ids), {"aaa": 1})
        self.assertEqual(facts.fullest_queue, 1048000)
        self.assertEqual(facts.error_count, 2)
        self.assertIn("not a log line: server/circle/room.cpp:42:7: runtime "
                      "error: signed integer overflow", facts.errors)
        self.assertEqual(dict(facts.read_ends), {"End of file": 1})


def closes_verdict(log, slow_episodes, noticed, fullest=1000):
    tally = Tally()
    tally.slow_episodes.update(slow_episodes)
    tally.slow_closed.update(noticed)
    tally.events["flooder refused (rate_limited), closed with 1008"] = 1
    tally.events["resumed with the token"] = 1
    log.fullest_queue = fullest
    checks = Checks()
    args = types.SimpleNamespace(flooders=1, slow_readers=1, resumers=1)
    checks.judge_closes({"log": log, "max_send_queue_bytes": 1 << 20},
                        tally, args)
    return {name: ok for name, ok, _ in checks.results}[
        "slow readers closed with 4001, and only they"]


class SlowReaderVerdictTests(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)
        self.log = log_facts(self.dir.name)

    def test_a_4001_to_the_slow_reader_passes(self):
        self.assertTrue(closes_verdict(self.log, {"aaa": 1}, {"aaa": 1}))

    def test_a_4001_to_someone_who_was_reading_fails(self):
        self.assertFalse(closes_verdict(self.log, {"bbb": 1}, {"bbb": 1}))

    def test_a_close_noticed_that_the_server_did_not_send_fails(self):
        self.assertFalse(closes_verdict(self.log, {"aaa": 2}, {"aaa": 2}))

    def test_no_slow_reader_closed_at_all_fails(self):
        self.assertFalse(closes_verdict(self.log, {"aaa": 1}, {}))

    def test_a_queue_past_its_bound_fails(self):
        self.assertFalse(closes_verdict(self.log, {"aaa": 1}, {"aaa": 1},
                                        fullest=(1 << 20) + 1))


class DescriptorTests(unittest.IsolatedAsyncioTestCase):
    async def test_a_descriptor_left_open_is_not_back_to_the_baseline(self):
        pid = os.getpid()
        baseline = soak_probe.open_fds(pid)
        r, w = os.pipe()
        try:
            ok, count = await soak_probe.fds_back_to(pid, baseline, 0.3)
            self.assertFalse(ok)
            self.assertEqual(count, baseline + 2)
        finally:
            os.close(r)
            os.close(w)
        ok, _ = await soak_probe.fds_back_to(pid, baseline, 0.3)
        self.assertTrue(ok)


class TableTests(unittest.TestCase):
    def test_the_table_has_the_first_one_row_per_period_and_the_last(self):
        rows = [{"seconds": s} for s in (0, 4, 10, 12, 20.5, 29, 31)]
        self.assertEqual([r["seconds"] for r in pick_rows(rows, 10)],
                         [0, 10, 20.5, 31])


if __name__ == "__main__":
    unittest.main()
