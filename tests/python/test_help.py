"""The help lines through the real binary: Kring's Belgian default, a
deployment's own file (`--help-lines`), its checks at start, and the
`resources` request (protocol/README.md, "Help lines").

Run from this directory:
  KRING_BINARY=../../build/server/kring /usr/bin/python3 -m unittest -v test_help
"""

import json
import os
import shutil
import subprocess
import tempfile
import unittest

from kring_harness import BINARY, KringServer, ServerTestCase

BELGIUM = ["112", "1813", "0800 32 123", "106", "107", "108"]

OWN = {"written": "2026-11-30", "check_required": False, "lines": [
    {"name": "Helpline of the town", "number": "0800 11 222",
     "hours": "Mon-Fri 9-17", "languages": ["en", "ar"],
     "checked": "2026-11-30", "source": "called on 2026-11-30"}]}


class DefaultHelpLinesTests(ServerTestCase):
    async def test_welcome_carries_belgium_and_resources_repeats_it(self):
        a = await self.client("A")
        res = a.welcome["resources"]
        self.assertEqual(res["notice"], "not_an_emergency_service")
        self.assertEqual([l["number"] for l in res["lines"]], BELGIUM)
        for line in res["lines"]:
            # No one has checked the shipped entries: none says so.
            self.assertEqual(set(line) - {"url"},
                             {"name", "number", "hours", "languages",
                              "source"})
        self.assertEqual(res["lines"][0]["languages"], ["all"])
        self.assertEqual(res["lines"][1]["languages"], ["nl"])
        await a.send({"type": "resources", "ref": "r1"})
        got = await a.expect("resources", ref="r1")
        self.assertEqual(got["lines"], res["lines"])
        self.assertEqual(got["notice"], "not_an_emergency_service")
        # Asked again and again: it reaches no one else, so no budget.
        for i in range(15):
            await a.send({"type": "resources", "ref": "x%d" % i})
            await a.expect("resources", ref="x%d" % i)
        await a.ping()


class OwnHelpLinesTests(ServerTestCase):
    PER_TEST_SERVER = True

    async def test_a_deployment_file_replaces_the_default(self):
        d = tempfile.mkdtemp(prefix="kring-help-")
        self.addCleanup(shutil.rmtree, d, True)
        path = os.path.join(d, "help.json")
        with open(path, "w") as f:
            json.dump(OWN, f)
        self.server = KringServer(["--help-lines", path])
        self.server.start()
        self.addCleanup(self.server.cleanup)
        a = await self.client("A")
        self.assertEqual(a.welcome["resources"],
                         {"lines": OWN["lines"],
                          "notice": "not_an_emergency_service"})


class BadHelpLinesTests(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="kring-help-")
        self.addCleanup(shutil.rmtree, self.dir, True)

    def serve(self, text):
        path = os.path.join(self.dir, "help.json")
        if text is not None:
            with open(path, "w") as f:
                f.write(text)
        res = subprocess.run([BINARY, "serve", "--help-lines", path,
                              "--db", os.path.join(self.dir, "k.db"),
                              "--listen", "127.0.0.1:0"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             timeout=20)
        return res.returncode, res.stderr.decode("utf-8", "replace")

    def test_each_bad_file_stops_the_start_with_exit_2(self):
        line = OWN["lines"][0]
        cases = [
            (None, "can't be read"),
            ("{not json", "not JSON"),
            ("[]", "one object"),
            (json.dumps(dict(OWN, written="yesterday")), "written"),
            (json.dumps(dict(OWN, lines=[])), "lines must be"),
            (json.dumps(dict(OWN, lines=[dict(line, checked="30/11")])),
             "checked"),
            (json.dumps(dict(OWN, lines=[dict(line, languages=[])])),
             "languages"),
            (json.dumps(dict(OWN, lines=[dict(line, url="ftp://x")])),
             "url"),
            (json.dumps(dict(OWN, lines=[{k: v for k, v in line.items()
                                          if k != "number"}])),
             "lines[0]: number is missing"),
            (json.dumps(dict(OWN, lines=[dict(line, name="a\u0007")])),
             "name"),
        ]
        for text, words in cases:
            with self.subTest(words=words):
                rc, err = self.serve(text)
                self.assertEqual(rc, 2, err)
                self.assertIn("help-lines", err)
                self.assertIn(words, err)


if __name__ == "__main__":
    unittest.main()
