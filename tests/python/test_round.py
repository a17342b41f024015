"""The talking piece through the real binary: a round started by a
moderator, the holder alone speaking, done and pass, a newcomer at the end
of the order, a moderator's give, skip and end (protocol/README.md, "The
talking piece").

Run from this directory:  /usr/bin/python3 -m unittest -v test_round
"""

import unittest

from test_moderation import ModerationCase, room, staff


class RoundTests(ModerationCase):
    ROOMS = [room("check-in"), room("steered"), room("round-bad"),
             room("timed")]
    MODERATORS = [staff("sara", ["check-in", "steered", "round-bad",
                                 "timed"])]

    async def round_event(self, clients, **fields):
        """Each of `clients` gets the same `round` (or `round_ended`)."""
        kind = fields.pop("type", "round")
        got = [await c.expect(kind, **fields) for c in clients]
        for g in got[1:]:
            self.assertEqual(dict(g, ref=None), dict(got[0], ref=None))
        return got[0]

    async def test_an_evening_check_in_round(self):
        s = await self.login("sara")
        a = await self.client("A")
        b = await self.client("B")
        await self.seat("check-in", s, a, b)
        everyone = (s, a, b)
        await s.send({"type": "round_start", "room": "check-in",
                      "prompt": "How do you arrive tonight?", "ref": "r"})
        mine = await s.expect("round", ref="r")
        self.assertEqual(mine["order"], [a.mid, b.mid])
        self.assertEqual(mine["holder"], a.mid)
        self.assertEqual(mine["prompt"], "How do you arrive tonight?")
        self.assertEqual((mine["passed"], mine["skipped"]), ([], []))
        for c in (a, b):
            got = await c.expect("round", holder=a.mid)
            self.assertNotIn("ref", got)

        await self.refused(b, {"type": "say", "room": "check-in",
                               "text": "me first"}, "not_your_turn")
        await self.refused(b, {"type": "done", "room": "check-in"},
                           "not_your_turn")
        # Everyone may still react while they listen.
        said = await self.say_to(a, "check-in", "Tired, but glad to be here",
                                 others=[s, b])
        await b.send({"type": "react", "room": "check-in",
                      "message": said["id"], "reaction": "hug", "ref": "h"})
        await b.expect("reactions", ref="h")
        for c in (s, a):
            await c.expect("reactions", message=said["id"])

        # A newcomer joins the end of the order and sees the round in joined.
        late = await self.client("late")
        j = await self.join(late, "check-in")
        self.assertEqual(j["round"]["holder"], a.mid)
        for c in everyone:
            await c.expect("member_joined", room="check-in")
        await self.round_event(everyone + (late,), order=[a.mid, b.mid, late.mid])

        await a.send({"type": "done", "room": "check-in", "ref": "d"})
        await a.expect("round", ref="d", holder=b.mid)
        await self.round_event((s, b, late), holder=b.mid)
        await b.send({"type": "pass", "room": "check-in", "ref": "p"})
        passed = await b.expect("round", ref="p", holder=late.mid)
        self.assertEqual(passed["passed"], [b.mid])
        await self.round_event((s, a, late), holder=late.mid)
        await self.say_to(late, "check-in", "Hello, I am new", others=everyone)
        await late.send({"type": "done", "room": "check-in", "ref": "e"})
        ended = await late.expect("round_ended", ref="e")
        self.assertEqual(ended, {"type": "round_ended", "room": "check-in",
                                 "complete": True, "ref": "e"})
        await self.round_event(everyone, type="round_ended", complete=True)
        await self.say_to(b, "check-in", "Open sharing now", others=[a])

    async def test_a_long_turn_brings_a_gentle_reminder_and_no_cut(self):
        s = await self.login("sara")
        a = await self.client("A")
        b = await self.client("B")
        await self.seat("timed", s, a, b)
        await s.send({"type": "round_start", "room": "timed",
                      "turn_seconds": 10, "ref": "r"})
        started = await s.expect("round", ref="r")
        self.assertEqual(started["turn_seconds"], 10)
        for c in (a, b):
            await c.expect("round", holder=a.mid, turn_seconds=10)
        await b.expect_silence(8)
        for c in (a, s):
            got = await c.expect("round_reminder", timeout=5)
            self.assertEqual(got, {"type": "round_reminder", "room": "timed",
                                   "holder": a.mid, "seconds": 10})
        await b.expect_silence(0.2)
        # The holder speaks on; the piece is still hers.
        await self.say_to(a, "timed", "I am almost done", others=[s, b])
        await self.refused(s, {"type": "round_start", "room": "timed",
                               "turn_seconds": 5}, "bad_field")

    async def test_a_moderator_gives_skips_and_ends(self):
        s = await self.login("sara")
        a = await self.client("A")
        b = await self.client("B")
        c = await self.client("C")
        await self.seat("steered", s, a, b, c)
        everyone = (s, a, b, c)
        await s.send({"type": "round_start", "room": "steered",
                      "order": [c.mid, a.mid]})
        await self.round_event(everyone, holder=c.mid, order=[c.mid, a.mid])
        await s.send({"type": "round_give", "room": "steered", "member": b.mid})
        await self.round_event(everyone, holder=b.mid,
                               order=[b.mid, c.mid, a.mid])
        await s.send({"type": "round_skip", "room": "steered"})
        skipped = await self.round_event(everyone, holder=c.mid)
        self.assertEqual(skipped["skipped"], [b.mid])
        # The holder leaves: the piece moves on.
        await c.send({"type": "leave", "room": "steered"})
        await c.expect("left", room="steered")
        for x in (s, a, b):
            await x.expect_frames(("round", {"holder": a.mid}), "member_left")
        await s.send({"type": "round_end", "room": "steered", "ref": "e"})
        await s.expect("round_ended", ref="e", complete=False)
        for x in (a, b):
            await x.expect("round_ended", complete=False)

    async def test_refusals_each_with_its_code(self):
        s = await self.login("sara")
        a = await self.client("A")
        await self.seat("round-bad", s, a)
        r = "round-bad"
        cases = [
            (a, {"type": "round_start", "room": r}, "forbidden"),
            (s, {"type": "done", "room": r}, "no_round"),
            (s, {"type": "round_skip", "room": r}, "no_round"),
            (s, {"type": "round_give", "room": r, "member": a.mid}, "no_round"),
            (s, {"type": "round_start"}, "missing_field"),
            (s, {"type": "round_start", "room": r, "order": []}, "bad_field"),
            (s, {"type": "round_start", "room": r, "order": "x"}, "bad_field"),
            (s, {"type": "round_start", "room": r, "order": [a.mid, a.mid]}, "bad_field"),
            (s, {"type": "round_start", "room": r, "order": ["nobody"]}, "no_such_member"),
            (s, {"type": "round_start", "room": r, "prompt": "  "}, "bad_text"),
            (s, {"type": "round_start", "room": r, "prompt": "x" * 501}, "too_long"),
            (s, {"type": "round_give", "room": r}, "missing_field"),
            (s, {"type": "round_start", "room": "check-in"}, "not_in_room"),
        ]
        for i, (who, req, code) in enumerate(cases):
            await who.send(dict(req, ref="b%d" % i))
            await who.expect_error(code, ref="b%d" % i)
        await s.send({"type": "round_start", "room": r, "ref": "ok"})
        await s.expect("round", ref="ok")
        await a.expect("round")
        for i, (who, req, code) in enumerate([
                (s, {"type": "round_start", "room": r}, "round_running"),
                (s, {"type": "round_give", "room": r, "member": "nobody"}, "no_such_member"),
                (a, {"type": "round_end", "room": r}, "forbidden"),
                (a, {"type": "round_give", "room": r, "member": a.mid}, "forbidden")]):
            await who.send(dict(req, ref="c%d" % i))
            await who.expect_error(code, ref="c%d" % i)
        await s.ping()
        await a.ping()


if __name__ == "__main__":
    unittest.main()
