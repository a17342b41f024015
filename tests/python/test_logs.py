"""The log's formats (log-format, journald priorities) and log-networks."""

import json
import os
import time
import unittest

from kring_harness import Client, KringServer, TIMEOUT


def lines_of(server):
    # The log's lines once the server has written a few.
    deadline = time.time() + TIMEOUT
    while time.time() < deadline:
        text = server.log()
        if "listening on" in text:
            return text.splitlines()
        time.sleep(0.05)
    raise AssertionError("no 'listening on' in the log:\n" + server.log())


class JournaldServer(KringServer):
    """Started with JOURNAL_STREAM naming its stderr, as systemd does."""

    def _spawn(self):
        st = os.fstat(self._log_file.fileno())
        os.environ["JOURNAL_STREAM"] = "%d:%d" % (st.st_dev, st.st_ino)
        try:
            return super()._spawn()
        finally:
            del os.environ["JOURNAL_STREAM"]


class LogTests(unittest.IsolatedAsyncioTestCase):
    def start(self, args, cls=KringServer):
        server = cls(args)
        server.start()
        self.addCleanup(server.cleanup)
        return server

    def test_text_is_the_default(self):
        first = lines_of(self.start([]))[0]
        self.assertRegex(first, r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (info|warn) ")

    async def test_json_lines_are_objects_with_time_level_and_msg(self):
        server = self.start(["--log-format", "json"])
        c = await Client.connect(server)
        await c.hello()
        await c.close()
        time.sleep(0.2)
        lines = server.log().splitlines()
        self.assertGreater(len(lines), 2)
        for line in lines:
            entry = json.loads(line)
            self.assertEqual(sorted(entry), ["level", "msg", "time"], line)
            self.assertIn(entry["level"], ("info", "warn", "error"))
        self.assertTrue(any("websocket open" in json.loads(l)["msg"] for l in lines))

    def test_under_journald_each_line_carries_its_priority(self):
        server = self.start(["--log-format", "json"], cls=JournaldServer)
        for line in lines_of(server):
            self.assertRegex(line, r"^<[346]>\{")
            json.loads(line[3:])
        self.assertTrue(any(l.startswith("<6>") and "listening on" in l for l in lines_of(server)))

    def test_no_priority_prefix_when_stderr_is_not_the_journal(self):
        server = self.start([])
        self.assertFalse(any(l.startswith("<") for l in lines_of(server)))

    async def test_no_address_in_the_log_unless_asked_for(self):
        server = self.start([])
        c = await Client.connect(server)
        await c.hello()
        await c.close()
        time.sleep(0.2)
        # Only the listening address, which is the server's own.
        log = "\n".join(l for l in server.log().splitlines()
                        if "listening on" not in l)
        self.assertNotIn("127.0.0", log)
        self.assertNotIn("net=", log)

    async def test_log_networks_shows_the_network_cut_to_a_24(self):
        server = self.start(["--log-networks"])
        c = await Client.connect(server)
        await c.hello()
        await c.close()
        time.sleep(0.2)
        log = server.log()
        self.assertRegex(log, r"connection c=\d+ net=127\.0\.0\.0/24")
        self.assertNotIn("127.0.0.1", "\n".join(
            l for l in log.splitlines() if "listening on" not in l))

    def test_a_bad_log_format_is_refused(self):
        server = KringServer(["--log-format", "xml"])
        with self.assertRaises(Exception):
            server.start(timeout=3)
        server.cleanup()
