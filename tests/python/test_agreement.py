"""A circle's agreement and what a newcomer reads, through the real binary:
a circle that requires its agreement refuses a join without agree: true
and carries the text in the language asked for; the agreement can be read
again and pointed to; an admin replaces it per circle and language; under
history joined a newcomer reads nothing said before it came
(protocol/README.md, "The agreement" and "History a newcomer sees").

Run from this directory:  /usr/bin/python3 -m unittest -v test_agreement
"""

import json
import os
import shutil
import subprocess
import tempfile
import unittest

from kring_harness import BINARY
from test_moderation import ModerationCase, room, staff

SHIPPED = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                       "..", "..", "deploy", "agreement.json")


def shipped(lang):
    with open(SHIPPED, encoding="utf-8") as f:
        for text in json.load(f)["languages"]:
            if text["lang"] == lang:
                return text
    raise KeyError(lang)


class AgreementTests(ModerationCase):
    ROOMS = [dict(room("agreed"), extra=["--require-agreement"]),
             dict(room("own"), extra=["--require-agreement"]),
             room("open"), room("point"),
             room("fresh"), dict(room("ring"), history="session")]
    MODERATORS = [staff("sara", ["agreed", "own", "point", "fresh", "ring"])]

    async def test_a_join_without_agreeing_is_refused_with_the_text(self):
        a = await self.client("A")
        await a.send({"type": "join", "room": "agreed", "lang": "fa-IR",
                      "ref": "j"})
        refused = await a.expect_error("agreement_required", ref="j")
        fa = shipped("fa")
        self.assertEqual(refused["room"], "agreed")
        self.assertEqual(refused["agreement"],
                         {"lang": "fa", "review": "draft",
                          "items": fa["items"], "notice": fa["notice"]})
        # Not seated: a say is not_in_room, and no one else heard of it.
        await self.refused(a, {"type": "say", "room": "agreed", "text": "x"},
                           "not_in_room")
        # agree: false is no agreement either.
        await a.send({"type": "join", "room": "agreed", "agree": False,
                      "ref": "k"})
        refused = await a.expect_error("agreement_required", ref="k")
        self.assertEqual(refused["agreement"]["lang"], "en")
        # Agreeing, it joins, and joined carries the text it read.
        j = await self.join(a, "agreed", agree=True, lang="fa")
        self.assertTrue(j["room"]["agreement_required"])
        self.assertEqual(j["agreement"]["items"], fa["items"])
        # A language Kring has no agreement in gets English.
        b = await self.client("B")
        jb = await self.join(b, "agreed", agree=True, lang="de")
        self.assertEqual(jb["agreement"]["lang"], "en")
        self.assertEqual(jb["agreement"]["items"], shipped("en")["items"])
        await a.expect("member_joined", room="agreed")
        # Its moderator need not agree to come in.
        s = await self.login("sara")
        await self.join(s, "agreed")

    async def test_the_shipped_languages_are_all_there_and_all_drafts(self):
        a = await self.client("A")
        for lang in ("nl", "fr", "en", "ar", "fa", "uk", "ti", "ps", "ru",
                     "tr"):
            await a.send({"type": "agreement", "room": "open", "lang": lang,
                          "ref": lang})
            got = await a.expect("agreement", ref=lang)
            self.assertEqual(got["lang"], lang)
            self.assertEqual(got["review"], "draft")
            self.assertEqual(len(got["items"]), 7)
            self.assertIn("112", got["notice"])

    async def test_the_agreement_can_be_read_again_and_pointed_to(self):
        s = await self.login("sara")
        a = await self.client("A")
        b = await self.client("B")
        await self.seat("point", s, a, b)
        await a.send({"type": "agreement", "room": "point", "lang": "nl",
                      "ref": "r"})
        got = await a.expect("agreement", ref="r")
        self.assertEqual(got["items"], shipped("nl")["items"])
        await b.expect_silence(0.1)
        # The one running the circle points everyone to an item.
        await s.send({"type": "agreement_point", "room": "point", "item": 3,
                      "ref": "p"})
        mine = await s.expect("agreement_point", ref="p")
        self.assertEqual(mine, {"type": "agreement_point", "room": "point",
                                "item": 3, "by": "sara", "ref": "p"})
        for c in (a, b):
            got = await c.expect("agreement_point", room="point", item=3)
            self.assertNotIn("ref", got)
        # A participant may not; nor past the last item; nor item 0.
        await self.refused(a, {"type": "agreement_point", "room": "point",
                               "item": 1}, "forbidden")
        await self.refused(s, {"type": "agreement_point", "room": "point",
                               "item": 8}, "no_such_item")
        await self.refused(s, {"type": "agreement_point", "room": "point",
                               "item": 0}, "bad_field")
        await self.refused(s, {"type": "agreement_point", "room": "point"},
                           "missing_field")
        await self.refused(a, {"type": "agreement", "room": "nowhere"},
                           "no_such_room")
        await self.refused(a, {"type": "agreement", "room": "point",
                               "lang": "x1"}, "bad_field")
        await self.refused(a, {"type": "join", "room": "open",
                               "lang": 7}, "bad_field")
        for c in (s, a, b):
            await c.expect_silence(0.05)

    async def test_an_admin_gives_a_circle_its_own_agreement(self):
        items = os.path.join(self.server.dir, "own-nl.txt")
        with open(items, "w", encoding="utf-8") as f:
            f.write("Wat hier gezegd wordt, blijft hier.\n\n"
                    "We luisteren naar elkaar.\r\n")
        res = self.server.cli("room", "agreement", "own", "--lang", "nl",
                              "--file", items)
        self.assertIn("set the agreement of circle own in nl", res.stdout)
        a = await self.client("A")
        await a.send({"type": "join", "room": "own", "lang": "nl", "ref": "j"})
        refused = await a.expect_error("agreement_required", ref="j")
        self.assertEqual(refused["agreement"],
                         {"lang": "nl", "review": "circle",
                          "items": ["Wat hier gezegd wordt, blijft hier.",
                                    "We luisteren naar elkaar."],
                          "notice": shipped("nl")["notice"]})
        # In the languages it has not its own in, the deployment's.
        await a.send({"type": "agreement", "room": "own", "lang": "ar",
                      "ref": "r"})
        ar = await a.expect("agreement", ref="r")
        self.assertEqual((ar["lang"], ar["review"]), ("ar", "draft"))
        self.assertEqual(ar["items"], shipped("ar")["items"])
        s = await self.login("sara")
        await self.join(s, "own")
        await self.join(a, "own", agree=True, lang="nl")
        await s.expect("member_joined", room="own")
        await self.refused(s, {"type": "agreement_point", "room": "own",
                               "item": 8}, "no_such_item")
        await s.send({"type": "agreement_point", "room": "own", "item": 2,
                      "ref": "p"})
        await s.expect("agreement_point", ref="p", item=2)
        await a.expect("agreement_point", item=2)
        # Back to the deployment's.
        self.server.cli("room", "agreement", "own", "--lang", "nl",
                        "--default")
        b = await self.client("B")
        jb = await self.join(b, "own", agree=True, lang="nl")
        self.assertEqual(jb["agreement"]["items"], shipped("nl")["items"])
        audit = [e for e in self.server.audit("own")
                 if e["action"] == "room_agreement"]
        self.assertEqual([e["detail"] for e in audit],
                         ["lang=nl items=2", "lang=nl default"])

    def test_the_command_line_refuses_a_bad_agreement(self):
        good = os.path.join(self.server.dir, "good.txt")
        with open(good, "w", encoding="utf-8") as f:
            f.write("One rule.\n")
        long_item = os.path.join(self.server.dir, "long.txt")
        with open(long_item, "w", encoding="utf-8") as f:
            f.write("x" * 301 + "\n")
        too_many = os.path.join(self.server.dir, "many.txt")
        with open(too_many, "w", encoding="utf-8") as f:
            f.write("".join("rule %d\n" % i for i in range(21)))
        empty = os.path.join(self.server.dir, "empty.txt")
        with open(empty, "w", encoding="utf-8") as f:
            f.write("\n  \n")
        control = os.path.join(self.server.dir, "control.txt")
        with open(control, "wb") as f:
            f.write(b"a \x1b[31m red rule\n")
        for args, says in (
                (["--lang", "NL", "--file", good], "--lang must be"),
                (["--lang", "nl"], "give either --file FILE or --default"),
                (["--lang", "nl", "--file", good, "--default"],
                 "give either --file FILE or --default"),
                (["--lang", "nl", "--file", long_item],
                 "at most 300 characters"),
                (["--lang", "nl", "--file", too_many], "1 to 20 items"),
                (["--lang", "nl", "--file", empty], "1 to 20 items"),
                (["--lang", "nl", "--file", control], "one line of text"),
                (["--lang", "nl", "--file", good + ".missing"],
                 "can't be read")):
            with self.subTest(args=args):
                res = self.server.cli("room", "agreement", "open", *args,
                                      check=False)
                self.assertEqual(res.returncode, 2, res.stderr)
                self.assertIn(says, res.stderr)
        res = self.server.cli("room", "agreement", "nowhere", "--lang", "nl",
                              "--file", good, check=False)
        self.assertEqual(res.returncode, 1)
        self.assertIn("no such circle: nowhere", res.stderr)
        for args in (["--history", "everything"],
                     ["--require-agreement", "--no-agreement-required"],
                     ["--peer-led", "--moderator-led"]):
            with self.subTest(args=args):
                res = self.server.cli("room", "edit", "open", *args,
                                      check=False)
                self.assertEqual(res.returncode, 2, res.stderr)

    async def test_a_newcomer_reads_only_what_is_said_after_it_came(self):
        s = await self.login("sara")
        a = await self.client("A")
        ja = await self.join(a, "fresh")
        self.assertEqual(ja["room"]["history"], "joined")
        await self.join(s, "fresh")
        await a.expect("member_joined", room="fresh")
        before = await self.say_to(a, "fresh", "What I said before you came",
                                   (s,))
        b = await self.client("B")
        jb = await self.join(b, "fresh")
        self.assertEqual(jb["history"], [])
        for c in (s, a):
            await c.expect("member_joined", room="fresh")
        # It cannot react to what it never read, nor ask for it on resume.
        await self.refused(b, {"type": "react", "room": "fresh",
                               "message": before["id"], "reaction": "hug"},
                           "no_such_message")
        after = await self.say_to(a, "fresh", "And now you are here", (s, b))
        token = b.token
        b.abort()
        for c in (s, a):
            await c.expect("member_away", room="fresh", id=b.id)
        back = await self.client("B again", resume=token, since={"fresh": 0})
        self.assertTrue(back.welcome["resumed"])
        jr = await back.expect("joined")
        self.assertEqual([h["id"] for h in jr["history"]], [after["id"]])
        for c in (s, a):
            await c.expect("member_back", room="fresh", id=b.id)
        # The circle's moderator, who keeps it safe, reads the session.
        s2 = await self.login("sara", label="sara again")
        await s.send({"type": "leave", "room": "fresh", "ref": "l"})
        await s.expect("left")
        js = await self.join(s2, "fresh")
        self.assertEqual([h["id"] for h in js["history"]],
                         [before["id"], after["id"]])

    async def test_a_session_circle_shows_its_ring_and_the_switch_works(self):
        a = await self.client("A")
        await self.join(a, "ring")
        said = await self.say_to(a, "ring", "Before you came")
        b = await self.client("B")
        jb = await self.join(b, "ring")
        self.assertEqual(jb["room"]["history"], "session")
        self.assertEqual([h["id"] for h in jb["history"]], [said["id"]])
        await a.expect("member_joined", room="ring")
        # The admin switches it to joined: the next newcomer reads nothing.
        self.server.cli("room", "edit", "ring", "--history", "joined")
        c = await self.client("C")
        jc = await self.join(c, "ring")
        self.assertEqual(jc["room"]["history"], "joined")
        self.assertEqual(jc["history"], [])


