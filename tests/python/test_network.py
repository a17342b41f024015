"""How the Kring server holds up at the edges of its network resources:
running out of file descriptors, connections over its caps, and requests
pipelined before an upgrade.

Run from this directory:  /usr/bin/python3 -m unittest -v test_network
(the environment of test_kring.py applies).
"""

import asyncio
import base64
import http.client
import os
import re
import socket
import sys
import time
import unittest

import websockets.exceptions

from kring_harness import BINARY, Client, KringServer, ServerError, TIMEOUT


def sanitized_binary():
    """Whether the server under test was built with the sanitizers."""
    try:
        with open(BINARY, "rb") as f:
            return b"__asan_init" in f.read()
    except OSError:
        return False


def healthz(port, timeout=TIMEOUT):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", "/healthz")
        resp = conn.getresponse()
        resp.read()
        return resp.status
    finally:
        conn.close()


def wait_until_serving(port, within=5.0):
    """True once /healthz answers 200, polling for `within` seconds."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            if healthz(port, timeout=1.0) == 200:
                return True
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(0.05)
    return False


def read_to_end(sock, within=3.0):
    """Everything the server sends until it closes (or `within` passes)."""
    sock.settimeout(within)
    data = b""
    deadline = time.monotonic() + within
    try:
        while time.monotonic() < deadline:
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
    except (socket.timeout, ConnectionError):
        pass
    return data


def upgrade_request(port, host=None):
    key = base64.b64encode(os.urandom(16)).decode()
    return ("GET /ws HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\n"
            "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\n"
            "Sec-WebSocket-Version: 13\r\n\r\n"
            % (host or "127.0.0.1:%d" % port, key)).encode()


class ServerCase(unittest.TestCase):
    """Each test starts its own server; its log is shown when it fails."""

    def serve(self, args=(), **kw):
        srv = KringServer(args, demo=True, **kw)
        srv.start()
        self.server = srv
        self.addCleanup(srv.cleanup)
        self.addCleanup(self.keep_log)  # runs first: the log goes with cleanup
        return srv

    def keep_log(self):
        self.kept_log = self.server.log()

    def run(self, result=None):
        if result is None:
            return super().run(result)
        before = len(result.failures) + len(result.errors)
        out = super().run(result)
        kept = getattr(self, "kept_log", None)
        if len(result.failures) + len(result.errors) > before and kept:
            sys.stderr.write("\n----- kring log for %s -----\n%s\n"
                             "----- end of kring log -----\n"
                             % (self.id(), kept))
        return out

    def idle_sockets(self, port, count):
        socks = []
        for _ in range(count):
            socks.append(socket.create_connection(("127.0.0.1", port),
                                                  timeout=TIMEOUT))
        self.addCleanup(lambda: [s.close() for s in socks])
        return socks

    def log_lines(self, pattern):
        return [line for line in self.server.log().splitlines()
                if re.search(pattern, line)]


class OpenFileLimitTests(ServerCase):

    def test_max_connections_is_lowered_to_fit_the_open_file_limit(self):
        self.serve(open_files=128)
        # 128 descriptors, 32 of them kept for the listener, the database,
        # the log and files being served.
        self.assertEqual(len(self.log_lines(
            r"max-connections lowered from 10000 to 96\b")), 1)

    def test_a_limit_that_fits_is_not_mentioned(self):
        self.serve(["--max-connections", "50"], open_files=128)
        self.assertEqual(self.log_lines("max-connections lowered"), [])

    def test_a_limit_with_no_room_for_connections_stops_the_start(self):
        srv = KringServer([], open_files=30)  # less than the reserve of 32
        self.server = srv
        self.addCleanup(srv.cleanup)
        with self.assertRaises(ServerError) as cm:
            srv.start(timeout=5)
        self.assertEqual(srv.proc.returncode, 1)
        self.assertIn("leaves no room for connections", str(cm.exception))

    def test_idle_connections_past_the_file_limit_do_not_flood_the_log(self):
        # The review's case: 200 idle connections to a server that may
        # open 128 files. Those past the (lowered) cap are refused.
        srv = self.serve(open_files=128)
        socks = self.idle_sockets(srv.port, 200)
        time.sleep(1.0)
        self.assertLess(len(self.log_lines(r"accept|refused")), 10)
        self.assertLess(len(srv.log()), 20000)
        for s in socks:
            s.close()
        self.assertTrue(wait_until_serving(srv.port),
                        "the server does not serve once the idle "
                        "connections are gone")

    @unittest.skipIf(sanitized_binary(),
                     "the sanitizers' own checks need file descriptors (a "
                     "pipe to probe memory) and report false errors when "
                     "the process has none left")
    def test_running_out_of_descriptors_pauses_accepting_and_recovers(self):
        # No descriptors kept in reserve: the connections themselves use
        # up the last ones, and accept() fails with EMFILE.
        srv = self.serve(["--fd-reserve", "0"], open_files=64)
        socks = self.idle_sockets(srv.port, 100)
        time.sleep(1.5)
        accept_lines = self.log_lines(r"accept")
        self.assertGreaterEqual(len(accept_lines), 1)
        self.assertLessEqual(len(accept_lines), 6)
        self.assertTrue(any("paused" in line for line in accept_lines),
                        accept_lines)
        self.assertLess(len(srv.log()), 20000)
        # The first connection was taken in, but a file needs a descriptor.
        socks[0].sendall(b"GET /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        reply = socks[0].recv(100)
        self.assertTrue(reply.startswith(b"HTTP/1.1 503 "), reply)
        for s in socks:
            s.close()
        self.assertTrue(wait_until_serving(srv.port),
                        "the server does not serve once descriptors are "
                        "free again")

        async def talk():
            c = await Client.connect(srv)
            await c.hello()
            await c.ping()
            await c.close()
        asyncio.run(talk())


class BusyTests(ServerCase):
    """A connection over a cap gets a short 503 and is closed, instead of a
    reset the browser can't explain."""

    def hold(self, port, count):
        """`count` keep-alive connections that the server has taken in."""
        held = []
        for _ in range(count):
            conn = http.client.HTTPConnection("127.0.0.1", port,
                                              timeout=TIMEOUT)
            conn.request("GET", "/healthz")
            resp = conn.getresponse()
            resp.read()
            self.assertEqual(resp.status, 200)
            held.append(conn)
        self.addCleanup(lambda: [c.close() for c in held])
        return held

    def assert_busy(self, port):
        s = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
        try:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            reply = read_to_end(s)
        finally:
            s.close()
        self.assertTrue(reply.startswith(b"HTTP/1.1 503 "), reply)
        head, _, body = reply.partition(b"\r\n\r\n")
        self.assertIn(b"connection: close", head.lower())
        self.assertEqual(body, b"server busy\n")

        async def upgrade():
            with self.assertRaises(
                    websockets.exceptions.InvalidStatusCode) as cm:
                await Client.connect(self.server)
            self.assertEqual(cm.exception.status_code, 503)
        asyncio.run(upgrade())

    def check_cap(self, args):
        srv = self.serve(args)
        held = self.hold(srv.port, 2)
        self.assert_busy(srv.port)
        self.assertTrue(self.log_lines("connection limit"))
        held.pop().close()  # a place is free again
        self.assertTrue(wait_until_serving(srv.port))

    def test_over_max_connections_gets_503(self):
        self.check_cap(["--max-connections", "2"])

    def test_over_the_networks_share_gets_503(self):
        self.check_cap(["--max-connections-per-network", "2"])

    def test_a_refused_client_gets_its_503_after_its_request(self):
        # As a proxy does: it connects, then writes the request it carries.
        # A reply before the request is a reply to nothing (Go's client, in
        # Caddy, drops the connection and says 502); the connection must
        # still be open to take the request, or it is reset.
        srv = self.serve(["--max-connections-per-network", "1"])
        self.hold(srv.port, 1)
        for _ in range(3):
            s = socket.create_connection(("127.0.0.1", srv.port),
                                         timeout=TIMEOUT)
            try:
                time.sleep(0.2)
                s.setblocking(False)
                with self.assertRaises(BlockingIOError, msg="answered before the request"):
                    s.recv(1)
                s.settimeout(TIMEOUT)
                s.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                time.sleep(0.1)
                s.sendall(b"\r\n")
                reply = read_to_end(s)
            finally:
                s.close()
            self.assertTrue(reply.startswith(b"HTTP/1.1 503 "), reply)
            self.assertTrue(reply.endswith(b"server busy\n"), reply)

    def test_a_refused_client_that_never_asks_is_closed_soon(self):
        srv = self.serve(["--max-connections-per-network", "1"])
        self.hold(srv.port, 1)
        s = socket.create_connection(("127.0.0.1", srv.port), timeout=TIMEOUT)
        started = time.monotonic()
        try:
            reply = read_to_end(s, within=TIMEOUT)
        finally:
            s.close()
        self.assertEqual(reply, b"")
        self.assertLess(time.monotonic() - started, TIMEOUT,
                        "a refused connection was held open")

    def test_past_64_waiting_refusals_the_next_is_answered_at_once(self):
        # Refusals waiting for their request are capped, so that a flood
        # of silent connections holds no more than 64 of them.
        srv = self.serve(["--max-connections-per-network", "1"])
        self.hold(srv.port, 1)
        silent = [socket.create_connection(("127.0.0.1", srv.port), timeout=TIMEOUT)
                  for _ in range(64)]
        self.addCleanup(lambda: [c.close() for c in silent])
        time.sleep(0.3)
        s = socket.create_connection(("127.0.0.1", srv.port), timeout=TIMEOUT)
        try:
            reply = read_to_end(s, within=1.0)  # nothing sent: no request to wait for
        finally:
            s.close()
        self.assertTrue(reply.startswith(b"HTTP/1.1 503 "), reply)
        for c in silent:
            c.setblocking(False)
            with self.assertRaises(BlockingIOError):
                c.recv(1)

    def test_connections_arriving_too_fast_from_one_network_get_503(self):
        srv = self.serve(["--connection-rate-per-network", "4"])

        def status_from(source):
            s = socket.create_connection(("127.0.0.1", srv.port),
                                         timeout=TIMEOUT,
                                         source_address=(source, 0))
            try:
                s.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                          b"Connection: close\r\n\r\n")
                return read_to_end(s).split(b" ", 2)[1]
            finally:
                s.close()

        # Each closed at once: only the arrivals count, not open connections.
        statuses = [status_from("127.0.0.1") for _ in range(6)]
        self.assertIn(b"503", statuses)
        self.assertEqual(statuses[-1], b"503")
        self.assertEqual(status_from("127.0.0.2"), b"200",
                         "another network was refused too")


