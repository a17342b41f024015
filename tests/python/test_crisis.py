"""The crisis path through the real binary: "I need help now" (`help`),
and the crisis words read in what participants say, each alerting the
circle's moderators privately and giving the member the help lines
(protocol/README.md, `help`, `alert` and "Crisis words").

Run from this directory:  /usr/bin/python3 -m unittest -v test_crisis
"""

import json
import os
import shutil
import subprocess
import tempfile
import unittest

from kring_harness import BINARY, KringServer
from test_moderation import ModerationCase, db_bytes, room, staff

BELGIUM = ["112", "1813", "0800 32 123", "106", "107", "108"]


def audit_rows(server):
    return [json.loads(line) for line in server.audit_text("jsonl").splitlines()
            if line.strip()]


def alerts_in_audit(server, slug):
    return [r for r in audit_rows(server)
            if r["action"] == "alert" and r["room"] == slug]


class HelpNowTests(ModerationCase):
    """`help`: the moderators there are told, no one else; with none
    there, the first who comes."""

    ROOMS = [room("evening"), room("empty"), room("gone"), room("bad-help"),
             room("dropped"), room("again")]
    MODERATORS = [staff("sara", ["evening", "empty", "gone", "bad-help",
                                 "dropped", "again"]),
                  staff("omar", ["evening", "empty"]),
                  staff("lena", ["again"])]

    async def test_the_moderators_there_are_told_and_no_one_else(self):
        s = await self.login("sara")
        o = await self.login("omar")
        v = await self.login("lena")  # moderates no circle of these
        a = await self.client("A")
        b = await self.client("B")
        await self.seat("evening", s, o, v, a, b)
        await a.send({"type": "help", "room": "evening", "ref": "h1"})
        sent = await a.expect("help_sent", ref="h1")
        self.assertEqual(sent["room"], "evening")
        self.assertIs(sent["reached"], True)
        self.assertEqual([l["number"] for l in sent["resources"]["lines"]],
                         BELGIUM)
        self.assertEqual(sent["resources"]["notice"],
                         "not_an_emergency_service")
        for mod in (s, o):
            alert = await mod.expect("alert", room="evening", member=a.mid)
            self.assertEqual(alert["kind"], "help")
            self.assertEqual(alert["name"], a.welcome["name"])
            self.assertIsInstance(alert["at"], int)
            self.assertNotIn("waited", alert)
            self.assertNotIn("message", alert)
        for other in (v, b):
            await other.expect_silence(0.3)

        # Pressed again at once: answered, but the moderators know already.
        await a.send({"type": "help", "room": "evening", "ref": "h2"})
        again = await a.expect("help_sent", ref="h2")
        self.assertIs(again["reached"], True)
        await s.expect_silence(0.3)

        rows = alerts_in_audit(self.server, "evening")
        self.assertEqual(len(rows), 1, rows)
        self.assertEqual(rows[0]["actor"], a.mid)
        self.assertEqual(rows[0]["detail"], "kind=help reached")

    async def test_with_no_moderator_there_the_first_who_comes_is_told(self):
        a = await self.client("A")
        b = await self.client("B")
        await self.seat("empty", a, b)
        await a.send({"type": "help", "room": "empty", "ref": "h"})
        sent = await a.expect("help_sent", ref="h")
        self.assertIs(sent["reached"], False)
        self.assertEqual([l["number"] for l in sent["resources"]["lines"]],
                         BELGIUM)
        await b.expect_silence(0.3)

        s = await self.login("sara")
        await self.join(s, "empty")
        alert = await s.expect("alert", room="empty", member=a.mid)
        self.assertEqual(alert["kind"], "help")
        self.assertIs(alert["waited"], True)
        for c in (a, b):
            await c.expect("member_joined", room="empty")
        # It waited for one moderator; the next does not get it again.
        o = await self.login("omar")
        await self.join(o, "empty")
        await o.expect_silence(0.3)
        for c in (s, a, b):
            await c.expect("member_joined", room="empty")
            await c.expect_silence(0.1)
        rows = alerts_in_audit(self.server, "empty")
        self.assertEqual([r["detail"] for r in rows], ["kind=help waiting"])

    async def test_an_alert_waits_no_longer_than_its_member_stays(self):
        a = await self.client("A")
        await self.join(a, "gone")
        await a.send({"type": "help", "room": "gone", "ref": "h"})
        await a.expect("help_sent", ref="h", reached=False)
        await a.send({"type": "leave", "room": "gone"})
        await a.expect("left", room="gone")
        s = await self.login("sara")
        await self.join(s, "gone")
        await s.expect_silence(0.3)

    async def test_a_moderator_whose_connection_dropped_is_not_there(self):
        s = await self.login("sara")
        a = await self.client("A")
        await self.seat("dropped", s, a)
        s.abort()
        await a.expect("member_away", room="dropped", id=s.mid)
        await a.send({"type": "help", "room": "dropped", "ref": "h"})
        await a.expect("help_sent", ref="h", reached=False)
        # She logs in again on a new connection and comes back to the circle.
        s2 = await self.login("sara", label="sara-again")
        await self.join(s2, "dropped")
        alert = await s2.expect("alert", room="dropped", member=a.mid)
        self.assertIs(alert["waited"], True)

    async def test_refusals_each_with_its_code_and_no_budget(self):
        s = await self.login("sara")
        a = await self.client("A")
        await self.seat("bad-help", s, a)
        cases = [
            ({"type": "help"}, "missing_field"),
            ({"type": "help", "room": 7}, "bad_field"),
            ({"type": "help", "room": "Bad Help"}, "bad_field"),
            ({"type": "help", "room": "evening"}, "not_in_room"),
            ({"type": "help", "room": "no-such-circle"}, "not_in_room"),
        ]
        for i, (req, code) in enumerate(cases):
            await a.send(dict(req, ref="b%d" % i))
            await a.expect_error(code, ref="b%d" % i)
        await s.expect_silence(0.2)
        # Never refused for sending fast: more than any message budget.
        for i in range(40):
            await a.send({"type": "help", "room": "bad-help", "ref": "x%d" % i})
        for i in range(40):
            await a.expect("help_sent", ref="x%d" % i, reached=True)
        alert = await s.expect("alert", member=a.mid, kind="help")
        self.assertEqual(alert["room"], "bad-help")
        await s.expect_silence(0.3)  # one alert for all forty
        await a.ping()


