"""The Circles features through the real binary: presence (away, back,
left), unique display names, quiet arrivals, reactions, raised hands and
"just listening" (protocol/README.md).

Run from this directory:  /usr/bin/python3 -m unittest -v test_circles
"""

import asyncio
import time
import unittest

from kring_harness import FAST_CLIENTS, TIMEOUT
from test_moderation import ModerationCase, room, staff


def members_by_id(joined):
    return {m["id"]: m for m in joined["members"]}


class PresenceTests(ModerationCase):
    """A member whose connection drops is away at once, back when it
    resumes, and gone after the resume grace (1 s here)."""

    SERVER_ARGS = ModerationCase.SERVER_ARGS + ["--resume-grace", "1"]
    ROOMS = [room("away"), room("gone"), room("clean")]
    MODERATORS = [staff("sara", ["away"])]

    async def test_away_at_once_and_back_on_resume(self):
        a = await self.client("A")
        b = await self.client("B")
        await self.seat("away", a, b)
        a.abort()
        got = await b.expect("member_away")
        self.assertEqual(got, {"type": "member_away", "room": "away",
                               "id": a.mid})
        c = await self.client("C")
        jc = await self.join(c, "away")
        seen = members_by_id(jc)
        self.assertIs(seen[a.mid].get("away"), True)
        self.assertNotIn("away", seen[b.mid])
        self.assertNotIn("away", seen[c.mid])
        await b.expect("member_joined", room="away")

        a2 = await self.client("A2", resume=a.token, since={"away": 0})
        self.assertTrue(a2.welcome["resumed"])
        ja = await a2.expect("joined")
        self.assertNotIn("away", members_by_id(ja)[a.mid])
        for other in (b, c):
            got = await other.expect("member_back")
            self.assertEqual(got, {"type": "member_back", "room": "away",
                                   "id": a.mid})
        # Back means present: a newcomer sees no `away` any more.
        d = await self.client("D")
        jd = await self.join(d, "away")
        self.assertNotIn("away", members_by_id(jd)[a.mid])
        await b.expect("member_joined", room="away")
        await b.expect_silence(0.2)

    async def test_away_then_left_after_the_grace_period(self):
        a = await self.client("A")
        b = await self.client("B")
        await self.seat("gone", a, b)
        t0 = time.monotonic()
        a.abort()
        await b.expect("member_away", room="gone", id=a.mid)
        self.assertLess(time.monotonic() - t0, 0.8, "away comes at once")
        await b.expect("member_left", room="gone", id=a.mid, timeout=3.5)
        self.assertGreater(time.monotonic() - t0, 0.8)
        await b.expect_silence(0.2)

    async def test_a_clean_close_is_away_too_and_leave_is_left(self):
        a = await self.client("A")
        b = await self.client("B")
        await self.seat("clean", a, b)
        await asyncio.wait_for(a.ws.close(), TIMEOUT)
        await b.expect("member_away", room="clean", id=a.mid)
        a2 = await self.client("A2", resume=a.token)
        await a2.expect("joined")
        await b.expect("member_back", room="clean", id=a.mid)
        await a2.send({"type": "leave", "room": "clean"})
        await a2.expect("left", room="clean")
        await b.expect("member_left", room="clean", id=a.mid)
        await b.expect_silence(0.2)


