"""Small harness for Kring's independent-client integration tests.

Starts the real `kring` binary (path from $KRING_BINARY, default
build/server/kring) on 127.0.0.1 with a free port, and drives it with the
`websockets` client library (Debian's 10.4 legacy asyncio API).

Every network wait has a timeout, so a broken server fails a test instead
of hanging it.
"""

import asyncio
import base64
import json
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest

import websockets
import websockets.exceptions
import websockets.frames

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
BINARY = os.environ.get("KRING_BINARY",
                        os.path.join(REPO, "build", "server", "kring"))
WEB_ROOT = os.environ.get("KRING_WEB_ROOT", os.path.join(REPO, "web-client"))

# The suite can run with something in front of the server: KRING_FRONT=tls
# (native TLS with a certificate made for the run; clients speak WSS) or
# KRING_FRONT=nginx (a real nginx on loopback, deploy/nginx/kring-proxy.conf,
# and --trusted-proxy 127.0.0.1). Classes that can run so list the fronts
# in FRONTS; the others are skipped then (they check the transport itself).
FRONT = os.environ.get("KRING_FRONT", "")
# KRING_STORE=postgresql: every server the tests start keeps its data in a
# fresh database of one PostgreSQL server that the tests start themselves
# (pg_cluster.py), instead of an SQLite file of its own.
STORE = os.environ.get("KRING_STORE", "sqlite")
_postgres = None


def postgres_cluster():
    """The tests' PostgreSQL server, started on first use, stopped at exit."""
    global _postgres
    if _postgres is None:
        import atexit
        from pg_cluster import PostgresCluster
        _postgres = PostgresCluster()
        atexit.register(_postgres.cleanup)
    return _postgres


def on_postgresql():
    return STORE == "postgresql"

# Default timeout for one network wait, in seconds.
TIMEOUT = 5.0

# The tests speak from one network (127.0.0.1), many clients at once and
# faster than anyone in a circle: suites that are not about the message
# budgets start the server with these, far above the defaults (test_flood
# checks the defaults).
FAST_CLIENTS = ["--message-rate", "100000", "--message-burst", "100000",
                "--network-message-rate", "1000000",
                "--network-message-burst", "1000000"]


class ServerError(Exception):
    pass


