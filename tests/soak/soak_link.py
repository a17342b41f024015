"""One soak connection: a WebSocket from its own loopback address, a reader
task that routes every frame the server sends, and requests matched to
their answers by `ref`. What the people of the soak do with it is in
soak_people.py and soak_moderator.py; what is counted, in Tally.

Uses the legacy asyncio API of Debian 12's websockets 10.4.
"""

import asyncio
import collections
import fcntl
import itertools
import json
import socket
import struct
import termios

import websockets
import websockets.exceptions

# One network wait, in seconds. Generous: the soak, its server and other
# people's builds share two cores.
TIMEOUT = 15.0
# How long the soak waits for something the server must do (a welcome, a
# close): far longer, so that a soak that falls behind in reading, on a
# machine others load, does not blame the server.
PATIENCE = 60.0

ConnectionClosed = websockets.exceptions.ConnectionClosed


class Tally:
    """Everything the soak counts, shared by all its people."""

    def __init__(self):
        C = collections.Counter
        self.deliveries = 0   # `message` frames received
        self.frames = C()     # frame type -> received
        self.sent = C()       # (kind, type) -> sent
        self.errors = C()     # (kind, code) -> received
        self.closes = C()     # (kind, how) -> connections that ended so
        self.events = C()     # what happened, by name
        self.open_links = C()  # kind -> connections open now
        # Acknowledged actions: {actor, action, room, target, at?}; a
        # report's target is None (its reporter never learns the id).
        self.acks = []
        self.slow_episodes = C()  # identity -> times it stopped reading
        self.slow_closed = C()    # identity -> closes it noticed meanwhile
        self.slow_seconds = []    # not reading, until each close noticed
        self.answer_seconds = []  # the moderator's actions, until answered
        self.flood_seconds = []   # how long each flood took to send
        self.problems = []        # what went wrong, one line each (500)
        self.problem_count = 0

    def problem(self, line):
        self.problem_count += 1
        if len(self.problems) < 500:
            self.problems.append(line)


class Context:
    """What every person of the soak shares: the server's address, the
    tally, the randomness and the signals to stop."""

    def __init__(self, port, rng, rooms, say_interval):
        self.port = port
        self.url = "ws://127.0.0.1:%d/ws" % port
        self.rng = rng
        self.rooms = list(rooms)
        self.say_interval = say_interval
        self.tally = Tally()
        self.links = set()  # the connections open now
        self.quiet = asyncio.Event()     # set: send nothing new
        self.stopping = asyncio.Event()  # set: close and go home

    async def pause(self, seconds):
        """Sleep; True when the soak goes quiet meanwhile (stop acting)."""
        if self.quiet.is_set():
            return True
        try:
            await asyncio.wait_for(self.quiet.wait(), max(0.0, seconds))
        except asyncio.TimeoutError:
            return False
        return True