class NameTests(ModerationCase):
    """No two members of a circle go by the same name."""

    ROOMS = [room("names"), room("names-b"), room("nfc"), room("free"),
             room("given")]
    MODERATORS = [staff("sara", ["names"])]

    async def test_a_taken_name_is_refused_whatever_its_case(self):
        a = await self.client("A")
        ja = await self.join(a, "names", name="Amal")
        self.assertEqual(ja["you"]["name"], "Amal")
        b = await self.client("B")
        for name in ("Amal", "AMAL", "amal", "  amal  "):
            err = await self.refused(b, {"type": "join", "room": "names",
                                         "name": name}, "name_taken")
            self.assertNotIn("reason", err)
        await b.ping()  # the connection lives on
        await a.expect_silence(0.2)
        jb = await self.join(b, "names", name="Amal B")
        self.assertEqual(jb["you"]["name"], "Amal B")
        await a.expect("member_joined", room="names")
        # The same name in another circle is no matter.
        c = await self.client("C")
        jc = await self.join(c, "names-b", name="Amal")
        self.assertEqual(jc["you"]["name"], "Amal")

    async def test_composed_and_decomposed_forms_are_one_name(self):
        a = await self.client("A")
        await self.join(a, "nfc", name="Zo\u00eb")
        b = await self.client("B")
        await self.refused(b, {"type": "join", "room": "nfc",
                               "name": "ZOE\u0308"}, "name_taken")
        await self.refused(b, {"type": "join", "room": "nfc",
                               "name": "zo\u00eb"}, "name_taken")
        c = await self.client("C")
        await self.join(c, "nfc", name="Stra\u00dfe")
        await a.expect("member_joined", room="nfc")
        await self.refused(b, {"type": "join", "room": "nfc",
                               "name": "STRASSE"}, "name_taken")
        jb = await self.join(b, "nfc", name="Zoe")  # no diaeresis: another name
        self.assertEqual(jb["you"]["name"], "Zoe")

    async def test_a_name_frees_up_when_its_member_leaves(self):
        a = await self.client("A")
        await self.join(a, "free", name="Noor")
        b = await self.client("B")
        await self.refused(b, {"type": "join", "room": "free",
                               "name": "noor"}, "name_taken")
        await a.send({"type": "leave", "room": "free"})
        await a.expect("left")
        jb = await self.join(b, "free", name="noor")
        self.assertEqual(jb["you"]["name"], "noor")

    async def test_a_name_the_server_gave_gets_a_number_instead(self):
        a = await self.client("A")
        b = await self.client("B")
        # B takes A's pseudonym first; A then joins without a name.
        await self.join(b, "given", name=a.welcome["name"])
        ja = await self.join(a, "given")
        self.assertEqual(ja["you"]["name"], a.welcome["name"] + " (2)")
        got = await b.expect("member_joined", room="given")
        self.assertEqual(got["member"]["name"], a.welcome["name"] + " (2)")


class QuietArrivalTests(ModerationCase):
    """`kring room edit --quiet-arrivals`: who comes and goes is told to
    the moderators only; the server picks it up at the next join."""

    SERVER_ARGS = ModerationCase.SERVER_ARGS + ["--resume-grace", "1"]
    ROOMS = [room("hush"), room("loud")]
    MODERATORS = [staff("sara", ["hush", "loud"]), staff("omar", ["hush"])]

    async def test_arrivals_and_departures_reach_the_moderators_only(self):
        self.server.cli("room", "edit", "hush", "--quiet-arrivals")
        s = await self.login("sara")
        js = await self.join(s, "hush")
        self.assertIs(js["room"].get("quiet_arrivals"), True)
        p = await self.client("P")
        jp = await self.join(p, "hush")
        self.assertIs(jp["room"].get("quiet_arrivals"), True)
        self.assertEqual(sorted(members_by_id(jp)), sorted([s.mid, p.mid]))
        await s.expect("member_joined", room="hush")
        q = await self.client("Q")
        jq = await self.join(q, "hush")
        # Q sees itself and the moderator, not P.
        self.assertEqual(sorted(members_by_id(jq)), sorted([s.mid, q.mid]))
        got = await s.expect("member_joined", room="hush")
        self.assertEqual(got["member"]["id"], q.mid)
        q.abort()
        await s.expect("member_away", room="hush", id=q.mid)
        await s.expect("member_left", room="hush", id=q.mid, timeout=3.5)
        await p.expect_silence(0.3)
        # What is said still reaches everyone.
        m = await p.say("hush", "hello, quietly")
        got = await s.expect("message", room="hush")
        self.assertEqual(got["id"], m["id"])
        await p.send({"type": "leave", "room": "hush"})
        await p.expect("left")
        await s.expect("member_left", room="hush", id=p.mid)
        # A moderator's own arrival is never quiet.
        r = await self.client("R")
        await self.join(r, "hush")
        await s.expect("member_joined", room="hush")
        omar = await self.login("omar")
        await self.join(omar, "hush")
        await r.expect("member_joined", room="hush")
        await s.expect("member_joined", room="hush")
        # Seen to come, seen to go: also when the moderator logs out.
        await omar.send({"type": "logout"})
        await omar.expect("logged_out")
        await r.expect("member_left", room="hush", id=omar.mid)
        await s.expect("member_left", room="hush", id=omar.mid)

    async def test_announced_again_once_turned_off(self):
        self.server.cli("room", "edit", "loud", "--quiet-arrivals")
        p = await self.client("P")
        jp = await self.join(p, "loud")
        self.assertIs(jp["room"].get("quiet_arrivals"), True)
        self.server.cli("room", "edit", "loud", "--announce-arrivals")
        self.assertEqual([e["detail"] for e in self.server.audit(room="loud")
                          if e["action"] == "room_edit"],
                         ["arrivals=quiet", "arrivals=announced"])
        q = await self.client("Q")
        jq = await self.join(q, "loud")
        self.assertNotIn("quiet_arrivals", jq["room"])
        self.assertEqual(sorted(members_by_id(jq)), sorted([p.mid, q.mid]))
        await p.expect("member_joined", room="loud")


