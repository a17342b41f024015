"""Schedules and phases through the real binary: a circle scheduled in its
time zone (`kring room schedule`) refuses joins outside its hours with its
next session, opens in them with its lobby, and moves through phases that
everyone sees (protocol/README.md, "Schedules and phases").

Run from this directory:  /usr/bin/python3 -m unittest -v test_schedule
"""

import datetime
import unittest
import zoneinfo

from test_moderation import ModerationCase, room, staff

DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]


def local_now(zone):
    return datetime.datetime.now(zoneinfo.ZoneInfo(zone))


def midday_zone():
    """A zone where it is now between 03:00 and 20:00, so that a session
    from an hour ago to two hours from now stays on today's date."""
    for zone in ("UTC", "Asia/Tokyo", "America/New_York", "Pacific/Auckland",
                 "Asia/Kolkata"):
        if 3 <= local_now(zone).hour < 20:
            return zone
    raise AssertionError("no zone at midday")


def hhmm(t):
    return "%02d:%02d" % (t.hour, t.minute)


def ms(t):
    return int(t.timestamp() * 1000)


class ScheduleTests(ModerationCase):
    ROOMS = [room("tonight"), room("later"), room("steps"),
             room("brussels")]
    MODERATORS = [staff("sara", ["tonight", "later", "steps"])]

    def schedule_around_now(self, slug, before_h, after_h, lobby=None):
        zone = midday_zone()
        now = local_now(zone).replace(second=0, microsecond=0)
        start = now + datetime.timedelta(hours=before_h)
        end = now + datetime.timedelta(hours=after_h)
        weekly = "%s %s-%s" % (DAYS[int(start.strftime("%w"))], hhmm(start),
                               hhmm(end))
        args = ["room", "schedule", slug, "--zone", zone, "--weekly", weekly]
        if lobby is not None:
            args += ["--lobby-minutes", str(lobby)]
        self.server.cli(*args)
        return zone, start, end

    async def test_in_its_hours_a_circle_opens_with_its_lobby(self):
        zone, start, end = self.schedule_around_now("tonight", -1, 2)
        a = await self.client("A")
        j = await self.join(a, "tonight")
        self.assertEqual(j["phase"], "lobby")
        self.assertEqual(j["session"], {
            "opens": ms(start) - 10 * 60000, "start": ms(start),
            "end": ms(end), "zone": zone})

    async def test_outside_its_hours_a_circle_refuses_with_its_next_session(self):
        zone, start, end = self.schedule_around_now("later", 3, 4, lobby=15)
        a = await self.client("A")
        await a.send({"type": "join", "room": "later", "ref": "j"})
        refused = await a.expect_error("closed", ref="j")
        self.assertEqual(refused["next"], {
            "opens": ms(start) - 15 * 60000, "start": ms(start),
            "end": ms(end), "zone": zone})
        # Its moderator comes in, and opens it early.
        s = await self.login("sara")
        js = await self.join(s, "later")
        self.assertNotIn("phase", js)
        await s.send({"type": "phase", "room": "later", "phase": "lobby",
                      "ref": "p"})
        await s.expect("phase", ref="p", phase="lobby", by="sara")
        j = await self.join(a, "later")
        self.assertEqual(j["phase"], "lobby")
        self.assertEqual(j["session"]["start"], ms(start))

    async def test_brussels_evenings_are_at_the_zones_own_hours(self):
        self.server.cli("room", "schedule", "brussels", "--zone",
                        "Europe/Brussels", "--weekly",
                        "tue 19:00-20:30, thu 10:00-11:30")
        a = await self.client("A")
        await a.send({"type": "join", "room": "brussels", "ref": "j"})
        frame = await a.recv()
        if frame.get("code") != "closed":
            self.skipTest("it is a Brussels session hour now")
        nxt = frame["next"]
        start = datetime.datetime.fromtimestamp(
            nxt["start"] / 1000, zoneinfo.ZoneInfo("Europe/Brussels"))
        self.assertIn((start.strftime("%a"), hhmm(start)),
                      {("Tue", "19:00"), ("Thu", "10:00")})
        self.assertEqual(nxt["end"] - nxt["start"], 90 * 60000)
        self.assertEqual(nxt["start"] - nxt["opens"], 10 * 60000)
        self.assertGreater(nxt["opens"], ms(local_now("UTC")))
        self.assertLess(nxt["opens"] - ms(local_now("UTC")), 7 * 86400000)

    async def test_phases_move_on_and_everyone_sees_them(self):
        s = await self.login("sara")
        a = await self.client("A")
        b = await self.client("B")
        await self.seat("steps", s, a, b)
        for phase in ("lobby", "check_in", "sharing", "check_out"):
            await s.send({"type": "phase", "room": "steps", "phase": phase,
                          "ref": phase})
            await s.expect("phase", ref=phase, phase=phase)
            for c in (a, b):
                got = await c.expect("phase", room="steps", phase=phase,
                                     by="sara")
                self.assertNotIn("ref", got)
        await self.refused(s, {"type": "phase", "room": "steps",
                               "phase": "sharing"}, "wrong_phase")
        await self.refused(a, {"type": "phase", "room": "steps",
                               "phase": "closed"}, "forbidden")
        await self.refused(s, {"type": "phase", "room": "steps",
                               "phase": "tea"}, "bad_field")
        await self.refused(s, {"type": "phase", "room": "steps"},
                           "missing_field")
        late = await self.client("late")
        jl = await self.join(late, "steps")
        self.assertEqual(jl["phase"], "check_out")
        for c in (s, a, b):
            await c.expect("member_joined", room="steps")
        await s.send({"type": "phase", "room": "steps", "phase": "closed",
                      "ref": "c"})
        await s.expect("phase", ref="c", phase="closed")
        await s.expect("ended", room="steps")
        for c in (a, b, late):
            await c.expect("phase", phase="closed")
            await c.expect("ended", room="steps")

    def test_the_command_line_refuses_a_bad_schedule(self):
        for args, says in (
                (["--zone", "Europe/Atlantis", "--weekly", "tue 19:00-20:30"],
                 "not a time zone this system knows"),
                (["--zone", "Europe/Brussels", "--weekly", "tue 20:30-19:00"],
                 "must end after it starts"),
                (["--zone", "Europe/Brussels", "--weekly",
                  "tue 19:00-20:30,tue 20:00-21:00"], "overlap"),
                (["--zone", "Europe/Brussels", "--weekly", "tue 19:00-20:30",
                  "--lobby-minutes", "500"], "--lobby-minutes must be"),
                (["--zone", "Europe/Brussels"], "give --zone and --weekly"),
                (["--none", "--zone", "Europe/Brussels"], "--none takes no")):
            with self.subTest(args=args):
                res = self.server.cli("room", "schedule", "steps", *args,
                                      check=False)
                self.assertEqual(res.returncode, 2, res.stderr)
                self.assertIn(says, res.stderr)
        res = self.server.cli("room", "schedule", "nowhere", "--none",
                              check=False)
        self.assertEqual(res.returncode, 1)
        done = self.server.cli("room", "schedule", "steps", "--zone",
                               "Europe/Brussels", "--weekly",
                               "tue 19:00-20:30").stdout
        self.assertIn("zone=Europe/Brussels lobby=10 sessions=tue 19:00-20:30",
                      done)
        self.assertIn("steps\t12\topen,scheduled",
                      self.server.cli("room", "list").stdout)
        self.server.cli("room", "schedule", "steps", "--none")
        self.assertIn("steps\t12\topen\t", self.server.cli("room", "list").stdout)


if __name__ == "__main__":
    unittest.main()
