"""The private ways of a circle through the real binary: a moderator's
whisper with one participant, the moderators' own channel, a
moderator's private nudge, and a pause of the whole circle
(protocol/README.md, `whisper`, `mod_say`, `nudge` and `pause`).

Run from this directory:  /usr/bin/python3 -m unittest -v test_private
"""

import asyncio
import signal
import time
import unittest

from test_moderation import ModerationCase, db_bytes, room, staff


class WhisperTests(ModerationCase):
    """`whisper`: a moderator and one participant, and no one else."""

    ROOMS = [room("check-in"), room("peers"), room("whisper-bad"),
             room("whisper-away"), room("elsewhere")]
    MODERATORS = [staff("sara", ["check-in", "peers", "whisper-bad",
                                 "whisper-away"]),
                  staff("omar", ["check-in"]),
                  staff("lena", ["elsewhere"])]

    async def test_a_check_in_and_its_answer_reach_only_the_two(self):
        s = await self.login("sara")
        o = await self.login("omar")
        a = await self.client("A")
        b = await self.client("B")
        await self.seat("check-in", s, o, a, b)
        secret = "Amal, how are you holding up tonight?"
        await s.send({"type": "whisper", "room": "check-in",
                      "member": a.mid, "text": secret, "ref": "w1"})
        mine = await s.expect("whisper", ref="w1")
        got = await a.expect("whisper")
        self.assertEqual(got["room"], "check-in")
        self.assertEqual(got["text"], secret)
        self.assertEqual(got["from"], {"id": s.mid, "name": "sara",
                                       "role": "moderator"})
        self.assertEqual(got["to"]["id"], a.mid)
        self.assertIsInstance(got["ts"], int)
        self.assertTrue(got["id"])
        self.assertNotIn("ref", got)
        self.assertEqual(dict(mine, ref=None), dict(got, ref=None))

        answer = "Not great, but better for being asked"
        await a.send({"type": "whisper", "room": "check-in",
                      "member": s.mid, "text": answer, "ref": "w2"})
        await a.expect("whisper", ref="w2", text=answer)
        await s.expect("whisper", text=answer)
        # Any moderator present may be asked, even one who did not write.
        await a.send({"type": "whisper", "room": "check-in",
                      "member": o.mid, "text": "Omar, a word?"})
        await a.expect("whisper", text="Omar, a word?")
        await o.expect("whisper", text="Omar, a word?")
        await s.expect_silence(0.2)
        await b.expect_silence(0.2)
        # Not in the history of one who comes later, nor on disk or in the log.
        late = await self.client("late")
        jl = await self.join(late, "check-in")
        self.assertEqual(jl["history"], [])
        self.assertEqual(jl["seq"], 0)
        disk = db_bytes(self.server)
        log = self.server.log()
        for text in (secret, answer):
            self.assertNotIn(text.encode(), disk)
            self.assertNotIn(text, log)
            self.assertNotIn(text, self.server.audit_text("jsonl"))

    async def test_participants_do_not_whisper_to_each_other(self):
        s = await self.login("sara")
        v = await self.login("lena")  # moderates another circle only
        a = await self.client("A")
        b = await self.client("B")
        await self.seat("peers", s, v, a, b)
        await self.refused(a, {"type": "whisper", "room": "peers",
                               "member": b.mid, "text": "psst"},
                           "whisper_not_allowed")
        await self.refused(a, {"type": "whisper", "room": "peers",
                               "member": v.mid, "text": "psst"},
                           "whisper_not_allowed")
        await self.refused(v, {"type": "whisper", "room": "peers",
                               "member": a.mid, "text": "psst"},
                           "whisper_not_allowed")
        await a.ping()
        for x in (s, v, b):
            await x.expect_silence(0.2)

    async def test_refusals_each_with_its_code(self):
        s = await self.login("sara")
        a = await self.client("A")
        await self.seat("whisper-bad", s, a)
        base = {"type": "whisper", "room": "whisper-bad", "member": a.mid,
                "text": "hello"}
        cases = [
            ({"type": "whisper", "member": a.mid, "text": "hi"},
             "missing_field"),
            ({"type": "whisper", "room": "whisper-bad", "text": "hi"},
             "missing_field"),
            ({"type": "whisper", "room": "whisper-bad", "member": a.mid},
             "missing_field"),
            (dict(base, room="Whisper Bad"), "bad_field"),
            (dict(base, member=5), "bad_field"),
            (dict(base, text=["hi"]), "bad_field"),
            (dict(base, text="   "), "bad_text"),
            (dict(base, text="bell\u0007"), "bad_text"),
            (dict(base, text="x" * 2001), "too_long"),
            (dict(base, member="m" * 65), "too_long"),
            (dict(base, member="nobody"), "no_such_member"),
            (dict(base, member=s.mid), "no_such_member"),
            (dict(base, room="check-in"), "not_in_room"),
        ]
        for i, (req, code) in enumerate(cases):
            await s.send(dict(req, ref="b%d" % i))
            await s.expect_error(code, ref="b%d" % i)
        await s.ping()
        await a.expect_silence(0.2)
        await s.send(dict(base, ref="ok"))
        await s.expect("whisper", ref="ok")
        await a.expect("whisper", text="hello")

    async def test_a_whisper_to_one_who_is_away_is_refused(self):
        s = await self.login("sara")
        a = await self.client("A")
        await self.seat("whisper-away", s, a)
        a.abort()
        await s.expect("member_away", id=a.mid)
        await self.refused(s, {"type": "whisper", "room": "whisper-away",
                               "member": a.mid, "text": "still there?"},
                           "member_away")