class ReactionTests(ModerationCase):
    """`react`: gentle reactions from a fixed set, counted per message."""

    ROOMS = [dict(room("react"), history="session"), room("react-del"), room("react-bad"),
             room("react-mute")]
    MODERATORS = [staff("sara", ["react-del", "react-mute"])]

    async def test_counts_reach_everyone_and_one_of_each_per_member(self):
        a = await self.client("A")
        b = await self.client("B")
        c = await self.client("C")
        await self.seat("react", a, b, c)
        m = await self.say_to(a, "react", "It was a hard week", (b, c))
        await b.send({"type": "react", "room": "react", "message": m["id"],
                      "reaction": "hug", "ref": "r1"})
        mine = await b.expect("reactions", ref="r1")
        self.assertEqual(mine, {"type": "reactions", "room": "react",
                                "message": m["id"], "counts": {"hug": 1},
                                "ref": "r1"})
        for other in (a, c):
            got = await other.expect("reactions", message=m["id"])
            self.assertEqual(got, {"type": "reactions", "room": "react",
                                   "message": m["id"], "counts": {"hug": 1}})
        await c.send({"type": "react", "room": "react", "message": m["id"],
                      "reaction": "hug"})
        for x in (a, b, c):
            await x.expect("reactions", counts={"hug": 2})
        # The same again: nothing changes, only B hears the counts.
        await b.send({"type": "react", "room": "react", "message": m["id"],
                      "reaction": "hug", "on": True, "ref": "r2"})
        await b.expect("reactions", counts={"hug": 2}, ref="r2")
        await a.expect_silence(0.2)
        # A newcomer sees the counts in joined.history.
        d = await self.client("D")
        jd = await self.join(d, "react")
        self.assertEqual(jd["history"][-1]["id"], m["id"])
        self.assertEqual(jd["history"][-1]["reactions"], {"hug": 2})
        for x in (a, b, c):
            await x.expect("member_joined", room="react")
        # on: false takes it back.
        await c.send({"type": "react", "room": "react", "message": m["id"],
                      "reaction": "hug", "on": False})
        for x in (a, b, c, d):
            await x.expect("reactions", counts={"hug": 1})
        await b.send({"type": "react", "room": "react", "message": m["id"],
                      "reaction": "hug", "on": False})
        for x in (a, b, c, d):
            await x.expect("reactions", counts={})
        e = await self.client("E")
        je = await self.join(e, "react")
        self.assertNotIn("reactions", je["history"][-1])
        for x in (a, b, c, d):
            await x.expect("member_joined", room="react")
        # A resume brings the counts of what it missed.
        since = m["seq"] - 1
        c.abort()
        for x in (a, b, d, e):
            await x.expect("member_away", room="react")
        await a.send({"type": "react", "room": "react", "message": m["id"],
                      "reaction": "me_too"})
        for x in (a, b, d, e):
            await x.expect("reactions", counts={"me_too": 1})
        c2 = await self.client("C2", resume=c.token, since={"react": since})
        jc = await c2.expect("joined")
        self.assertEqual([(h["id"], h.get("reactions")) for h in jc["history"]],
                         [(m["id"], {"me_too": 1})])

    async def test_every_bad_react_has_its_own_code_and_the_connection_lives(self):
        a = await self.client("A")
        await self.join(a, "react-bad")
        m = await a.say("react-bad", "hello")
        base = {"type": "react", "room": "react-bad", "message": m["id"],
                "reaction": "heart"}
        cases = [
            (dict(base, reaction="angry"), "unknown_reaction"),
            (dict(base, reaction="I hear you, really"), "unknown_reaction"),
            (dict(base, reaction="HEART"), "unknown_reaction"),
            (dict(base, reaction=5), "bad_field"),
            (dict(base, reaction="x" * 33), "too_long"),
            (dict(base, on="yes"), "bad_field"),
            (dict(base, room="Not A Slug"), "bad_field"),
            (dict(base, message=12), "bad_field"),
            (dict(base, message="m" * 65), "too_long"),
            ({k: v for k, v in base.items() if k != "reaction"},
             "missing_field"),
            ({k: v for k, v in base.items() if k != "message"},
             "missing_field"),
            (dict(base, message="m-no-such"), "no_such_message"),
            (dict(base, room="react"), "not_in_room"),
            (dict(base, room="nowhere"), "not_in_room"),
        ]
        for i, (req, code) in enumerate(cases):
            req = dict(req, ref="b%d" % i)
            await a.send(req)
            await a.expect_error(code, ref="b%d" % i)
        await a.ping()
        await a.send(dict(base, ref="ok"))
        await a.expect("reactions", counts={"heart": 1}, ref="ok")

    async def test_a_deleted_message_takes_its_reactions_with_it(self):
        s = await self.login("sara")
        p = await self.client("P")
        await self.seat("react-del", s, p)
        m = await self.say_to(p, "react-del", "delete me", (s,))
        await s.send({"type": "react", "room": "react-del",
                      "message": m["id"], "reaction": "strength"})
        for x in (s, p):
            await x.expect("reactions", counts={"strength": 1})
        await self.act(s, {"type": "delete", "room": "react-del",
                           "message": m["id"]}, "deleted", (p,),
                       message=m["id"])
        await self.refused(p, {"type": "react", "room": "react-del",
                               "message": m["id"], "reaction": "heart"},
                           "no_such_message")
        late = await self.client("late")
        jl = await self.join(late, "react-del")
        self.assertEqual(jl["history"], [])

    async def test_a_muted_member_cannot_react(self):
        s = await self.login("sara")
        p = await self.client("P")
        await self.seat("react-mute", s, p)
        m = await self.say_to(s, "react-mute", "welcome", (p,))
        await self.act(s, {"type": "mute", "room": "react-mute",
                           "member": p.mid}, "muted", (p,), member=p.mid)
        await self.refused(p, {"type": "react", "room": "react-mute",
                               "message": m["id"], "reaction": "heart"},
                           "muted")
        await s.expect_silence(0.2)