class CrisisWordsTests(ModerationCase):
    """Crisis words: delivered as said, and the moderators told."""

    ROOMS = [room("words"), room("ordinary"), room("staff-words"),
             room("muted-words"), room("words-twice")]
    MODERATORS = [staff("sara", ["words", "ordinary", "staff-words",
                                 "muted-words", "words-twice"])]

    async def test_a_worried_line_is_delivered_and_raises_an_alert(self):
        s = await self.login("sara")
        a = await self.client("A")
        b = await self.client("B")
        await self.seat("words", s, a, b)
        text = "Sometimes I want to KILL myself, honestly"
        own = await a.say("words", text, ref="w")
        got = await b.expect("message", room="words", text=text)
        self.assertEqual(got["id"], own["id"])
        offered = await a.expect("help_offered", room="words")
        self.assertEqual([l["number"] for l in offered["resources"]["lines"]],
                         BELGIUM)
        _, alert = await s.expect_frames(("message", {"id": own["id"]}),
                                         ("alert", {"member": a.mid}))
        self.assertEqual(alert["kind"], "words")
        self.assertEqual(alert["message"], own["id"])
        self.assertNotIn("text", alert)
        await b.expect_silence(0.3)

        rows = alerts_in_audit(self.server, "words")
        self.assertEqual([r["detail"] for r in rows], ["kind=words reached"])
        for where in (self.server.audit_text("jsonl"), self.server.log()):
            self.assertNotIn("KILL", where)
        self.assertNotIn(b"KILL myself", db_bytes(self.server))

    async def test_ordinary_talk_raises_nothing(self):
        s = await self.login("sara")
        a = await self.client("A")
        await self.seat("ordinary", s, a)
        for text in ("She is a skilled nurse", "I could skill myself up",
                     "Thank you all, tonight helped"):
            await self.say_to(a, "ordinary", text, others=[s])
        await a.expect_silence(0.3)
        await s.expect_silence(0.1)
        self.assertEqual(alerts_in_audit(self.server, "ordinary"), [])

    async def test_a_moderator_naming_the_words_raises_nothing(self):
        s = await self.login("sara")
        a = await self.client("A")
        await self.seat("staff-words", s, a)
        text = "If you think of suicide, 1813 answers day and night"
        await self.say_to(s, "staff-words", text, others=[a])
        await s.expect_silence(0.3)
        await a.expect_silence(0.1)

    async def test_a_muted_member_is_still_heard_by_the_moderators(self):
        s = await self.login("sara")
        a = await self.client("A")
        b = await self.client("B")
        await self.seat("muted-words", s, a, b)
        await s.send({"type": "mute", "room": "muted-words", "member": a.mid,
                      "ref": "m"})
        await s.expect_frames(("ok", {"ref": "m"}), ("muted", {"member": a.mid}))
        await a.expect("muted", member=a.mid)
        await a.send({"type": "say", "room": "muted-words",
                      "text": "ik wil dood", "ref": "s"})
        await a.expect_frames(("error", {"code": "muted", "ref": "s"}),
                              ("help_offered", {"room": "muted-words"}))
        alert = await s.expect("alert", member=a.mid, kind="words")
        self.assertNotIn("message", alert)  # nothing was said in the circle
        await b.expect_silence(0.3)

    async def test_more_worried_lines_within_a_minute_are_one_alert(self):
        s = await self.login("sara")
        a = await self.client("A")
        await self.seat("words-twice", s, a)
        await a.say("words-twice", "je veux mourir", ref="1")
        await a.expect("help_offered")
        await s.expect_frames("message", ("alert", {"kind": "words"}))
        await a.say("words-twice", "vraiment, je veux mourir", ref="2")
        await s.expect("message", room="words-twice")
        await a.expect_silence(0.3)  # no second offer
        await s.expect_silence(0.1)  # no second alert
        # Asking for help is an alert of its own kind.
        await a.send({"type": "help", "room": "words-twice", "ref": "h"})
        await a.expect("help_sent", ref="h", reached=True)
        await s.expect("alert", member=a.mid, kind="help")


