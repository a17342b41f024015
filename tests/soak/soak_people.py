"""The participants of the soak, each a loop until the soak goes quiet:

- Chatter: sits in its circles and talks, now and then reports a message;
  banned, it comes back as a new person (a new device key).
- Resumer: talks a while, then loses its connection (dropped, closed, or
  resumed from a second connection while the first is open, which the
  server must close with 4002) and resumes with its token.
- SlowReader: a phone on a bad link with a small receive buffer; it stops
  reading and keeps asking for its circles' history (leave and join,
  within the message budget), so the server's bytes for it pile up: the
  server must close it (4001), not grow. It then resumes.
- Flooder: says 300 things as fast as it can; it must get `rate_limited`
  and then be closed with 1008. Then it comes back as someone new.
"""

import asyncio
import secrets

from soak_link import PATIENCE, TIMEOUT, ConnectionClosed, Link

# Refusals that moderation, or a race with it, explains.
PARTICIPANT_REFUSALS = {"muted", "slow_mode", "moderated", "not_in_room",
                        "locked", "banned", "denied", "no_such_message",
                        "already_joined", "throttled"}
FLOODER_REFUSALS = PARTICIPANT_REFUSALS | {"rate_limited"}

WORDS = ("evening", "tea", "thanks", "listening", "hard week", "café",
         "sleep", "work", "family", "walk", "rain", "hope", "thé", "🙂",
         "tomorrow", "breathing", "courage", "garden", "music", "ça va")


def text(rng):
    """A message: mostly short, sometimes a long story (up to ~1,500)."""
    length = rng.randint(20, 160) if rng.random() < 0.8 else \
        rng.randint(400, 1500)
    out = []
    while sum(len(w) + 1 for w in out) < length:
        out.append(rng.choice(WORDS))
    return " ".join(out)[:1900]


class Person:
    kind = "person"
    open_options = {}

    def __init__(self, ctx, address, homes):
        self.ctx = ctx
        self.rng = ctx.rng
        self.address = address
        self.homes = list(homes)
        self.link = None
        self.retry_at = {}
        self.new_identity()

    def new_identity(self):
        self.device = secrets.token_urlsafe(18)
        self.token = self.id = self.name = None
        self.seen = {}
        self.banned = False

    @property
    def tally(self):
        return self.ctx.tally

    async def run(self):
        try:
            await self.live()
            await self.ctx.stopping.wait()  # quiet until everyone is counted
        except Exception as e:
            self.tally.problem("%s at %s: %r" % (self.kind, self.address, e))
        finally:
            if self.link is not None and self.link.open_now:
                await self.link.close()

    async def arrive(self, resume=False, **options):
        """A new connection with hello (resuming with the token); the link,
        or None when the server did not welcome it (a problem)."""
        link = Link(self.ctx, self.kind, self.address, self.on_frame)
        opts = dict(self.open_options, **options)
        try:
            await link.open(**opts)
        except (OSError, asyncio.TimeoutError, ConnectionClosed,
                ValueError) as e:  # websockets' InvalidStatusCode is one
            self.tally.problem("%s at %s: connecting failed: %r"
                               % (self.kind, self.address, e))
            return None
        hello = {"type": "hello", "v": 1, "device": self.device}
        if resume:
            hello.update(resume=self.token, since=dict(self.seen))
        welcome = await link.ask(hello, "welcome", PATIENCE)
        if not welcome or welcome["type"] != "welcome":
            self.tally.problem("%s: no welcome: %r" % (self.kind, welcome))
            await link.close()
            return None
        if resume:
            if welcome.get("resumed") is True and welcome["id"] == self.id:
                self.tally.events["resumed with the token"] += 1
            else:
                self.tally.problem("%s %s: resume refused: %r"
                                   % (self.kind, self.id, welcome))
        self.token, self.id = welcome["token"], welcome["id"]
        self.name = welcome["name"]
        self.link = link
        return link

    def on_frame(self, link, msg):
        if msg["type"] == "banned" and msg.get("member") == self.id:
            self.banned = True

    async def come_back_as_someone_new(self):
        self.tally.events["%s banned, back as a new person" % self.kind] += 1
        await self.link.close()
        self.new_identity()
        self.retry_at.clear()
        return await self.arrive()

    # -- being in circles --------------------------------------------------
    async def join_homes(self):
        link, now = self.link, asyncio.get_running_loop().time()
        for slug in self.homes:
            if slug in link.rooms or slug in link.waiting or \
                    self.retry_at.get(slug, 0) > now:
                continue
            answer = await link.ask({"type": "join", "room": slug})
            if answer is None or answer["type"] == "error":
                self.retry_at[slug] = now + self.rng.uniform(2, 5)

    def say_something(self):
        if self.link.rooms:
            slug = self.rng.choice(sorted(self.link.rooms))
            self.link.request({"type": "say", "room": slug,
                               "text": text(self.rng)})

    async def maybe_report(self):
        link = self.link
        if not link.rooms or self.rng.random() > 1 / 200:
            return
        slug = self.rng.choice(sorted(link.rooms))
        others = [mid for mid, author in link.recent.get(slug, ())
                  if author != self.id]
        if not others:
            return
        answer = await link.ask({"type": "report", "room": slug,
                                 "message": self.rng.choice(others),
                                 "reason": "soak"})
        if answer is not None and answer["type"] == "ok":
            self.tally.acks.append({"actor": self.name, "action": "report",
                                    "room": slug, "target": None})

    async def talk_for(self, seconds):
        """Join, say things, report now and then, for `seconds`; False when
        the soak went quiet or the connection ended."""
        until = asyncio.get_running_loop().time() + seconds
        while asyncio.get_running_loop().time() < until:
            if not self.link.open_now:
                self.tally.problem("%s %s: connection ended (close %s)"
                                   % (self.kind, self.id,
                                      self.link.close_code))
                return False
            if self.banned and not await self.come_back_as_someone_new():
                return False
            await self.join_homes()
            self.say_something()
            await self.maybe_report()
            if await self.ctx.pause(self.rng.expovariate(
                    1 / self.ctx.say_interval)):
                return False
        return True