class HandTests(ModerationCase):
    """`hand`: everyone sees a raised hand; moderators see the queue."""

    ROOMS = [room("hands"), room("hands-bad"), room("hands-leave")]
    MODERATORS = [staff("sara", ["hands", "hands-bad", "hands-leave"]),
                  staff("omar", ["hands"])]

    async def test_hands_up_in_order_and_a_moderator_lowers_one(self):
        s = await self.login("sara")
        a = await self.client("A")
        b = await self.client("B")
        await self.seat("hands", s, a, b)
        await b.send({"type": "hand", "room": "hands", "up": True,
                      "ref": "h1"})
        mine = await b.expect("hand", ref="h1")
        self.assertEqual(mine, {"type": "hand", "room": "hands",
                                "member": b.mid, "up": True, "ref": "h1"})
        got = await a.expect("hand")
        self.assertEqual(got, {"type": "hand", "room": "hands",
                               "member": b.mid, "up": True})
        _, q = await s.expect_frames(("hand", {"member": b.mid}), "hands")
        self.assertEqual(q, {"type": "hands", "room": "hands",
                             "queue": [b.mid]})
        await a.send({"type": "hand", "room": "hands", "up": True})
        for x in (a, b):
            await x.expect("hand", member=a.mid, up=True)
        _, q = await s.expect_frames(("hand", {"member": a.mid}), "hands")
        self.assertEqual(q["queue"], [b.mid, a.mid], "who raised first")
        # Participants never get the queue.
        await a.expect_silence(0.2)
        await b.expect_silence(0.1)
        # A newcomer sees the raised hands; a moderator who comes, the queue.
        c = await self.client("C")
        jc = await self.join(c, "hands")
        up = {m["id"]: m.get("hand") for m in jc["members"]}
        self.assertEqual(up, {s.mid: None, a.mid: True, b.mid: True,
                              c.mid: None})
        for x in (s, a, b):
            await x.expect("member_joined", room="hands")
        o = await self.login("omar")
        await self.join(o, "hands")
        q = await o.expect("hands")
        self.assertEqual(q["queue"], [b.mid, a.mid])
        for x in (s, a, b, c):
            await x.expect("member_joined", room="hands")
        # Sara lowers B's hand.
        await s.send({"type": "hand", "room": "hands", "up": False,
                      "member": b.mid, "ref": "low"})
        got = await s.expect_frames(("hand", {"ref": "low"}), "hands")
        self.assertEqual(got[0]["by"], s.mid)
        self.assertEqual(got[1]["queue"], [a.mid])
        for x in (a, b, c):
            got = await x.expect("hand", member=b.mid, up=False)
            self.assertEqual(got["by"], s.mid)
        await o.expect_frames(("hand", {"member": b.mid}),
                              ("hands", {"queue": [a.mid]}))

    async def test_refusals_each_with_its_code(self):
        s = await self.login("sara")
        a = await self.client("A")
        b = await self.client("B")
        await self.seat("hands-bad", s, a, b)
        await self.refused(a, {"type": "hand", "room": "hands-bad"},
                           "missing_field")
        await self.refused(a, {"type": "hand", "room": "hands-bad",
                               "up": "yes"}, "bad_field")
        await self.refused(a, {"type": "hand", "room": "hands-bad",
                               "up": True, "member": 5}, "bad_field")
        await self.refused(a, {"type": "hand", "room": "hands",
                               "up": True}, "not_in_room")
        await self.refused(a, {"type": "hand", "room": "hands-bad",
                               "up": False, "member": b.mid}, "forbidden")
        await self.refused(s, {"type": "hand", "room": "hands-bad",
                               "up": True, "member": b.mid}, "forbidden")
        await self.refused(s, {"type": "hand", "room": "hands-bad",
                               "up": False, "member": "0" * 16},
                           "no_such_member")
        await a.ping()
        await b.expect_silence(0.2)
        # Lowering a hand that is not up changes nothing: only A hears it.
        await a.send({"type": "hand", "room": "hands-bad", "up": False,
                      "ref": "l"})
        await a.expect("hand", member=a.mid, up=False, ref="l")
        await b.expect_silence(0.2)

    async def test_a_hand_goes_down_when_its_member_leaves(self):
        s = await self.login("sara")
        a = await self.client("A")
        b = await self.client("B")
        await self.seat("hands-leave", s, a, b)
        await a.send({"type": "hand", "room": "hands-leave", "up": True})
        await a.expect("hand", member=a.mid)
        await b.expect("hand", member=a.mid)
        await s.expect_frames("hand", ("hands", {"queue": [a.mid]}))
        await a.send({"type": "leave", "room": "hands-leave"})
        await a.expect("left")
        await b.expect("hand", member=a.mid, up=False)
        await b.expect("member_left", id=a.mid)
        await s.expect_frames(("hand", {"member": a.mid, "up": False}),
                              ("hands", {"queue": []}),
                              ("member_left", {"id": a.mid}))


