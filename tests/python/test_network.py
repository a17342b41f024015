"""How the Kring server holds up at the edges of its network: connections
over its caps, and requests pipelined with an upgrade.

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

from kring_harness import Client, KringServer, TIMEOUT


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
        return srv

    def run(self, result=None):
        if result is None:
            return super().run(result)
        before = len(result.failures) + len(result.errors)
        out = super().run(result)
        srv = getattr(self, "server", None)
        if len(result.failures) + len(result.errors) > before and srv:
            sys.stderr.write("\n----- kring log for %s -----\n%s\n"
                             "----- end of kring log -----\n"
                             % (self.id(), srv.log()))
        return out

    def log_lines(self, pattern):
        return [line for line in self.server.log().splitlines()
                if re.search(pattern, line)]


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
