"""The moderator of the soak: logged in once with its password, then on one
connection per eight circles (a connection's limit), it acts about once
every `interval` seconds: mutes and unmutes, removes, bans for the room,
deletes and pins messages, pins a prompt and unpins, locks and unlocks,
turns the waiting room, slow mode and moderated mode on and off again,
admits or denies whoever knocks, resolves reports and, rarely, ends a
circle. Now and then one of its connections drops and comes back with the
login token. Every action the server answered `ok` is written down (who,
what, where, on whom), to be found in the audit table afterwards.
"""

import asyncio
import math
import time

from soak_link import PATIENCE, Link

# Refusals that the circle's own life explains: the member left, the
# message fell out of the ring, the report was resolved.
MODERATOR_REFUSALS = {"no_such_member", "no_such_message", "no_such_report"}

# The states a moderator turns on and, a few seconds later, off again:
# (name, request fields to turn it on, request fields to turn it off).
TOGGLES = (
    ("lock", {"type": "lock"}, {"type": "unlock"}),
    ("slow", {"type": "room_set", "slow": 5}, {"type": "room_set", "slow": 0}),
    ("waiting", {"type": "room_set", "waiting": True},
     {"type": "room_set", "waiting": False}),
    ("moderated", {"type": "room_set", "mode": "moderated"},
     {"type": "room_set", "mode": "open"}),
)


def audited_as(req):
    """(action, target) as the audit table writes this request."""
    t = req["type"]
    if t in ("mute", "unmute", "remove", "admit", "deny", "ban"):
        return t, req["member"]
    if t == "delete":
        return t, req["message"]
    if t == "pin":
        return t, req.get("message", "")
    if t == "resolve":
        return t, str(req["report"])
    return t, ""  # lock, unlock, end, room_set