class WhisperRateTests(ModerationCase):
    """Whispers are counted against the message rate like `say`."""

    SERVER_ARGS = ModerationCase.SERVER_ARGS + [
        "--message-burst", "3", "--message-rate", "1",
        "--network-message-burst", "1000", "--network-message-rate", "1000"]
    ROOMS = [room("whisper-rate")]
    MODERATORS = [staff("sara", ["whisper-rate"])]

    async def test_whispers_past_the_budget_are_rate_limited(self):
        a = await self.client("A")
        await self.join(a, "whisper-rate")  # one token
        s = await self.login("sara")
        await self.join(s, "whisper-rate")
        await a.expect("member_joined")
        req = {"type": "whisper", "room": "whisper-rate", "member": s.mid,
               "text": "hello"}
        for ref in ("w1", "w2"):  # two, three
            await a.send(dict(req, ref=ref))
            await a.expect("whisper", ref=ref)
            await s.expect("whisper")
        await a.send(dict(req, ref="w3"))
        err = await a.expect_error("rate_limited", ref="w3")
        self.assertGreaterEqual(err["seconds"], 1)
        await s.expect_silence(0.2)
        await a.ping()


class ModChannelTests(ModerationCase):
    """`mod_say`: the moderators of a circle among themselves."""

    ROOMS = [room("handover"), room("mod-bad"), room("mod-end")]
    MODERATORS = [staff("sara", ["handover", "mod-bad", "mod-end"]),
                  staff("omar", ["handover", "mod-end"]),
                  staff("lena", ["mod-bad"]), staff("boss", admin=True)]

    async def test_moderators_hear_it_and_a_later_one_reads_it_in_joined(self):
        s = await self.login("sara")
        a = await self.client("A")
        await self.seat("handover", s, a)
        note = "Amal had a hard evening; check in with her first"
        await s.send({"type": "mod_say", "room": "handover", "text": note,
                      "ref": "d1"})
        mine = await s.expect("mod_message", ref="d1", text=note)
        self.assertEqual(mine["from"], {"id": s.mid, "name": "sara",
                                        "role": "moderator"})
        self.assertIsInstance(mine["ts"], int)
        await a.expect_silence(0.2)

        o = await self.login("omar")
        jo = await self.join(o, "handover")
        await s.expect("member_joined")
        await a.expect("member_joined")
        self.assertEqual([m["text"] for m in jo["mod_history"]], [note])
        self.assertEqual(dict(jo["mod_history"][0], ref="d1"), mine)
        self.assertEqual(jo["history"], [])
        b = await self.client("B")
        jb = await self.join(b, "handover")
        self.assertNotIn("mod_history", jb)
        for x in (s, o, a):
            await x.expect("member_joined")

        await o.send({"type": "mod_say", "room": "handover",
                      "text": "thanks, on it"})
        got = await o.expect("mod_message", text="thanks, on it")
        self.assertEqual(await s.expect("mod_message"), got)
        self.assertNotIn("ref", got)
        for x in (a, b):
            await x.expect_silence(0.2)
        log = self.server.log()
        for text in (note, "thanks, on it"):
            self.assertNotIn(text.encode(), db_bytes(self.server))
            self.assertNotIn(text, log)
            self.assertNotIn(text, self.server.audit_text("jsonl"))

    async def test_refusals_each_with_its_code(self):
        s = await self.login("sara")
        v = await self.login("lena")
        a = await self.client("A")
        await self.seat("mod-bad", s, a)
        base = {"type": "mod_say", "room": "mod-bad", "text": "hello"}
        await self.refused(a, base, "forbidden")
        cases = [
            ({"type": "mod_say", "text": "hi"}, "missing_field"),
            ({"type": "mod_say", "room": "mod-bad"}, "missing_field"),
            (dict(base, room="mod bad"), "bad_field"),
            (dict(base, text=3), "bad_field"),
            (dict(base, text=" \n "), "bad_text"),
            (dict(base, text="esc\u001b"), "bad_text"),
            (dict(base, text="x" * 2001), "too_long"),
            (dict(base, room="handover"), "not_in_room"),
        ]
        for i, (req, code) in enumerate(cases):
            await s.send(dict(req, ref="b%d" % i))
            await s.expect_error(code, ref="b%d" % i)
        await self.refused(v, base, "not_in_room")
        await s.ping()
        await a.expect_silence(0.2)

    async def test_ending_the_circle_wipes_the_channel(self):
        s = await self.login("sara")
        await self.join(s, "mod-end")
        await s.send({"type": "mod_say", "room": "mod-end",
                      "text": "before the end"})
        await s.expect("mod_message")
        await self.act(s, {"type": "end", "room": "mod-end"}, "ended")
        o = await self.login("omar")
        jo = await self.join(o, "mod-end")
        self.assertNotIn("mod_history", jo)


