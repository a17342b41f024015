"""The directory through the real binary: organisations and circles made
with the command line, GET /api/circles with its filters, and a circle's
calendar, GET /api/circles/SLUG.ics, read back as RFC 5545 says
(protocol/README.md, "The directory").

Run from this directory:  /usr/bin/python3 -m unittest -v test_directory
"""

import datetime
import http.client
import json
import unittest
import zoneinfo

from test_moderation import ModerationCase, room


def get(port, target, method="GET"):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, target)
        res = conn.getresponse()
        return res.status, dict(res.getheaders()), res.read()
    finally:
        conn.close()


def unfold(ics):
    """The content lines of an iCalendar text, unfolded (RFC 5545, 3.1)."""
    text = ics.decode("utf-8")
    assert "\n" not in text.replace("\r\n", ""), "every line ends in CRLF"
    return text.replace("\r\n ", "").split("\r\n")


class DirectoryTests(ModerationCase):
    ROOMS = [room("demo")]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cli = cls.server.cli
        cli("org", "add", "caw", "--name", "CAW Noord", "--city", "Antwerpen",
            "--contact", "03 123 45 67")
        cli("org", "about", "caw", "--lang", "nl", "--text",
            "Hulp voor wie het moeilijk heeft.")
        cli("org", "add", "welkom", "--name", "Welkom Huis")
        cli("room", "add", "tea", "--title", "Thee en praten", "--org", "caw",
            "--languages", "nl,ar", "--description",
            "Voor vrouwen, op dinsdagavond.")
        cli("room", "schedule", "tea", "--zone", "Europe/Brussels",
            "--weekly", "tue 19:00-20:30")
        cli("room", "add", "dari", "--title", "Dari circle", "--org",
            "welkom", "--languages", "fa,ps", "--peer-led",
            "--require-agreement")
        cli("room", "add", "hidden", "--title", "By link", "--unlisted",
            "--languages", "nl")

    def circles(self, query=""):
        status, headers, body = get(self.server.port, "/api/circles" + query)
        self.assertEqual(status, 200, body)
        self.assertEqual(headers["Content-Type"],
                         "application/json; charset=utf-8")
        self.assertEqual(headers["Access-Control-Allow-Origin"], "*")
        return {c["slug"]: c for c in json.loads(body)["circles"]}

    async def test_the_directory_lists_listed_circles_with_who_runs_them(self):
        a = await self.client("A")
        await self.join(a, "dari", agree=True)
        circles = self.circles()
        # demo was made by the server's --demo; hidden is by link only.
        self.assertEqual(sorted(circles), ["dari", "demo", "tea"])
        tea, dari = circles["tea"], circles["dari"]
        self.assertEqual(tea["organisation"], {
            "slug": "caw", "name": "CAW Noord", "city": "Antwerpen",
            "contact": "03 123 45 67",
            "about": {"nl": "Hulp voor wie het moeilijk heeft."}})
        self.assertEqual(tea["languages"], ["nl", "ar"])
        self.assertEqual(tea["description"], "Voor vrouwen, op dinsdagavond.")
        self.assertEqual((tea["led"], dari["led"]), ("moderator", "peer"))
        self.assertTrue(dari["agreement_required"])
        self.assertEqual(dari["present"], 1)
        self.assertEqual(tea["present"], 0)
        self.assertTrue(dari["open_now"])
        self.assertIsNone(dari["next"])
        # The next Tuesday evening in Brussels, as Python's own zoneinfo has it.
        nxt = tea["next"]
        self.assertEqual(nxt["zone"], "Europe/Brussels")
        start = datetime.datetime.fromtimestamp(
            nxt["start"] / 1000, zoneinfo.ZoneInfo("Europe/Brussels"))
        self.assertEqual((start.strftime("%a"), start.hour, start.minute),
                         ("Tue", 19, 0))
        self.assertEqual(nxt["end"] - nxt["start"], 90 * 60000)
        # No member's name or id is in it.
        self.assertNotIn(a.mid.encode(),
                         get(self.server.port, "/api/circles")[2])

    def test_the_directory_filters_by_language_and_organisation(self):
        self.assertEqual(sorted(self.circles("?lang=ar")), ["tea"])
        self.assertEqual(sorted(self.circles("?lang=ps")), ["dari"])
        self.assertEqual(sorted(self.circles("?org=welkom")), ["dari"])
        self.assertEqual(sorted(self.circles("?org=caw&lang=fa")), [])
        self.assertEqual(sorted(self.circles("?lang=ti")), [])

    def test_bad_requests_get_their_status_and_why(self):
        for target, status in (("/api/circles?lang=Arabic", 400),
                               ("/api/circles?org=a/b", 400),
                               ("/api/circles/Tea.ics", 400),
                               ("/api/circles/nowhere.ics", 404),
                               ("/api/circles/demo.ics", 404),
                               ("/api/circles/tea", 404),
                               ("/api/elsewhere", 404)):
            with self.subTest(target=target):
                got, headers, body = get(self.server.port, target)
                self.assertEqual(got, status, body)
                self.assertIn("error", json.loads(body))
        # A HEAD has the headers and no body.
        status, headers, body = get(self.server.port, "/api/circles", "HEAD")
        self.assertEqual((status, body), (200, b""))
        self.assertGreater(int(headers["Content-Length"]), 0)

    def test_a_circles_calendar_carries_its_zone_and_its_weekly_rule(self):
        status, headers, body = get(self.server.port, "/api/circles/tea.ics")
        self.assertEqual(status, 200, body)
        self.assertEqual(headers["Content-Type"], "text/calendar; charset=utf-8")
        lines = unfold(body)
        self.assertEqual(lines[0], "BEGIN:VCALENDAR")
        self.assertEqual(lines[-2:], ["END:VCALENDAR", ""])
        for line in lines:
            self.assertLessEqual(len(line.encode()), 75 * 4)
        self.assertIn("TZID:Europe/Brussels", lines)
        self.assertIn("RRULE:FREQ=WEEKLY;BYDAY=TU", lines)
        self.assertIn("SUMMARY:Thee en praten", lines)
        self.assertIn("DESCRIPTION:Voor vrouwen\\, op dinsdagavond.", lines)
        start = [l for l in lines if l.startswith("DTSTART;TZID=")]
        self.assertEqual(len(start), 1)
        zone, local = start[0][len("DTSTART;TZID="):].split(":")
        self.assertEqual(zone, "Europe/Brussels")
        when = datetime.datetime.strptime(local, "%Y%m%dT%H%M%S")
        self.assertEqual((when.strftime("%a"), when.hour), ("Tue", 19))
        today = datetime.datetime.now(zoneinfo.ZoneInfo("Europe/Brussels"))
        self.assertLess(abs((when.date() - today.date()).days), 8)
        # Every observance of the zone agrees with Python's tz database.
        brussels = zoneinfo.ZoneInfo("Europe/Brussels")
        i = lines.index("BEGIN:VTIMEZONE")
        observances = 0
        while True:
            try:
                j = next(k for k in range(i, len(lines))
                         if lines[k] in ("BEGIN:STANDARD", "BEGIN:DAYLIGHT"))
            except StopIteration:
                break
            fields = dict(l.split(":", 1) for l in lines[j + 1:j + 5])
            onset = datetime.datetime.strptime(fields["DTSTART"],
                                               "%Y%m%dT%H%M%S")
            after = (onset + datetime.timedelta(hours=2)).replace(
                tzinfo=brussels)
            offset = after.utcoffset().total_seconds() / 3600
            self.assertEqual(fields["TZOFFSETTO"],
                             "+%02d00" % offset, fields)
            observances += 1
            i = j + 1
        self.assertGreaterEqual(observances, 4)

    def test_the_command_line_refuses_bad_organisations(self):
        cli = self.server.cli
        for args, code, says in (
                (["org", "add", "caw", "--name", "Again"], 1, "exists already"),
                (["org", "add", "x y", "--name", "X"], 2, "SLUG must be"),
                (["org", "add", "new"], 2, "--name is required"),
                (["org", "edit", "nowhere", "--city", "Gent"], 1,
                 "no such organisation"),
                (["org", "edit", "caw"], 2, "nothing to change"),
                (["org", "about", "caw", "--lang", "NL", "--text", "x"], 2,
                 "--lang must be"),
                (["org", "about", "caw", "--lang", "nl"], 2,
                 "give either --text TEXT or --none"),
                (["room", "add", "orphan", "--title", "O", "--org", "nowhere"],
                 1, "no such organisation"),
                (["room", "edit", "tea", "--languages", "nl,Dutch"], 2,
                 "--languages must be"),
                (["room", "edit", "tea", "--org", "caw", "--no-org"], 2,
                 "not both")):
            with self.subTest(args=args):
                res = cli(*args, check=False)
                self.assertEqual(res.returncode, code, res.stderr)
                self.assertIn(says, res.stderr)
        listed = cli("org", "list").stdout
        self.assertIn("caw\tCAW Noord\tAntwerpen\t03 123 45 67", listed)
        self.assertIn("hidden\t12\topen,unlisted\tBy link",
                      cli("room", "list").stdout)


if __name__ == "__main__":
    unittest.main()