def masked_text_frame(text):
    payload = text.encode()
    mask = os.urandom(4)
    return (bytes([0x81, 0x80 | len(payload)]) + mask
            + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))


class PipelineTests(ServerCase):
    """Requests sent at once on one connection are each answered, or the
    connection is refused with a clear status and closed: never left to
    wait for a timeout."""

    def send_at_once(self, data, until=None, within=2.0):
        """Send `data` in one write; read until the server closes, or until
        `until` (bytes) has arrived. Returns (reply, seconds taken)."""
        s = socket.create_connection(("127.0.0.1", self.server.port),
                                     timeout=TIMEOUT)
        self.addCleanup(s.close)
        s.sendall(data)
        s.settimeout(within)
        reply, started = b"", time.monotonic()
        try:
            while until is None or until not in reply:
                chunk = s.recv(65536)
                if not chunk:
                    break
                reply += chunk
        except socket.timeout:
            pass
        return reply, time.monotonic() - started

    def statuses(self, reply):
        return re.findall(rb"HTTP/1\.1 (\d{3}) ", reply)

    def test_a_get_pipelined_before_an_upgrade_gets_both_answered(self):
        srv = self.serve()
        reply, took = self.send_at_once(
            b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
            + upgrade_request(srv.port), until=b"101 Switching Protocols")
        self.assertLess(took, 2.0, reply)
        self.assertEqual(self.statuses(reply), [b"200", b"101"], reply)

    def test_a_request_pipelined_after_an_upgrade_is_refused_at_once(self):
        srv = self.serve()
        reply, took = self.send_at_once(
            upgrade_request(srv.port)
            + b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        self.assertLess(took, 2.0, "left waiting: %r" % reply)
        self.assertEqual(self.statuses(reply), [b"400"], reply)
        self.assertIn(b"connection: close", reply.lower())
        self.assertTrue(wait_until_serving(srv.port))

    def test_frames_sent_with_the_upgrade_after_a_get_are_refused_at_once(self):
        # a client that does not wait for 101 (RFC 6455 says it must)
        srv = self.serve()
        reply, took = self.send_at_once(
            b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
            + upgrade_request(srv.port)
            + masked_text_frame('{"type":"hello","v":1}'))
        self.assertLess(took, 2.0, "left waiting: %r" % reply)
        self.assertEqual(self.statuses(reply), [b"200", b"400"], reply)


if __name__ == "__main__":
    unittest.main()