class KringServer:
    """One `kring serve` process with its own temp dir, db and port file.

    rooms: list of dicts {slug, title, capacity, code, history?, extra?}
    (extra: more `kring room add` arguments) created with
    `kring room add` before the server starts.
    """

    def __init__(self, args=(), rooms=(), web_root=None, demo=True,
                 moderators=(), open_files=None, tls=None, db=None):
        self.args = list(args)
        # db: a postgresql:// URI to use instead of an SQLite file of its own.
        self.given_db = db
        # With tls=(certificate, key, client ssl.SSLContext), the server
        # speaks HTTPS and WSS with those files, and clients use that context.
        self.front = None  # the nginx in front, with KRING_FRONT=nginx
        if tls is None and FRONT == "tls":
            tls = run_certificates()
        if FRONT == "nginx":
            self.args += ["--trusted-proxy", "127.0.0.1"]
        self.tls = tls
        if tls is not None:
            self.args += ["--tls-cert", tls[0], "--tls-key", tls[1]]
        # With open_files, the server starts with its limit of open file
        # descriptors (soft and hard) set to that number.
        self.open_files = open_files
        self.rooms = list(rooms)
        # dicts {name, password, admin?, rooms?, disabled?, one_time?},
        # created with `kring moderator add` (and `assign`) after the rooms,
        # before the server starts. The password is --permanent unless
        # one_time: a login with a one-time one must set a new one first.
        self.moderators = list(moderators)
        self.web_root = web_root
        self.demo = demo
        self.proc = None
        self.port = None
        self.log_printed = 0  # bytes of the log already shown
        self.dir = None
        self.log_path = None
        self._log_file = None

    # -- lifecycle -------------------------------------------------------
    def start(self, timeout=10.0):
        if not os.path.exists(BINARY):
            if os.environ.get("KRING_BINARY"):
                raise ServerError("KRING_BINARY=%s does not exist" % BINARY)
            raise unittest.SkipTest("kring binary not found at %s "
                                    "(set KRING_BINARY)" % BINARY)
        self.dir = tempfile.mkdtemp(prefix="kring-test-")
        if self.given_db:
            self.db = self.given_db
        elif on_postgresql():
            cluster = postgres_cluster()
            self.db = cluster.uri(cluster.fresh_database())
        else:
            self.db = os.path.join(self.dir, "kring.sqlite")
        self.port_file = os.path.join(self.dir, "port")
        self.log_path = os.path.join(self.dir, "server.log")
        try:
            for room in self.rooms:
                self.add_room(**room)
            for mod in self.moderators:
                self.add_moderator(**mod)
        except BaseException:
            self.cleanup()
            raise
        cmd = [BINARY, "serve", "--listen", "127.0.0.1:0", "--db", self.db,
               "--port-file", self.port_file]
        if self.demo:
            cmd.append("--demo")
        # The source tree's web client: the binary's default is where
        # `cmake --install` puts it.
        cmd += ["--web-root", self.web_root if self.web_root is not None
                else WEB_ROOT]
        cmd += self.args
        self.cmd = cmd
        self._log_file = open(self.log_path, "wb")
        self.proc = self._spawn()
        try:
            return self._wait_for_port(timeout)
        except ServerError:
            self.cleanup()
            raise

    def add_room(self, slug, title, capacity=None, code=None, history=None,
                 extra=()):
        cmd = [BINARY, "room", "add", slug, "--title", title]
        if capacity is not None:
            cmd += ["--capacity", str(capacity)]
        if history is not None:
            cmd += ["--history", history]
        cmd += list(extra)
        if code is not None:
            cmd.append("--code-stdin")
        cmd += ["--db", self.db]
        res = subprocess.run(cmd, input=(code or "").encode() + b"\n"
                             if code is not None else b"",
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             timeout=20)
        if res.returncode != 0:
            raise ServerError("%s exited %s\nstdout: %s\nstderr: %s"
                              % (cmd, res.returncode, res.stdout.decode(
                                  "utf-8", "replace"),
                                 res.stderr.decode("utf-8", "replace")))

    # -- the command line on the same database ---------------------------
    def cli(self, *args, input=None, check=True, timeout=20):
        """Run `kring ARGS... --db DB`; returns the CompletedProcess
        (stdout/stderr as str). With check, a non-zero exit raises."""
        cmd = [BINARY] + [str(a) for a in args] + ["--db", self.db]
        res = subprocess.run(cmd, input=(input or "").encode(),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             timeout=timeout)
        res.stdout = res.stdout.decode("utf-8", "replace")
        res.stderr = res.stderr.decode("utf-8", "replace")
        if check and res.returncode != 0:
            raise ServerError("%s exited %s\nstdout: %s\nstderr: %s"
                              % (cmd, res.returncode, res.stdout, res.stderr))
        return res

    def add_moderator(self, name, password, admin=False, rooms=(),
                      disabled=False, one_time=False):
        args = ["moderator", "add", name, "--password-stdin"]
        if admin:
            args.append("--admin")
        if not one_time:
            args.append("--permanent")
        self.cli(*args, input=password + "\n")
        for slug in rooms:
            self.cli("moderator", "assign", name, slug)
        if disabled:
            self.disable_moderator(name)

    def stored_bytes(self):
        """Everything the database holds, as bytes: the SQLite file with its
        journal and WAL, or PostgreSQL's dump of the server's database."""
        if self.db.startswith("postgresql:"):
            cluster = postgres_cluster()
            return subprocess.run([os.path.join(cluster.bin, "pg_dump"), "--dbname", self.db],
                                  stdout=subprocess.PIPE, check=True, timeout=60).stdout
        out = b""
        for suffix in ("", "-wal", "-journal", "-shm"):
            try:
                with open(self.db + suffix, "rb") as f:
                    out += f.read()
            except FileNotFoundError:
                pass
        return out

    def sql(self, statement):
        """Runs one SQL statement on the server's database, past the server."""
        if self.db.startswith("postgresql:"):
            postgres_cluster().psql(statement, self.db.split("?")[0].rsplit("/", 1)[1])
            return
        import sqlite3
        with sqlite3.connect(self.db, timeout=5) as db:
            db.execute(statement)

    def disable_moderator(self, name):
        return self.cli("moderator", "disable", name)

    def audit(self, room=None):
        """The audit log as a list of dicts (`kring audit --format jsonl`)."""
        args = ["audit", "--format", "jsonl"]
        if room is not None:
            args += ["--room", room]
        out = self.cli(*args).stdout
        return [json.loads(line) for line in out.splitlines() if line.strip()]

    def audit_text(self, fmt="jsonl"):
        return self.cli("audit", "--format", fmt).stdout

    def kill(self, timeout=5.0):
        """SIGKILL the server (no clean shutdown) and wait for it."""
        if self.front is not None:
            self.front.cleanup()
            self.front = None
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout)
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None
        return self.proc.returncode if self.proc is not None else None

    def restart(self, timeout=10.0):
        """Start the same command again on the same db and temp dir (after
        stop() or kill()); the log is appended to."""
        if self.alive():
            raise ServerError("restart() while the server still runs")
        try:
            os.unlink(self.port_file)
        except FileNotFoundError:
            pass
        self._log_file = open(self.log_path, "ab")
        self.proc = self._spawn()
        return self._wait_for_port(timeout)

    def _spawn(self):
        limit = self.open_files

        def limit_open_files():
            resource.setrlimit(resource.RLIMIT_NOFILE, (limit, limit))

        return subprocess.Popen(self.cmd, stdin=subprocess.DEVNULL,
                                stdout=self._log_file, stderr=self._log_file,
                                preexec_fn=limit_open_files if limit else None)

    def _wait_for_port(self, timeout):
        """Poll the port file the server writes once it listens."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise ServerError("kring exited with %s before listening\n%s"
                                  % (self.proc.returncode, self.log()))
            try:
                with open(self.port_file) as f:
                    text = f.read()
                if text.endswith("\n") and text.strip().isdigit():
                    self.port = int(text.strip())
                    self.kring_port = self.port
                    return self._start_front()
            except FileNotFoundError:
                pass
            time.sleep(0.02)
        raise ServerError("kring did not write its port file within %ss\n%s"
                          % (timeout, self.log()))

    def _start_front(self):
        """With KRING_FRONT=nginx, nginx in front; `port` is then nginx's."""
        if FRONT != "nginx":
            return self
        from nginx_proxy import NginxProxy
        if self.front is not None:
            self.front.cleanup()
        self.front = NginxProxy(self)
        self.front.start()
        self.port = self.front.port
        return self

    def stop(self, timeout=5.0):
        """SIGTERM, then SIGKILL if it does not exit. Returns exit code."""
        if self.front is not None:
            self.front.cleanup()
            self.front = None
        rc = None
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.send_signal(signal.SIGTERM)
                try:
                    self.proc.wait(timeout)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait(timeout)
            rc = self.proc.returncode
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None
        return rc

    def cleanup(self):
        self.stop()
        if self.dir and os.environ.get("KRING_KEEP_TMP") is None:
            shutil.rmtree(self.dir, ignore_errors=True)

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def log(self, new_only=False):
        """The server's log; with new_only, only what was not shown yet."""
        if not self.log_path or not os.path.exists(self.log_path):
            return "(no server log)"
        with open(self.log_path, "rb") as f:
            data = f.read()
        if new_only:
            data, start = data[self.log_printed:], self.log_printed
            self.log_printed = start + len(data)
            if not data:
                return "(nothing new in the log)"
        text = data.decode("utf-8", "replace")
        if len(text) > 20000:
            text = "...(cut)...\n" + text[-20000:]
        return text

    # -- addresses -------------------------------------------------------
    @property
    def host(self):
        return "127.0.0.1:%d" % self.port

    @property
    def ssl_context(self):
        return self.tls[2] if self.tls is not None else None

    @property
    def ws_url(self):
        return "%s://%s/ws" % ("wss" if self.tls else "ws", self.host)

    @property
    def own_origin(self):
        return "%s://%s" % ("https" if self.tls else "http", self.host)