class Link:
    """One WebSocket connection and what it knows: its welcome, the rooms
    it is in (with the last seq seen), their members, recent messages."""

    def __init__(self, ctx, kind, address, on_frame=None):
        self.ctx = ctx
        self.kind = kind
        self.address = address
        self.on_frame = on_frame  # called with each frame, after routing
        self.ws = None
        self.welcome = None
        self.rooms = {}           # slug -> last seq seen
        self.waiting = set()      # rooms whose waiting room holds us
        self.members = {}         # slug -> {id: member entry}
        self.recent = {}          # slug -> deque of (message id, author id)
        self.refused = collections.Counter()  # error code -> count
        self.pending = {}         # ref -> future of the answer
        self.joins = {}           # slug -> (ref, future)
        self.by_type = collections.defaultdict(collections.deque)
        self.refs = itertools.count(1)
        self.reading = asyncio.Event()
        self.reading.set()
        self.done = asyncio.Event()   # set once the connection has ended
        self.close_code = None        # the server's; None: no close frame
        self.closed_by_us = False
        self.reader = None

    # -- opening and closing ---------------------------------------------
    async def open(self, rcvbuf=None, **options):
        """Connect from self.address; with rcvbuf, a small receive buffer
        and the segment size of a real network (a phone on a bad link),
        rather than loopback's 64 KiB segments, for which the server's
        kernel would buffer megabytes. Raises on failure."""
        loop = asyncio.get_running_loop()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            if rcvbuf:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG, 1400)
            sock.bind((self.address, 0))
            sock.setblocking(False)
            await asyncio.wait_for(
                loop.sock_connect(sock, ("127.0.0.1", self.ctx.port)), TIMEOUT)
            settings = dict(compression=None, ping_interval=None,
                            close_timeout=2, max_size=16 << 20,
                            open_timeout=TIMEOUT)
            settings.update(options)
            self.ws = await asyncio.wait_for(
                websockets.connect(self.ctx.url, sock=sock, **settings),
                TIMEOUT)
        except BaseException:
            sock.close()
            raise
        self.ctx.tally.open_links[self.kind] += 1
        self.ctx.links.add(self)
        self.reader = asyncio.create_task(self._read())

    async def close(self):
        """Close with 1000 and wait for the reader to finish."""
        self.closed_by_us = True
        self.reading.set()
        if self.ws is not None:
            try:
                await asyncio.wait_for(self.ws.close(), 5)
            except Exception:
                self.abort()
        await self.ended(5)

    def abort(self):
        """Drop the TCP connection without a close handshake."""
        self.closed_by_us = True
        self.reading.set()
        if self.ws is not None and self.ws.transport is not None:
            self.ws.transport.abort()

    async def ended(self, timeout=TIMEOUT):
        """True once the connection has ended, within `timeout`."""
        try:
            await asyncio.wait_for(self.done.wait(), timeout)
            return True
        except asyncio.TimeoutError:
            return False

    @property
    def open_now(self):
        return self.ws is not None and not self.done.is_set()

    def unread_bytes(self):
        """What the server has sent that waits in our kernel, unread: how
        far this client has fallen behind."""
        sock = self.ws.transport.get_extra_info("socket") if \
            self.open_now and self.ws.transport else None
        if sock is None or sock.fileno() < 0:
            return 0
        try:
            got = fcntl.ioctl(sock.fileno(), termios.FIONREAD, b"\0" * 4)
        except (OSError, ValueError):  # closed meanwhile
            return 0
        return struct.unpack("i", got)[0]

    # -- sending ---------------------------------------------------------
    async def send(self, obj):
        """Send one request; raises ConnectionClosed when the link is gone.
        Inline, not in a task of its own (as wait_for would), so that a
        loop of sends goes out at once even when the soak's loop runs
        late: a flood must arrive as a flood."""
        self.ctx.tally.sent[(self.kind, obj["type"])] += 1
        async with asyncio.timeout(TIMEOUT):
            await self.ws.send(json.dumps(obj))

    def request(self, obj, answer_type=None):
        """Send obj with a fresh ref (not awaited); returns the future of
        its answer: the frame echoing the ref, or the next frame of
        `answer_type`, or None if the connection ends first."""
        ref = "%s%d" % (obj["type"][:2], next(self.refs))
        obj = dict(obj, ref=ref)
        fut = asyncio.get_running_loop().create_future()
        self.pending[ref] = fut
        if answer_type:
            self.by_type[answer_type].append(fut)
        if obj["type"] == "join":
            self.joins[obj["room"]] = (ref, fut)
        task = asyncio.ensure_future(self.send(obj))
        task.add_done_callback(lambda t: self._sent(t, ref))
        return fut

    async def ask(self, obj, answer_type=None, timeout=TIMEOUT):
        """request() and wait: the answer, or None (closed or no answer)."""
        fut = self.request(obj, answer_type)
        try:
            return await asyncio.wait_for(asyncio.shield(fut), timeout)
        except asyncio.TimeoutError:
            return None

    def unanswered(self):
        return sum(1 for f in self.pending.values() if not f.done())

    def _sent(self, task, ref):
        if task.cancelled() or task.exception() is not None:
            fut = self.pending.pop(ref, None)
            if fut is not None and not fut.done():
                fut.set_result(None)

    # -- receiving -------------------------------------------------------
    async def _read(self):
        ws = self.ws
        try:
            while True:
                await self.reading.wait()
                raw = await ws.recv()
                if isinstance(raw, bytes):
                    self.ctx.tally.problem("%s: binary frame" % self.kind)
                    continue
                self._route(json.loads(raw))
        except ConnectionClosed:
            pass
        except Exception as e:  # a bug in the soak or a bad frame
            self.ctx.tally.problem("%s: reader failed: %r" % (self.kind, e))
            ws.transport.abort()
        finally:
            self._finish(ws)

    def _finish(self, ws):
        self.close_code = ws.close_rcvd.code if ws.close_rcvd else None
        how = "closed by the soak" if self.closed_by_us else (
            "close %s" % self.close_code if self.close_code else
            "dropped without a close frame")
        tally = self.ctx.tally
        tally.closes[(self.kind, how)] += 1
        tally.open_links[self.kind] -= 1
        self.ctx.links.discard(self)
        for fut in self.pending.values():
            if not fut.done():
                fut.set_result(None)
        self.done.set()

    def _route(self, msg):
        t = msg.get("type")
        tally = self.ctx.tally
        tally.frames[t] += 1
        room = msg.get("room")
        if t == "message":
            tally.deliveries += 1
            self.rooms[room] = msg["seq"]
            self.recent.setdefault(room, collections.deque(maxlen=60)).append(
                (msg["id"], msg["from"]["id"]))
        elif t == "welcome":
            self.welcome = msg
        elif t == "joined":
            self._joined(msg)
        elif t == "waiting":
            self.waiting.add(room)
            self._answer_join(room, msg)
        elif t == "member_joined":
            member = msg["member"]
            self.members.setdefault(room, {})[member["id"]] = member
        elif t in ("member_left", "removed", "banned"):
            member = msg.get("member", msg.get("id"))
            self.members.get(room, {}).pop(member, None)
            if self.welcome and member == self.welcome["id"]:
                self._out_of(room)
        elif t in ("ended", "left"):
            self._out_of(room)
        elif t == "deleted":
            self._forget_message(room, msg["message"])
        elif t == "error":
            self._error(msg)
        ref = msg.get("ref")
        fut = self.pending.pop(ref, None) if ref is not None else None
        if fut is None and t in self.by_type and self.by_type[t]:
            fut = self.by_type[t].popleft()
        if fut is not None and not fut.done():
            fut.set_result(msg)
        if self.on_frame is not None:
            self.on_frame(self, msg)

    def _joined(self, msg):
        slug = msg["room"]["slug"]
        self.rooms[slug] = msg["seq"]
        self.waiting.discard(slug)
        self.members[slug] = {m["id"]: m for m in msg["members"]}
        recent = self.recent.setdefault(slug, collections.deque(maxlen=60))
        recent.clear()
        for m in msg["history"]:
            recent.append((m["id"], m["from"]["id"]))
        for mid in msg.get("deleted", ()):
            self._forget_message(slug, mid)
        self._answer_join(slug, msg)

    def _answer_join(self, slug, msg):
        ref, fut = self.joins.pop(slug, (None, None))
        if ref is not None:
            self.pending.pop(ref, None)
            if not fut.done():
                fut.set_result(msg)

    def _out_of(self, room):
        self.rooms.pop(room, None)
        self.waiting.discard(room)
        self.members.pop(room, None)

    def _forget_message(self, room, mid):
        recent = self.recent.get(room)
        if recent:
            for entry in [e for e in recent if e[0] == mid]:
                recent.remove(entry)

    def _error(self, msg):
        code = msg.get("code")
        self.refused[code] += 1
        self.ctx.tally.errors[(self.kind, code)] += 1
        if code == "denied":
            self.waiting.discard(msg.get("room"))
            self._answer_join(msg.get("room"), msg)
        ref = msg.get("ref")
        if ref is not None:
            for slug, (join_ref, _) in list(self.joins.items()):
                if join_ref == ref:
                    self.joins.pop(slug)