OWN = {"written": "2026-12-01", "languages": [
    {"lang": "nl", "review": "reviewed", "notice": "Geen noodlijn: bel 112.",
     "items": ["Wat hier gezegd wordt, blijft hier.", "Luister."]},
    {"lang": "en", "review": "draft",
     "items": ["What is said here stays here.", "Listen."]}]}


class DeploymentAgreementTests(ModerationCase):
    """A deployment's own agreement file (`--agreement FILE`)."""

    ROOMS = [room("tea")]

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="kring-agreement-")
        path = os.path.join(cls.dir, "agreement.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(OWN, f)
        cls.SERVER_ARGS = ModerationCase.SERVER_ARGS + ["--agreement", path]
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(cls.dir, True)

    async def test_circles_show_the_deployments_agreement(self):
        a = await self.client("A")
        j = await self.join(a, "tea", lang="nl")
        self.assertEqual(j["agreement"],
                         {"lang": "nl", "review": "reviewed",
                          "items": OWN["languages"][0]["items"],
                          "notice": "Geen noodlijn: bel 112."})
        await a.send({"type": "agreement", "room": "tea", "lang": "ti",
                      "ref": "r"})
        got = await a.expect("agreement", ref="r")
        self.assertEqual((got["lang"], got["review"]), ("en", "draft"))
        self.assertNotIn("notice", got)
        log = self.server.log()
        self.assertIn("agreement: the en text is a draft", log)
        self.assertNotIn("agreement: the nl text", log)

    def serve(self, path):
        return subprocess.run([BINARY, "serve", "--agreement", path,
                               "--db", os.path.join(self.dir, "k.db"),
                               "--listen", "127.0.0.1:0"],
                              capture_output=True, text=True, timeout=30)

    def test_a_wrong_file_stops_the_server_and_check_config_says_why(self):
        uneven = dict(OWN, languages=[OWN["languages"][0],
                                      dict(OWN["languages"][1],
                                           items=["One."])])
        for text, why in (("{", "not JSON"),
                          (json.dumps(uneven), "languages[1]: en has 1 items, "
                           "nl 2: every language must have the same items")):
            path = os.path.join(self.dir, "bad.json")
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            res = self.serve(path)
            self.assertEqual(res.returncode, 2, res.stderr)
            self.assertIn("agreement " + path + ": " + why, res.stderr)
            conf = os.path.join(self.dir, "kring.toml")
            with open(conf, "w") as f:
                f.write('agreement = "%s"\n' % path)
            res = subprocess.run([BINARY, "check-config", conf],
                                 capture_output=True, text=True, timeout=30)
            self.assertEqual(res.returncode, 1, res.stdout + res.stderr)
            self.assertIn("agreement " + path + ": " + why, res.stderr)


if __name__ == "__main__":
    unittest.main()