_run_certificates = None


def run_certificates():
    """One certificate for the whole run (KRING_FRONT=tls):
    (certificate, key, client context)."""
    global _run_certificates
    if _run_certificates is None:
        import atexit
        from tls_certs import Authority
        folder = tempfile.mkdtemp(prefix="kring-front-tls-")
        atexit.register(shutil.rmtree, folder, True)
        authority = Authority(folder)
        cert, key = authority.issue("server")
        _run_certificates = (cert, key, authority.client_context())
    return _run_certificates


class Client:
    """A protocol client over one WebSocket, reading frames strictly in
    order: every expect* reads the *next* frame and fails if it is not the
    awaited one, so unexpected extra frames are caught."""

    def __init__(self, ws, label="client"):
        self.ws = ws
        self.label = label
        self.welcome = None

    @classmethod
    async def connect(cls, server, label="client", origin=None,
                      extra_headers=None, path=None, **kw):
        """path: the WebSocket's path instead of /ws (/ws/c/SLUG)."""
        kw.setdefault("compression", None)
        kw.setdefault("max_size", 16 * 1024 * 1024)
        kw.setdefault("ping_interval", None)
        kw.setdefault("open_timeout", TIMEOUT)
        kw.setdefault("close_timeout", 2)
        if getattr(server, "ssl_context", None) is not None:
            kw.setdefault("ssl", server.ssl_context)
        async def opening():
            url = server.ws_url if path is None else server.ws_url[:-len("/ws")] + path
            return await websockets.connect(url, origin=origin,
                                            extra_headers=extra_headers, **kw)
        ws = await asyncio.wait_for(opening(), TIMEOUT)
        return cls(ws, label)

    # -- sending ---------------------------------------------------------
    async def send(self, obj):
        await self.send_text(json.dumps(obj, ensure_ascii=False))

    async def send_text(self, text):
        await asyncio.wait_for(self.ws.send(text), TIMEOUT)

    async def send_bytes(self, data):
        await asyncio.wait_for(self.ws.send(data), TIMEOUT)

    async def send_raw_text_frame(self, data: bytes):
        """A text frame whose payload is sent as is (may be bad UTF-8)."""
        await asyncio.wait_for(
            self.ws.write_frame(True, websockets.frames.Opcode.TEXT, data),
            TIMEOUT)

    # -- receiving -------------------------------------------------------
    async def recv(self, timeout=TIMEOUT):
        try:
            data = await asyncio.wait_for(self.ws.recv(), timeout)
        except asyncio.TimeoutError:
            raise AssertionError("%s: no frame from the server within %ss"
                                 % (self.label, timeout)) from None
        except websockets.exceptions.ConnectionClosed as e:
            raise AssertionError("%s: connection closed while waiting for a "
                                 "frame: %s" % (self.label, e)) from None
        if not isinstance(data, str):
            raise AssertionError("%s: server sent a binary frame: %r"
                                 % (self.label, data[:200]))
        try:
            msg = json.loads(data)
        except ValueError:
            raise AssertionError("%s: server sent non-JSON text: %r"
                                 % (self.label, data[:200])) from None
        if not isinstance(msg, dict) or not isinstance(msg.get("type"), str):
            raise AssertionError("%s: server frame is not an object with a "
                                 "string type: %r" % (self.label, msg))
        return msg

    async def expect(self, type_, timeout=TIMEOUT, **fields):
        msg = await self.recv(timeout)
        if msg["type"] != type_:
            raise AssertionError("%s: expected %r, got %r"
                                 % (self.label, type_, msg))
        for k, v in fields.items():
            if msg.get(k) != v:
                raise AssertionError("%s: expected %s=%r in %r"
                                     % (self.label, k, v, msg))
        return msg

    async def expect_error(self, code, ref=None, timeout=TIMEOUT):
        msg = await self.recv(timeout)
        if msg["type"] != "error" or msg.get("code") != code:
            raise AssertionError("%s: expected error %r, got %r"
                                 % (self.label, code, msg))
        if not isinstance(msg.get("message"), str):
            raise AssertionError("%s: error without a string message: %r"
                                 % (self.label, msg))
        if ref is not None and msg.get("ref") != ref:
            raise AssertionError("%s: error should echo ref %r: %r"
                                 % (self.label, ref, msg))
        return msg

    async def expect_frames(self, *specs, timeout=TIMEOUT):
        """Read len(specs) frames, in any order, each matching one spec:
        a spec is a type or a (type, {field: value}) pair; an "error" spec
        matches on its fields too (e.g. ("error", {"code": "muted"})).
        Returns the frames in spec order."""
        wanted = [(s, {}) if isinstance(s, str) else s for s in specs]
        found = [None] * len(wanted)
        got = []
        for _ in wanted:
            msg = await self.recv(timeout)
            got.append(msg)
            for i, (t, fields) in enumerate(wanted):
                if found[i] is None and msg["type"] == t and all(
                        msg.get(k) == v for k, v in fields.items()):
                    found[i] = msg
                    break
            else:
                raise AssertionError("%s: unexpected frame %r; awaiting %r "
                                     "(frames so far: %r)"
                                     % (self.label, msg, [w for w, f in zip(
                                         wanted, found) if f is None], got))
        return found

    async def expect_silence(self, duration=0.3):
        """Fail if any frame arrives within `duration` seconds."""
        try:
            data = await asyncio.wait_for(self.ws.recv(), duration)
        except asyncio.TimeoutError:
            return
        except websockets.exceptions.ConnectionClosed as e:
            raise AssertionError("%s: connection closed (%s) where silence "
                                 "was expected" % (self.label, e)) from None
        raise AssertionError("%s: expected no frame, got %r"
                             % (self.label, data[:500]))

    async def expect_close(self, code, timeout=TIMEOUT, or_dropped=False):
        """Read until the server closes; assert its close code (or, with
        or_dropped, that the connection ended without a close frame). Returns
        the frames received before the close."""
        got = []
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            left = deadline - asyncio.get_running_loop().time()
            if left <= 0:
                raise AssertionError("%s: not closed within %ss (close code "
                                     "%s expected); frames: %r"
                                     % (self.label, timeout, code, got))
            try:
                data = await asyncio.wait_for(self.ws.recv(), left)
                got.append(data)
            except asyncio.TimeoutError:
                continue
            except websockets.exceptions.ConnectionClosed as e:
                if e.rcvd is None and or_dropped:
                    return got
                if e.rcvd is None:
                    raise AssertionError(
                        "%s: connection dropped without a close frame (close "
                        "code %s expected): %s" % (self.label, code, e)) \
                        from None
                if e.rcvd.code != code:
                    raise AssertionError(
                        "%s: close code %s (%r), expected %s"
                        % (self.label, e.rcvd.code, e.rcvd.reason, code))
                return got

    # -- protocol helpers ------------------------------------------------
    async def hello(self, **extra):
        await self.send(dict({"type": "hello", "v": 1}, **extra))
        self.welcome = await self.expect("welcome")
        return self.welcome

    @property
    def id(self):
        return self.welcome["id"]

    @property
    def token(self):
        return self.welcome["token"]

    async def join(self, room, **extra):
        await self.send(dict({"type": "join", "room": room}, **extra))
        return await self.expect("joined")

    async def say(self, room, text, ref=None):
        """Send `say` and read the next frame, which must be our own copy."""
        msg = {"type": "say", "room": room, "text": text}
        if ref is not None:
            msg["ref"] = ref
        await self.send(msg)
        got = await self.expect("message")
        if got.get("room") != room or got.get("text") != text:
            raise AssertionError("%s: expected own message %r in %s, got %r"
                                 % (self.label, text, room, got))
        if ref is not None and got.get("ref") != ref:
            raise AssertionError("%s: own copy should carry ref %r: %r"
                                 % (self.label, ref, got))
        return got

    async def ping(self, ref="p"):
        """Protocol ping; the next frame must be the pong with our ref."""
        await self.send({"type": "ping", "ref": ref})
        return await self.expect("pong", ref=ref)

    async def ws_ping(self):
        """WebSocket-level ping; the server must answer with a pong."""
        waiter = await asyncio.wait_for(self.ws.ping(), TIMEOUT)
        await asyncio.wait_for(waiter, TIMEOUT)

    async def close(self):
        try:
            await asyncio.wait_for(self.ws.close(), 3)
        except Exception:
            pass

    def abort(self):
        """Drop the TCP connection without a close handshake."""
        self.ws.transport.abort()