class NudgeTests(ModerationCase):
    """`nudge`: a moderator's private word to one member, audited without
    its words."""

    ROOMS = [room("nudge"), room("nudge-bad")]
    MODERATORS = [staff("sara", ["nudge", "nudge-bad"]),
                  staff("omar", ["nudge", "nudge-bad"])]

    async def test_the_member_and_the_moderators_get_it_and_no_one_else(self):
        s = await self.login("sara")
        o = await self.login("omar")
        a = await self.client("A")
        b = await self.client("B")
        await self.seat("nudge", s, o, a, b)
        words = "Let Badr finish, please: item 3 of our agreement"
        ev = await self.act(s, {"type": "nudge", "room": "nudge",
                                "member": a.mid, "item": 3, "text": words},
                            "nudge", (a, o), member=a.mid)
        self.assertEqual(ev, {"type": "nudge", "room": "nudge",
                              "member": a.mid, "by": "sara", "item": 3,
                              "text": words})
        await b.expect_silence(0.2)
        rows = [r for r in self.server.audit("nudge")
                if r["action"] == "nudge"]
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0]["target"], a.mid)
        self.assertEqual(rows[0]["detail"], "item=3")
        self.assertNotIn(words, self.server.audit_text("jsonl"))
        self.assertNotIn(words, self.server.audit_text("csv"))
        self.assertNotIn(words, self.server.log())
        self.assertNotIn(words.encode(), db_bytes(self.server))
        # Neither an item nor words: a plain reminder.
        ev = await self.act(s, {"type": "nudge", "room": "nudge",
                                "member": b.mid}, "nudge", (b, o),
                            member=b.mid)
        self.assertEqual(ev, {"type": "nudge", "room": "nudge",
                              "member": b.mid, "by": "sara"})
        await a.expect_silence(0.2)

    async def test_refusals_each_with_its_code(self):
        s = await self.login("sara")
        o = await self.login("omar")
        a = await self.client("A")
        b = await self.client("B")
        await self.seat("nudge-bad", s, o, a, b)
        await self.refused(a, {"type": "nudge", "room": "nudge-bad",
                               "member": b.mid}, "forbidden")
        base = {"type": "nudge", "room": "nudge-bad", "member": a.mid}
        cases = [
            ({"type": "nudge", "room": "nudge-bad"}, "missing_field"),
            ({"type": "nudge", "member": a.mid}, "missing_field"),
            (dict(base, room="Nudge"), "bad_field"),
            (dict(base, item=0), "bad_field"),
            (dict(base, item=51), "bad_field"),
            (dict(base, item="2"), "bad_field"),
            (dict(base, item=1.5), "bad_field"),
            (dict(base, text="  "), "bad_text"),
            (dict(base, text="bell\u0007"), "bad_text"),
            (dict(base, text="x" * 501), "too_long"),
            (dict(base, member="m" * 65), "too_long"),
            (dict(base, member="nobody"), "no_such_member"),
            (dict(base, member=o.mid), "forbidden"),
        ]
        for i, (req, code) in enumerate(cases):
            await s.send(dict(req, ref="b%d" % i))
            await s.expect_error(code, ref="b%d" % i)
        await s.ping()
        for x in (o, a, b):
            await x.expect_silence(0.1)