class Chatter(Person):
    kind = "chatter"

    async def live(self):
        if await self.arrive():
            await self.talk_for(float("inf"))


class Resumer(Person):
    kind = "resumer"

    async def live(self):
        if not await self.arrive():
            return
        while await self.talk_for(self.rng.uniform(4, 15)):
            old = self.link
            self.seen = dict(old.rooms)
            way = self.rng.choice(("drop", "drop", "close", "elsewhere"))
            if way == "elsewhere":
                if not await self.arrive(resume=True):
                    return
                if not await old.ended(PATIENCE) or old.close_code != 4002:
                    self.tally.problem("resumer %s: the replaced connection "
                                       "ended with %s, not 4002"
                                       % (self.id, old.close_code))
                continue
            if way == "drop":
                old.abort()
            else:
                await old.close()
            await old.ended()
            if await self.ctx.pause(self.rng.uniform(0.5, 8)):
                return
            if not await self.arrive(resume=True):
                return


class SlowReader(Person):
    kind = "slow reader"
    # A small receive buffer and a client library that stops reading the
    # socket as soon as one message waits.
    open_options = {"rcvbuf": 4096, "max_queue": 1, "read_limit": 4096}
    patience = 120.0  # seconds without reading before giving up on a close

    async def live(self):
        resume = False
        while not self.ctx.quiet.is_set():
            if not await self.arrive(resume=resume):
                return
            if not resume or not await self.circles_back():
                for slug in self.homes:
                    await self.link.ask({"type": "join", "room": slug})
            resume = True
            if await self.ctx.pause(self.rng.uniform(1, 3)):
                return
            await self.stop_reading()
            if self.banned:
                self.new_identity()
                resume = False
            if await self.ctx.pause(self.rng.uniform(2, 6)):
                return

    async def circles_back(self):
        """True once a resume has brought back a circle (joined or
        waiting): they follow the welcome, through a small window."""
        for _ in range(int(TIMEOUT / 0.2)):
            if self.link.rooms or self.link.waiting:
                return True
            await asyncio.sleep(0.2)
        return False

    async def stop_reading(self):
        link = self.link
        link.reading.clear()
        self.tally.slow_episodes[self.id] += 1
        rooms = sorted(link.rooms) or self.homes[:1]
        started = asyncio.get_running_loop().time()
        closed, turn = False, 0
        while asyncio.get_running_loop().time() - started < self.patience:
            if self.ctx.quiet.is_set():
                break
            slug = rooms[turn % len(rooms)]
            turn += 1
            try:
                await link.send({"type": "leave", "room": slug})
                await link.send({"type": "join", "room": slug})
            except (ConnectionClosed, asyncio.TimeoutError):
                closed = True
                break
            if link.done.is_set():
                closed = True
                break
            await asyncio.sleep(0.45)  # within 5 a second
        link.reading.set()
        if closed or await link.ended(3):
            self.tally.events["slow reader closed by the server"] += 1
            self.tally.slow_closed[self.id] += 1
            self.tally.slow_seconds.append(
                asyncio.get_running_loop().time() - started)
            await link.ended()
        elif self.ctx.quiet.is_set():
            link.abort()  # the end of the soak: it never read again
        else:
            self.tally.events["slow reader still open after %ds"
                              % self.patience] += 1
            await link.close()


class Flooder(Person):
    kind = "flooder"

    async def live(self):
        while not self.ctx.quiet.is_set():
            self.new_identity()
            if not await self.arrive():
                return
            link = self.link
            slug = self.rng.choice(self.ctx.rooms)
            await link.ask({"type": "join", "room": slug})
            started = asyncio.get_running_loop().time()
            for i in range(300):
                try:
                    await link.send({"type": "say", "room": slug,
                                     "text": "flood %d" % i})
                except (ConnectionClosed, asyncio.TimeoutError):
                    break
            self.tally.flood_seconds.append(
                asyncio.get_running_loop().time() - started)
            ended = await link.ended(PATIENCE)
            limited = link.refused["rate_limited"]
            if not ended:
                self.tally.problem("flooder %s: still open after 300 "
                                   "messages" % self.id)
                await link.close()
            elif link.close_code != 1008 or limited == 0:
                self.tally.problem("flooder %s: %d rate_limited, close %s "
                                   "(1008 expected)"
                                   % (self.id, limited, link.close_code))
            else:
                self.tally.events["flooder refused (rate_limited), "
                                  "closed with 1008"] += 1
            if await self.ctx.pause(self.rng.uniform(5, 15)):
                return