class RawSocket:
    """A WebSocket opened by hand over asyncio streams, for clients that
    misbehave on purpose (never answer pings, never read)."""

    def __init__(self, reader, writer):
        self.reader = reader
        self.writer = writer

    @classmethod
    async def upgrade(cls, server, host=None, origin=None, path="/ws",
                      extra_headers="", receive_buffer=None):
        """Send an upgrade request with exactly these Host and Origin
        headers (and extra_headers, raw "Name: value\r\n" lines).
        receive_buffer: SO_RCVBUF in bytes, set before connecting, for a
        client whose socket fills up quickly.
        Returns (status code, RawSocket)."""
        tls = {}
        if getattr(server, "ssl_context", None) is not None:
            tls = {"ssl": server.ssl_context, "server_hostname": "127.0.0.1"}
        if receive_buffer is None:
            where = {"host": "127.0.0.1", "port": server.port}
        else:
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
            sock.setblocking(False)
            await asyncio.wait_for(asyncio.get_running_loop().sock_connect(
                sock, ("127.0.0.1", server.port)), TIMEOUT)
            where = {"sock": sock}
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection(**where, **tls), TIMEOUT)
        key = base64.b64encode(os.urandom(16)).decode()
        req = ("GET %s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\n"
               "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\n"
               "Sec-WebSocket-Version: 13\r\n"
               % (path, host or server.host, key))
        if origin is not None:
            req += "Origin: %s\r\n" % origin
        req += extra_headers
        writer.write((req + "\r\n").encode())
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), TIMEOUT)
        status = int(head.split(b" ", 2)[1])
        return status, cls(reader, writer)

    @classmethod
    async def open(cls, server, path="/ws", receive_buffer=None):
        status, raw = await cls.upgrade(server, path=path,
                                        receive_buffer=receive_buffer)
        if status != 101:
            raw.close()
            raise AssertionError("raw upgrade refused: HTTP %s" % status)
        return raw

    def send_frame(self, opcode, payload, fin=True, masked=True):
        head = bytes([(0x80 if fin else 0) | opcode])
        m = 0x80 if masked else 0
        n = len(payload)
        if n < 126:
            head += bytes([m | n])
        elif n < 65536:
            head += bytes([m | 126]) + n.to_bytes(2, "big")
        else:
            head += bytes([m | 127]) + n.to_bytes(8, "big")
        if masked:
            mask = os.urandom(4)
            head += mask
            payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.writer.write(head + payload)

    async def read_json(self, timeout=TIMEOUT):
        f = await self.read_frame(timeout)
        if f is None or f[0] != 0x1:
            raise AssertionError("expected a text frame, got %r" % (f,))
        return json.loads(f[1].decode("utf-8"))

    async def read_frame(self, timeout=TIMEOUT):
        """(opcode, payload), or None at EOF / reset."""
        try:
            b = await asyncio.wait_for(self.reader.readexactly(2), timeout)
            n = b[1] & 0x7F
            if n == 126:
                n = int.from_bytes(await asyncio.wait_for(
                    self.reader.readexactly(2), timeout), "big")
            elif n == 127:
                n = int.from_bytes(await asyncio.wait_for(
                    self.reader.readexactly(8), timeout), "big")
            payload = await asyncio.wait_for(self.reader.readexactly(n),
                                             timeout)
            return b[0] & 0x0F, payload
        except (asyncio.IncompleteReadError, ConnectionError):
            return None

    def close(self):
        self.writer.close()


