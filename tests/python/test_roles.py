"""Peer-led circles and interpreters through the real binary: an admin names
a facilitator (`kring moderator assign NAME ROOM --as facilitator`), who
runs the circle's rounds, hands, pause and agreement but removes and bans
no one; an interpreter attaches translations that go with their message
(protocol/README.md, "Peer-led circles" and "Interpreters").

Run from this directory:  /usr/bin/python3 -m unittest -v test_roles
"""

import unittest

from test_moderation import ModerationCase, db_bytes, room, staff


class RoleTests(ModerationCase):
    ROOMS = [dict(room("peers"), extra=["--peer-led"]),
             dict(room("words"), history="session"),
             dict(room("evening"), extra=["--peer-led", "--require-agreement"])]
    MODERATORS = [staff("sara", ["words"]), staff("dora"), staff("dina")]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server.cli("moderator", "assign", "dora", "peers", "--as",
                       "facilitator")
        cls.server.cli("moderator", "assign", "dina", "words", "--as",
                       "interpreter")
        cls.server.cli("moderator", "assign", "dora", "evening", "--as",
                       "facilitator")

    async def test_a_facilitator_runs_a_peer_led_circle(self):
        f = await self.login("dora")
        self.assertEqual(f.login["role"], "facilitator")
        self.assertEqual(f.login["facilitates"], ["evening", "peers"])
        self.assertEqual(f.login["rooms"], [])
        a = await self.client("A")
        b = await self.client("B")
        jf, ja, _ = await self.seat("peers", f, a, b)
        self.assertEqual(ja["room"]["led"], "peer")
        self.assertEqual(jf["you"]["role"], "facilitator")
        await f.send({"type": "round_start", "room": "peers",
                      "prompt": "One word for today", "ref": "r"})
        started = await f.expect("round", ref="r")
        self.assertEqual(started["order"], [a.mid, b.mid])
        for c in (a, b):
            await c.expect("round", holder=a.mid)
        await f.send({"type": "round_end", "room": "peers", "ref": "e"})
        await f.expect("round_ended", ref="e")
        for c in (a, b):
            await c.expect("round_ended")
        await f.send({"type": "agreement_point", "room": "peers", "item": 4,
                      "ref": "p"})
        await f.expect("agreement_point", ref="p", item=4, by="dora")
        for c in (a, b):
            await c.expect("agreement_point", item=4)
        for req in ({"type": "remove", "room": "peers", "member": a.mid},
                    {"type": "mute", "room": "peers", "member": a.mid},
                    {"type": "ban", "room": "peers", "member": a.mid,
                     "scope": "room"},
                    {"type": "lock", "room": "peers"},
                    {"type": "end", "room": "peers"}):
            with self.subTest(req=req):
                await self.refused(f, req, "forbidden")
        # A call for help reaches her, and no one else.
        await a.send({"type": "help", "room": "peers", "ref": "h"})
        sent = await a.expect("help_sent", ref="h")
        self.assertTrue(sent["reached"])
        alert = await f.expect("alert", room="peers", kind="help")
        self.assertEqual(alert["member"], a.mid)
        await b.expect_silence(0.1)
        audit = [e for e in self.server.audit()
                 if e["action"] == "moderator_assign" and e["target"] == "dora"]
        self.assertEqual(audit[-1]["detail"], "as=facilitate")

    async def test_an_interpreter_translates_and_the_translation_goes_with_its_message(self):
        s = await self.login("sara")
        i = await self.login("dina")
        self.assertEqual(i.login["interprets"], ["words"])
        a = await self.client("A")
        await self.seat("words", s, i, a)
        said = await self.say_to(a, "words", "Ik slaap slecht", (s, i))
        await i.send({"type": "translate", "room": "words",
                      "message": said["id"], "lang": "en",
                      "text": "I sleep badly", "ref": "t"})
        mine = await i.expect("translation", ref="t")
        self.assertEqual(mine["by"], "dina")
        for c in (s, a):
            got = await c.expect("translation", message=said["id"],
                                 lang="en", text="I sleep badly")
            self.assertNotIn("ref", got)
        late = await self.client("late")
        jl = await self.join(late, "words")
        self.assertEqual(jl["history"][-1]["translations"],
                         [{"lang": "en", "text": "I sleep badly",
                           "by": "dina"}])
        for c in (s, i, a):
            await c.expect("member_joined", room="words")
        await self.refused(a, {"type": "translate", "room": "words",
                               "message": said["id"], "lang": "fr",
                               "text": "Je dors mal"}, "forbidden")
        await self.refused(i, {"type": "translate", "room": "words",
                               "message": "m0", "lang": "fr",
                               "text": "Je dors mal"}, "no_such_message")
        await self.act(s, {"type": "delete", "room": "words",
                           "message": said["id"]}, "deleted", (i, a, late),
                       message=said["id"])
        await self.refused(i, {"type": "translate", "room": "words",
                               "message": said["id"], "lang": "fr",
                               "text": "Je dors mal"}, "no_such_message")
        again = await self.client("again")
        ja = await self.join(again, "words")
        self.assertEqual(ja["history"], [])
        # The translation, like the message, is on no disk.
        self.assertNotIn(b"I sleep badly", db_bytes(self.server))

    async def test_a_facilitator_runs_a_whole_evening_circle(self):
        """Lobby and agreement, a check-in round, open sharing with raised
        hands and the floor, a check-out round, and the close."""
        f = await self.login("dora")
        jf = await self.join(f, "evening")
        self.assertEqual(jf["room"]["led"], "peer")
        await f.send({"type": "phase", "room": "evening", "phase": "lobby",
                      "ref": "lobby"})
        await f.expect("phase", ref="lobby", phase="lobby")
        a = await self.client("A")
        b = await self.client("B")
        await a.send({"type": "join", "room": "evening", "lang": "fa",
                      "ref": "j"})
        refused = await a.expect_error("agreement_required", ref="j")
        self.assertEqual(refused["agreement"]["lang"], "fa")
        ja = await self.join(a, "evening", agree=True, lang="fa")
        self.assertEqual(ja["phase"], "lobby")
        await f.expect("member_joined", room="evening")
        await self.join(b, "evening", agree=True, lang="nl")
        for c in (f, a):
            await c.expect("member_joined", room="evening")
        everyone = (f, a, b)

        async def move(phase):
            await f.send({"type": "phase", "room": "evening", "phase": phase,
                          "ref": phase})
            await f.expect("phase", ref=phase, phase=phase)
            for c in (a, b):
                await c.expect("phase", phase=phase, by="dora")

        async def round_of(prompt):
            await f.send({"type": "round_start", "room": "evening",
                          "prompt": prompt, "ref": prompt})
            await f.expect("round", ref=prompt, holder=a.mid)
            for c in (a, b):
                await c.expect("round", holder=a.mid, prompt=prompt)
            await self.refused(b, {"type": "say", "room": "evening",
                                   "text": "me first"}, "not_your_turn")
            await self.say_to(a, "evening", "Tired, but here", others=(f, b))
            await a.send({"type": "done", "room": "evening", "ref": "d"})
            await a.expect("round", ref="d", holder=b.mid)
            for c in (f, b):
                await c.expect("round", holder=b.mid)
            await b.send({"type": "pass", "room": "evening", "ref": "p"})
            await b.expect("round_ended", ref="p", complete=True)
            for c in (f, a):
                await c.expect("round_ended", complete=True)

        await move("check_in")
        await round_of("One word for how you arrive")
        await move("sharing")
        # Open sharing with raised hands: she gives the floor in turn.
        await f.send({"type": "room_set", "room": "evening",
                      "mode": "moderated", "ref": "m"})
        await f.expect_frames(("ok", {"ref": "m"}), "room_state")
        for c in (a, b):
            await c.expect("room_state", mode="moderated")
        await self.refused(a, {"type": "say", "room": "evening",
                               "text": "may I?"}, "moderated")
        await b.send({"type": "hand", "room": "evening", "up": True,
                      "ref": "h"})
        await b.expect("hand", ref="h", up=True)
        await f.expect("hand", member=b.mid, up=True)
        await f.expect("hands", queue=[b.mid])
        await a.expect("hand", member=b.mid, up=True)
        await f.send({"type": "floor", "room": "evening", "member": b.mid,
                      "ref": "fl"})
        await f.expect("floor", ref="fl", member=b.mid, by="dora")
        for c in (a, b):
            await c.expect("floor", member=b.mid, by="dora")
        for c in everyone:
            await c.expect("hand", member=b.mid, up=False)
        await f.expect("hands", queue=[])
        await self.say_to(b, "evening", "This week was hard.", others=(f, a))
        await self.refused(a, {"type": "say", "room": "evening",
                               "text": "me too"}, "moderated")
        await f.send({"type": "floor", "room": "evening", "ref": "back"})
        await f.expect("floor", ref="back", by="dora")
        for c in (a, b):
            got = await c.expect("floor", by="dora")
            self.assertNotIn("member", got)
        await f.send({"type": "room_set", "room": "evening", "mode": "open",
                      "ref": "o"})
        await f.expect_frames(("ok", {"ref": "o"}), "room_state")
        for c in (a, b):
            await c.expect("room_state", mode="open")
        await move("check_out")
        await round_of("One word to leave with")
        # The close ends the session for everyone, and keeps nothing.
        await f.send({"type": "phase", "room": "evening", "phase": "closed",
                      "ref": "c"})
        await f.expect("phase", ref="c", phase="closed")
        for c in everyone:
            if c is not f:
                await c.expect("phase", phase="closed")
            await c.expect("ended", room="evening")
        late = await self.client("late")
        jl = await self.join(late, "evening", agree=True)
        self.assertEqual(jl["history"], [])
        self.assertNotIn("phase", jl)

    def test_assign_refuses_an_unknown_power(self):
        res = self.server.cli("moderator", "assign", "dora", "peers", "--as",
                              "boss", check=False)
        self.assertEqual(res.returncode, 2)
        self.assertIn("--as must be moderator, facilitator or interpreter",
                      res.stderr)
        listed = self.server.cli("moderator", "list").stdout
        self.assertIn("peers:facilitator", listed)
        self.assertIn("words:interpreter", listed)


if __name__ == "__main__":
    unittest.main()