class Moderator:
    kind = "moderator"

    def __init__(self, ctx, address, name, password, interval):
        self.ctx = ctx
        self.rng = ctx.rng
        self.address = address
        self.name = name
        self.password = password
        self.interval = interval
        self.token = None
        groups = [ctx.rooms[i:i + 8] for i in range(0, len(ctx.rooms), 8)]
        self.links = [None] * len(groups)
        self.groups = groups
        self.knocks = {}     # room -> {member id}
        self.muted = set()   # (room, member id)
        self.undo = {}       # (room, toggle name) -> (when, request)
        self.reports = {}    # report id -> room
        self.joining = [set() for _ in groups]  # rooms a join is out for

    @property
    def tally(self):
        return self.ctx.tally

    async def run(self):
        try:
            for i in range(len(self.groups)):
                await self.connect(i)
            while not await self.ctx.pause(self.rng.expovariate(
                    1 / self.interval)):
                await self.act_once()
            await self.ctx.stopping.wait()
        except Exception as e:
            self.tally.problem("moderator: %r" % (e,))
        finally:
            for link in self.links:
                if link is not None and link.open_now:
                    await link.close()

    # -- connections -----------------------------------------------------
    async def connect(self, i):
        """Connection i: password the first time, the token after; then
        join its circles."""
        link = Link(self.ctx, self.kind, self.address, self.on_frame)
        await link.open()
        hello = {"type": "hello", "v": 1}
        if self.token:
            hello["auth"] = self.token
        welcome = await link.ask(hello, "welcome", PATIENCE)
        if not welcome or welcome.get("role") not in (
                "moderator", "admin") and self.token:
            raise RuntimeError("hello with the login token: %r" % (welcome,))
        if not self.token:
            got = await link.ask({"type": "login", "user": self.name,
                                  "password": self.password}, "logged_in",
                                 PATIENCE)
            if not got or got["type"] != "logged_in":
                raise RuntimeError("login refused: %r" % (got,))
            self.token = got["token"]
        for slug in self.groups[i]:
            answer = await link.ask({"type": "join", "room": slug},
                                    timeout=PATIENCE)
            if not answer or answer["type"] != "joined":
                raise RuntimeError("moderator join %s: %r" % (slug, answer))
        self.links[i] = link
        self.joining[i] = set()

    async def keep_connected(self):
        """A connection that ended without the moderator asking (it must
        not) is a problem; the moderator comes back with its token."""
        for i, link in enumerate(self.links):
            if not link.open_now:
                self.tally.problem("moderator: connection ended, close %s"
                                   % (link.close_code,))
                await self.connect(i)

    async def reconnect_one(self):
        i = self.rng.randrange(len(self.links))
        self.links[i].abort()
        await self.links[i].ended()
        await self.connect(i)
        self.tally.events["moderator back with its login token"] += 1

    def on_frame(self, link, msg):
        t = msg["type"]
        if t == "knock":
            self.knocks.setdefault(msg["room"], set()).add(msg["member"]["id"])
        elif t in ("member_joined", "member_left", "removed", "banned"):
            member = msg.get("member", msg.get("id"))
            member = member["id"] if isinstance(member, dict) else member
            self.knocks.get(msg["room"], set()).discard(member)
        elif t == "report":
            self.reports[msg["report"]["id"]] = msg["report"]["room"]

    # -- acting ----------------------------------------------------------
    def act(self, link, req, room=None, then=None):
        """Send one action and go on: the moderator does not wait, so that
        a soak that falls behind in reading does not slow its moderation.
        When the `ok` comes, the action is written down as acknowledged
        (in `room`: a resolve names its report, not the room); `then` is
        told whether it was."""
        sent = asyncio.get_running_loop().time()
        fut = link.request(req)
        fut.add_done_callback(
            lambda f: self.answered(req, room, sent, f.result(), then))

    def answered(self, req, room, sent, answer, then):
        ok = answer is not None and answer["type"] == "ok"
        if answer is None:
            self.tally.events["moderator action cut off by a drop"] += 1
        else:
            self.tally.answer_seconds.append(
                asyncio.get_running_loop().time() - sent)
        if ok:
            action, target = audited_as(req)
            self.tally.acks.append({"actor": self.name, "action": action,
                                    "room": room or req.get("room", ""),
                                    "target": target, "at": time.time()})
            self.tally.events["moderator action acknowledged"] += 1
        elif answer is not None and answer.get("code") not in \
                MODERATOR_REFUSALS:
            self.tally.problem("moderator %s: %r" % (req["type"], answer))
        if then is not None:
            then(ok)

    def link_of(self, slug):
        for i, group in enumerate(self.groups):
            if slug in group:
                return self.links[i]
        raise KeyError(slug)

    async def act_once(self):
        await self.keep_connected()
        self.rejoin()  # after an `end`, the moderator is out too
        now = asyncio.get_running_loop().time()
        due = [k for k, (when, _) in self.undo.items() if when <= now]
        if due:
            _, req = self.undo.pop(due[0])
            return self.act(self.link_of(req["room"]), req)
        if any(self.knocks.values()):
            return self.answer_knock()
        if self.reports and self.rng.random() < 0.5:
            return self.resolve_report()
        if self.rng.random() < 1 / 60:
            return await self.reconnect_one()
        self.act_on_a_room(self.rng.choice(self.ctx.rooms))

    def rejoin(self):
        for i, (link, group) in enumerate(zip(self.links, self.groups)):
            for slug in group:
                if slug not in link.rooms and slug not in self.joining[i]:
                    self.joining[i].add(slug)
                    link.request({"type": "join", "room": slug}) \
                        .add_done_callback(
                            lambda _, i=i, s=slug: self.joining[i].discard(s))

    def answer_knock(self):
        slug = self.rng.choice([s for s, k in self.knocks.items() if k])
        member = self.knocks[slug].pop()
        verb = "deny" if self.rng.random() < 0.2 else "admit"
        self.act(self.link_of(slug), {"type": verb, "room": slug,
                                      "member": member})

    def resolve_report(self):
        report, slug = self.reports.popitem()
        self.act(self.link_of(slug), {"type": "resolve", "report": report,
                                      "action": "none"}, slug)

    def participants(self, link, slug):
        me = link.welcome["id"] if link.welcome else None
        return [m for m, entry in link.members.get(slug, {}).items()
                if entry.get("role") == "participant" and m != me]

    def act_on_a_room(self, slug):
        """One action, chosen by weight among those that have something
        to act on in this room."""
        link = self.link_of(slug)
        people = self.participants(link, slug)
        messages = [mid for mid, _ in link.recent.get(slug, ())]
        base = {"room": slug}
        choices = [(6, lambda: self.toggle(link, slug)),
                   (2, lambda: self.act(link, dict(
                       base, type="pin", text="Tonight: how we rest"))),
                   (2, lambda: self.act(link, dict(base, type="pin"))),
                   (0.3, lambda: self.act(link, dict(base, type="end")))]
        if people:
            target = self.rng.choice(people)
            choices += [
                (5, lambda: self.mute(link, slug, target)),
                (3, lambda: self.act(link, dict(
                    base, type="remove", reason="soak", member=target))),
                (2, lambda: self.act(link, dict(
                    base, type="ban", scope="room", hours=2, reason="soak",
                    member=target)))]
        if self.muted:
            muted = self.rng.choice(sorted(self.muted))
            choices.append((3, lambda: self.unmute(*muted)))
        if messages:
            mid = self.rng.choice(messages)
            choices += [(4, lambda: self.act(link, dict(
                base, type="delete", message=mid))),
                (3, lambda: self.act(link, dict(
                    base, type="pin", message=mid)))]
        chosen = self.rng.choices([c for _, c in choices],
                                  [w for w, _ in choices])[0]
        chosen()

    def mute(self, link, slug, who):
        req = {"type": "mute", "room": slug, "member": who}
        if self.rng.random() < 0.5:
            req["minutes"] = 1
        self.act(link, req, then=lambda ok: ok and self.muted.add((slug, who)))

    def unmute(self, slug, who):
        self.muted.discard((slug, who))
        self.act(self.link_of(slug), {"type": "unmute", "room": slug,
                                      "member": who})

    def toggle(self, link, slug):
        """Turn a state on; once that is acknowledged, plan to turn it off
        a few seconds later."""
        name, on, off = self.rng.choice(TOGGLES)
        key = (slug, name)
        if key in self.undo:
            return
        self.undo[key] = (math.inf, dict(off, room=slug))  # until answered

        def planned(ok):
            if ok:
                when = asyncio.get_running_loop().time() + \
                    self.rng.uniform(2, 8)
                self.undo[key] = (when, dict(off, room=slug))
            else:
                self.undo.pop(key, None)
        self.act(link, dict(on, room=slug), then=planned)