async def connect_hello(server, label="client", **extra):
    c = await Client.connect(server, label)
    await c.hello(**extra)
    return c


class ServerTestCase(unittest.IsolatedAsyncioTestCase):
    """One server per test class. Subclasses set SERVER_ARGS / ROOMS."""

    SERVER_ARGS = ()
    ROOMS = ()
    WEB_ROOT = None
    PER_TEST_SERVER = False  # True: the test starts its own server
    server = None

    FRONTS = ()  # "tls", "nginx": KRING_FRONT values this class runs with

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if FRONT and FRONT not in cls.FRONTS:
            raise unittest.SkipTest("not run with KRING_FRONT=" + FRONT)
        if cls.PER_TEST_SERVER:
            return
        cls.server = KringServer(cls.SERVER_ARGS, cls.ROOMS, cls.WEB_ROOT)
        cls.server.start()

    @classmethod
    def tearDownClass(cls):
        if cls.server is not None:
            cls.server.cleanup()
        super().tearDownClass()

    def setUp(self):
        self.clients = []
        srv = type(self).server
        if not self.PER_TEST_SERVER and srv is not None and not srv.alive():
            self.fail("the server died in an earlier test of this class "
                      "(exit code %s)" % srv.proc.returncode)

    async def client(self, label="client", hello=True, **extra):
        c = await Client.connect(self.server, label)
        self.clients.append(c)
        if hello:
            await c.hello(**extra)
        return c

    async def asyncTearDown(self):
        for c in self.clients:
            await c.close()
        if self.server is not None and not self.server.alive():
            self.fail("the server process died (exit code %s)"
                      % self.server.proc.returncode)

    def run(self, result=None):
        """Print the server's log when this test fails."""
        if result is None:
            return super().run(result)
        before = len(result.failures) + len(result.errors)
        out = super().run(result)
        after = len(result.failures) + len(result.errors)
        srv = getattr(self, "own_server", None) or type(self).server
        if after > before and srv is not None:
            sys.stderr.write("\n----- kring log for %s (%s) -----\n%s\n"
                             "----- end of kring log -----\n"
                             % (self.id(), " ".join(getattr(srv, "cmd", [])),
                                srv.log(new_only=True)))
        return out
