"""GET /metrics, /healthz and /readyz (deploy/README.md, "Metrics and health").

The metrics listener is off unless metrics-listen names an address; the
Prometheus text it serves must pass `promtool check metrics` (Debian's
prometheus package, installed by deploy/install-deps.sh --test), and its
counters must move with traffic.
"""

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import unittest

from kring_harness import FAST_CLIENTS, KringServer, ServerTestCase, TIMEOUT

PROMTOOL = shutil.which("promtool")
PASSWORD = "lantern-Pw-7fq2-violet"
SERIES_RE = re.compile(r'^([a-z_]+)(\{[^}]*\})? (\S+)$')


def get(port, path, method="GET"):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        conn.request(method, path)
        res = conn.getresponse()
        return res.status, res.getheader("Content-Type"), res.read().decode()
    finally:
        conn.close()


def parse(text):
    """{'name{labels}': value} for every sample line."""
    out = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = SERIES_RE.match(line)
        assert m, "not a sample line: %r" % line
        out[m.group(1) + (m.group(2) or "")] = float(m.group(3))
    return out


class MetricsServer(KringServer):
    """A server with its metrics listener on a free loopback port."""

    def __init__(self, args=(), **kw):
        super().__init__(list(args), **kw)

    def start(self, timeout=10.0):
        # The port file's folder exists only once start() made it: name it
        # through a flag whose value is known once the temp dir is.
        self.args += ["--metrics-listen", "127.0.0.1:0"]
        port = super().start(timeout)
        return port

    def _spawn(self):
        self.metrics_file = os.path.join(self.dir, "metrics-port")
        if "--metrics-port-file" not in self.cmd:
            self.cmd += ["--metrics-port-file", self.metrics_file]
        return super()._spawn()

    @property
    def metrics_port(self):
        deadline = time.time() + TIMEOUT
        while time.time() < deadline:
            try:
                with open(self.metrics_file) as f:
                    text = f.read()
                if text.endswith("\n"):
                    return int(text)
            except FileNotFoundError:
                pass
            time.sleep(0.02)
        raise AssertionError("no metrics port file")