class PauseTests(ModerationCase):
    """`pause`: a moderator freezes the circle's input for a while, with an
    optional calming line; audited without it."""

    ROOMS = [room("pause"), room("pause-end"), room("pause-bad")]
    MODERATORS = [staff("sara", ["pause", "pause-end", "pause-bad"]),
                  staff("omar", ["pause", "pause-end", "pause-bad"])]

    async def test_everyone_is_told_and_participants_wait(self):
        s = await self.login("sara")
        o = await self.login("omar")
        a = await self.client("A")
        b = await self.client("B")
        await self.seat("pause", s, o, a, b)
        said = await self.say_to(b, "pause", "before the pause", (s, o, a))
        words = "Let us take a breath together"
        t0 = time.time() * 1000
        ev = await self.act(s, {"type": "pause", "room": "pause",
                                "seconds": 120, "text": words},
                            "paused", (o, a, b))
        self.assertEqual(set(ev), {"type", "room", "until", "text"})
        self.assertEqual(ev["text"], words)
        self.assertAlmostEqual(ev["until"], t0 + 120000, delta=5000)
        until = ev["until"]
        for req in ({"type": "say", "room": "pause", "text": "but"},
                    {"type": "react", "room": "pause",
                     "message": said["id"], "reaction": "hug"},
                    {"type": "hand", "room": "pause", "up": True}):
            err = await self.refused(a, req, "paused")
            self.assertEqual(err["until"], until)
        # A moderator still speaks, and a late arrival finds the pause.
        await self.say_to(o, "pause", "I am here with you", (s, a, b))
        c = await self.client("C")
        j = await self.join(c, "pause")
        self.assertEqual(j["pause"], {"until": until, "text": words})
        for x in (s, o, a, b):
            await x.expect("member_joined", room="pause")
        rows = [r for r in self.server.audit("pause")
                if r["action"] == "pause"]
        self.assertEqual([r["detail"] for r in rows], ["seconds=120"])
        self.assertNotIn(words, self.server.audit_text("jsonl"))
        self.assertNotIn(words, self.server.log())
        self.assertNotIn(words.encode(), db_bytes(self.server))
        # Ended early: everyone hears it, and speaking works again.
        await self.act(s, {"type": "pause", "room": "pause", "seconds": 0},
                       "unpaused", (o, a, b, c))
        await self.say_to(a, "pause", "thank you", (s, o, b, c))
        j = await self.join(await self.client("D"), "pause")
        self.assertNotIn("pause", j)

    async def test_when_the_time_runs_out_everyone_hears_it(self):
        s = await self.login("sara")
        a = await self.client("A")
        await self.seat("pause-end", s, a)
        await self.act(s, {"type": "pause", "room": "pause-end",
                           "seconds": 5}, "paused", (a,))
        await self.refused(a, {"type": "say", "room": "pause-end",
                               "text": "x"}, "paused")
        got = await a.expect("unpaused", timeout=8)
        self.assertEqual(got, {"type": "unpaused", "room": "pause-end"})
        await s.expect("unpaused", room="pause-end")
        await self.say_to(a, "pause-end", "back", (s,))

    async def test_refusals_each_with_its_code(self):
        s = await self.login("sara")
        o = await self.login("omar")
        a = await self.client("A")
        await self.seat("pause-bad", s, o, a)
        await self.refused(a, {"type": "pause", "room": "pause-bad",
                               "seconds": 60}, "forbidden")
        base = {"type": "pause", "room": "pause-bad", "seconds": 60}
        cases = [
            ({"type": "pause", "room": "pause-bad"}, "missing_field"),
            ({"type": "pause", "seconds": 60}, "missing_field"),
            (dict(base, room="Pause"), "bad_field"),
            (dict(base, room="no-room-here"), "no_such_room"),
            (dict(base, seconds=4), "bad_field"),
            (dict(base, seconds=1), "bad_field"),
            (dict(base, seconds=601), "bad_field"),
            (dict(base, seconds=-1), "bad_field"),
            (dict(base, seconds="60"), "bad_field"),
            (dict(base, seconds=6.5), "bad_field"),
            (dict(base, text="  "), "bad_text"),
            (dict(base, text="bell\u0007"), "bad_text"),
            (dict(base, text="x" * 501), "too_long"),
            (dict(base, text=5), "bad_field"),
        ]
        for i, (req, code) in enumerate(cases):
            await s.send(dict(req, ref="p%d" % i))
            await s.expect_error(code, ref="p%d" % i)
        await s.ping()
        # Ending a pause that is not on is quietly fine.
        await s.send({"type": "pause", "room": "pause-bad", "seconds": 0,
                      "ref": "end"})
        await s.expect("ok", ref="end")
        for x in (o, a):
            await x.expect_silence(0.1)


class PauseStopTests(ModerationCase):
    """A long pause does not hold up a clean stop."""

    ROOMS = [room("pause-stop")]
    MODERATORS = [staff("sara", ["pause-stop"])]

    async def asyncTearDown(self):
        for c in self.clients:  # the server is gone, as it should be
            await c.close()

    async def test_sigterm_during_a_pause_exits_promptly(self):
        s = await self.login("sara")
        a = await self.client("A")
        await self.seat("pause-stop", s, a)
        await self.act(s, {"type": "pause", "room": "pause-stop",
                           "seconds": 600}, "paused", (a,))
        proc = self.server.proc
        t0 = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        await a.expect_close(1001)
        while proc.poll() is None and time.monotonic() - t0 < 5:
            await asyncio.sleep(0.05)
        self.assertIsNotNone(proc.poll(), "kring still running 5 s after "
                             "SIGTERM during a pause")
        self.assertEqual(proc.returncode, 0)


if __name__ == "__main__":
    unittest.main()