class ListeningTests(ModerationCase):
    """`listening`: a member says it is just listening; everyone sees it."""

    ROOMS = [room("listen"), room("listen-bad")]
    MODERATORS = [staff("sara", ["listen"])]

    async def test_shown_to_all_and_in_joined_members(self):
        s = await self.login("sara")
        a = await self.client("A")
        b = await self.client("B")
        await self.seat("listen", s, a, b)
        await b.send({"type": "listening", "room": "listen", "on": True,
                      "ref": "l1"})
        mine = await b.expect("listening", ref="l1")
        self.assertEqual(mine, {"type": "listening", "room": "listen",
                                "member": b.mid, "on": True, "ref": "l1"})
        for x in (s, a):
            got = await x.expect("listening")
            self.assertEqual(got, {"type": "listening", "room": "listen",
                                   "member": b.mid, "on": True})
        c = await self.client("C")
        jc = await self.join(c, "listen")
        flags = {m["id"]: m.get("listening") for m in jc["members"]}
        self.assertEqual(flags, {s.mid: None, a.mid: None, b.mid: True,
                                 c.mid: None})
        for x in (s, a, b):
            await x.expect("member_joined", room="listen")
        # Again: nothing changes, only B hears it.
        await b.send({"type": "listening", "room": "listen", "on": True,
                      "ref": "l2"})
        await b.expect("listening", on=True, ref="l2")
        await a.expect_silence(0.2)
        # Off again.
        await b.send({"type": "listening", "room": "listen", "on": False})
        for x in (s, a, b, c):
            await x.expect("listening", member=b.mid, on=False)
        d = await self.client("D")
        jd = await self.join(d, "listen")
        self.assertNotIn("listening", {m["id"]: m for m in
                                       jd["members"]}[b.mid])

    async def test_refusals_each_with_its_code(self):
        a = await self.client("A")
        await self.join(a, "listen-bad")
        await self.refused(a, {"type": "listening", "room": "listen-bad"},
                           "missing_field")
        await self.refused(a, {"type": "listening", "on": True},
                           "missing_field")
        await self.refused(a, {"type": "listening", "room": "listen-bad",
                               "on": "yes"}, "bad_field")
        await self.refused(a, {"type": "listening", "room": "Listen Bad",
                               "on": True}, "bad_field")
        await self.refused(a, {"type": "listening", "room": "listen",
                               "on": True}, "not_in_room")
        await a.ping()


class ReactionRateTests(ModerationCase):
    """Reactions are counted against the message rate like `say`."""

    SERVER_ARGS = ["--message-burst", "3", "--message-rate", "1",
                   "--network-message-burst", "1000",
                   "--network-message-rate", "1000"]
    ROOMS = [room("rate")]

    async def test_reactions_past_the_budget_are_rate_limited(self):
        a = await self.client("A")
        await self.join(a, "rate")      # one token
        m = await a.say("rate", "hi")    # two
        await a.send({"type": "react", "room": "rate", "message": m["id"],
                      "reaction": "heart", "ref": "r1"})  # three
        await a.expect("reactions", ref="r1")
        await a.send({"type": "react", "room": "rate", "message": m["id"],
                      "reaction": "hug", "ref": "r2"})
        err = await a.expect_error("rate_limited", ref="r2")
        self.assertGreaterEqual(err["seconds"], 1)
        await a.ping()


if __name__ == "__main__":
    unittest.main()