class MetricsTests(ServerTestCase):
    PER_TEST_SERVER = True

    def setUp(self):
        super().setUp()
        self.server = MetricsServer(
            ["--threads", "2"] + FAST_CLIENTS,
            rooms=[{"slug": "tea", "title": "Tea"}],
            moderators=[{"name": "sara", "password": PASSWORD,
                         "rooms": ["tea"]}])
        self.server.start()
        self.own_server = self.server  # its log is shown when a test fails
        self.addCleanup(self.server.cleanup)

    def scrape(self):
        status, ctype, body = get(self.server.metrics_port, "/metrics")
        self.assertEqual(status, 200)
        self.assertTrue(ctype.startswith("text/plain; version=0.0.4"), ctype)
        return body

    def test_the_text_passes_promtool(self):
        if PROMTOOL is None:
            self.skipTest("promtool not installed (Debian's prometheus "
                          "package: deploy/install-deps.sh --test)")
        res = subprocess.run([PROMTOOL, "check", "metrics"],
                             input=self.scrape().encode(),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             timeout=30)
        self.assertEqual(res.returncode, 0,
                         "promtool: %s%s" % (res.stdout.decode(),
                                             res.stderr.decode()))

    def test_every_series_is_there_from_the_start(self):
        m = parse(self.scrape())
        for name in ("kring_connections", "kring_circles",
                     "kring_joins_total", "kring_messages_in_total",
                     "kring_deliveries_total",
                     "kring_slow_clients_closed_total",
                     "kring_send_queue_bytes",
                     'kring_errors_total{code="bad_json"}',
                     'kring_errors_total{code="internal"}',
                     'kring_moderation_actions_total{kind="mute"}',
                     'kring_moderation_actions_total{kind="other"}',
                     'kring_handshake_duration_seconds_bucket{le="+Inf"}',
                     "kring_join_duration_seconds_count", "kring_ready"):
            self.assertIn(name, m)
        self.assertEqual(m["kring_circles"], 2, "demo and tea")
        self.assertEqual(m["kring_joins_total"], 0)
        self.assertEqual(m["kring_ready"], 1)

    async def test_counters_move_with_traffic(self):
        before = parse(self.scrape())
        a = await self.client("a")
        b = await self.client("b")
        await a.join("demo")
        await b.join("demo")
        await a.expect("member_joined", room="demo")
        await a.say("demo", "hello there")
        await b.expect("message", room="demo")
        await a.send_text("{not json")
        await a.expect_error("bad_json")
        during = parse(self.scrape())
        self.assertEqual(during["kring_joins_total"], 2)
        self.assertEqual(during["kring_messages_in_total"], 1)
        # welcome x2, joined x2, member_joined, message x2, error: at least 8.
        self.assertGreaterEqual(during["kring_deliveries_total"]
                                - before["kring_deliveries_total"], 8)
        self.assertEqual(during['kring_errors_total{code="bad_json"}'], 1)
        self.assertEqual(during["kring_join_duration_seconds_count"], 2)
        self.assertEqual(
            during['kring_handshake_duration_seconds_bucket{le="+Inf"}'], 2)
        self.assertGreaterEqual(during["kring_connections"], 2)
        self.assertEqual(during["kring_send_queue_bytes"], 0,
                         "everything was written")
        text = self.scrape()
        self.assertNotIn("hello there", text, "never a message's text")
        self.assertNotIn("127.0.0.1", text, "never an address")

    async def test_a_moderators_action_is_counted_by_kind(self):
        mod = await self.client("sara")
        await mod.send({"type": "login", "user": "sara",
                        "password": PASSWORD, "ref": "l"})
        await mod.expect("logged_in")
        await mod.join("tea")
        p = await self.client("p")
        joined = await p.join("tea")
        await mod.expect("member_joined", room="tea")
        await mod.send({"type": "mute", "room": "tea",
                        "member": joined["you"]["id"], "ref": "m"})
        await mod.expect_frames(("ok", {"ref": "m"}), "muted")
        m = parse(self.scrape())
        self.assertEqual(m['kring_moderation_actions_total{kind="mute"}'], 1)
        self.assertEqual(m['kring_moderation_actions_total{kind="ban"}'], 0)

    def test_health_and_readiness_on_both_listeners(self):
        for port in (self.server.metrics_port, self.server.port):
            self.assertEqual(get(port, "/healthz")[0], 200)
            status, _, body = get(port, "/readyz")
            self.assertEqual((status, body), (200, "ready\n"))

    def test_the_metrics_listener_serves_nothing_else(self):
        port = self.server.metrics_port
        self.assertEqual(get(port, "/")[0], 404)
        self.assertEqual(get(port, "/index.html")[0], 404)
        self.assertEqual(get(port, "/metrics", "POST")[0], 405)
        status, _, body = get(port, "/metrics", "HEAD")
        self.assertEqual((status, body), (200, ""))

    async def test_readyz_says_503_while_the_server_stops(self):
        # A WebSocket client that does not answer the closing handshake
        # (this test blocks its event loop) keeps the server in its
        # shutdown wait, --shutdown-timeout (3 s).
        await self.client("held")
        port = self.server.metrics_port
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
        self.addCleanup(conn.close)
        conn.request("GET", "/readyz")
        self.assertEqual(conn.getresponse().read(), b"ready\n")
        self.server.proc.send_signal(signal.SIGTERM)
        deadline = time.time() + TIMEOUT
        status = 200
        while status == 200 and time.time() < deadline:
            conn.request("GET", "/readyz")
            res = conn.getresponse()
            status = res.status
            res.read()
            time.sleep(0.02)
        self.assertEqual(status, 503)
        self.assertEqual(parse(self.scrape())["kring_ready"], 0)
        self.server.proc.wait(10)
        self.clients = []  # gone with the server
        self.server = None  # stopped on purpose, not died


class MetricsConnectionLimitTests(unittest.TestCase):
    def test_past_metrics_connections_a_connection_is_closed_unanswered(self):
        server = MetricsServer(["--metrics-connections", "2"])
        server.start()
        self.addCleanup(server.cleanup)
        port = server.metrics_port
        held = [socket.create_connection(("127.0.0.1", port)) for _ in range(2)]
        for s in held:
            self.addCleanup(s.close)
        time.sleep(0.2)  # both accepted and counted
        third = socket.create_connection(("127.0.0.1", port))
        self.addCleanup(third.close)
        third.settimeout(TIMEOUT)
        try:
            third.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            answer = third.recv(100)
        except (ConnectionResetError, BrokenPipeError):
            answer = b""
        self.assertEqual(answer, b"", "closed without an answer")
        for s in held:
            s.close()
        time.sleep(0.2)
        self.assertEqual(get(port, "/healthz")[0], 200, "room again once they left")


class MetricsOffByDefaultTests(unittest.TestCase):
    def test_no_metrics_listener_without_metrics_listen(self):
        server = KringServer()
        server.start()
        self.addCleanup(server.cleanup)
        self.assertNotIn("metrics on", server.log())
        # The main listener has no /metrics: it is the web client's.
        self.assertEqual(get(server.port, "/metrics")[0], 404)

    def test_a_bad_metrics_listen_is_refused_at_start(self):
        server = KringServer(["--metrics-listen", "localhost:9464"])
        with self.assertRaises(Exception):
            server.start(timeout=3)
        server.cleanup()


if __name__ == "__main__":
    unittest.main()