OWN_WORDS = {"written": "2026-12-01", "languages": [
    {"lang": "nl", "review": "reviewed", "phrases": ["paarse olifant"]}]}


class OwnCrisisWordsTests(ModerationCase):
    ROOMS = [room("own")]
    MODERATORS = [staff("sara", ["own"])]

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="kring-crisis-")
        path = os.path.join(cls.dir, "words.json")
        with open(path, "w") as f:
            json.dump(OWN_WORDS, f)
        cls.SERVER_ARGS = ModerationCase.SERVER_ARGS + ["--crisis-words", path]
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(cls.dir, True)

    async def test_the_deployments_words_replace_the_shipped_ones(self):
        s = await self.login("sara")
        a = await self.client("A")
        await self.seat("own", s, a)
        await self.say_to(a, "own", "I want to kill myself", others=[s])
        await s.expect_silence(0.3)
        await a.say("own", "Een PAARSE olifant, vanavond", ref="p")
        await s.expect_frames("message", ("alert", {"kind": "words"}))
        await a.expect("help_offered", room="own")


class BadCrisisWordsTests(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="kring-crisis-")
        self.addCleanup(shutil.rmtree, self.dir, True)

    def write(self, text):
        path = os.path.join(self.dir, "words.json")
        with open(path, "w") as f:
            f.write(text)
        return path

    def serve(self, path):
        return subprocess.run([BINARY, "serve", "--crisis-words", path,
                               "--db", os.path.join(self.dir, "k.db"),
                               "--listen", "127.0.0.1:0"],
                              capture_output=True, text=True, timeout=30)

    def test_a_wrong_file_stops_the_server_and_says_why(self):
        cases = [
            ("{", "not JSON"),
            ('{"written": "2026-12-01", "languages": []}',
             "languages must be a list of 1 to 40 languages"),
            (json.dumps({"written": "2026-12-01", "languages": [
                {"lang": "en", "review": "checked", "phrases": ["x"]}]}),
             'languages[0]: review must be "draft" or "reviewed"'),
            (json.dumps({"written": "2026-12-01", "languages": [
                {"lang": "en", "review": "draft", "phrases": ["?!"]}]}),
             "languages[0].phrases[0] must be 1 to 8 words"),
        ]
        for text, why in cases:
            path = self.write(text)
            res = self.serve(path)
            self.assertEqual(res.returncode, 2, res.stderr)
            self.assertIn("crisis-words " + path + ": " + why, res.stderr)
        res = self.serve(os.path.join(self.dir, "missing.json"))
        self.assertEqual(res.returncode, 2)
        self.assertIn("can't be read", res.stderr)

    def test_check_config_reads_the_files_it_names(self):
        bad = self.write('{"written": "2026-12-01", "languages": []}')
        conf = os.path.join(self.dir, "kring.toml")
        help_path = os.path.join(self.dir, "help.json")
        with open(help_path, "w") as f:
            f.write("[]")
        with open(conf, "w") as f:
            f.write('crisis-words = "%s"\nhelp-lines = "%s"\n' % (bad, help_path))
        res = subprocess.run([BINARY, "check-config", conf],
                             capture_output=True, text=True, timeout=30)
        self.assertEqual(res.returncode, 1, res.stdout + res.stderr)
        self.assertIn("help-lines " + help_path + ": the file must hold one object",
                      res.stderr)
        self.assertIn("crisis-words " + bad + ": languages must be a list",
                      res.stderr)
        with open(bad, "w") as f:
            json.dump(OWN_WORDS, f)
        os.remove(help_path)
        with open(conf, "w") as f:
            f.write('crisis-words = "%s"\n' % bad)
        res = subprocess.run([BINARY, "check-config", conf],
                             capture_output=True, text=True, timeout=30)
        self.assertEqual(res.returncode, 0, res.stderr)


if __name__ == "__main__":
    unittest.main()
