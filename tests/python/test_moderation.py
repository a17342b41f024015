"""Integration tests of Kring's moderation (protocol/README.md, "Moderators
and admins"), driven by an independent client (Debian's websockets 10.4).

Run from this directory:
  KRING_BINARY=../../build/server/kring /usr/bin/python3 -m unittest -v \
      test_moderation

Staff are created with the `kring moderator` command line on each server's
database before it starts: `sara` keeps `demo`, `tea` and the rooms of the
single tests, `omar` keeps `other` only, `boss` is an admin.

Not tested: a login token expiring in real time (`--login-hours` is at
least 1 hour); only `expires` itself is checked (12 h by default, 1 h with
`--login-hours 1`).
"""

import asyncio
import json
import re
import time
import unittest

from kring_harness import (Client, FAST_CLIENTS, KringServer, ServerTestCase,
                           TIMEOUT)

TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{43,}$")
HOUR_MS = 3600 * 1000

# Each 12 characters or more, none holding its moderator's name.
PASSWORDS = {
    "sara": "Pw-7fq2-violet-sky",
    "omar": "Pw-k9x4-amber-sea",
    "boss": "Pw-3zt8-indigo-hill",
    "lena": "Pw-m5c1-teal-brook",
    "dora": "Pw-v6r0-ochre-field",
    "dana": "Pw-k2q8-slate-roof",
    "dina": "Pw-q2w8-olive-grove",
}


def now_ms():
    return time.time() * 1000.0


def room(slug):
    return {"slug": slug, "title": "Room " + slug}


def staff(name, rooms=(), admin=False):
    return {"name": name, "password": PASSWORDS[name], "rooms": list(rooms),
            "admin": admin}


def db_bytes(server):
    """Everything the database holds, as bytes (kring_harness.stored_bytes)."""
    return server.stored_bytes()


def state(room_or_event):
    """The room-state fields of a room_state event or a joined.room."""
    return {k: room_or_event.get(k) for k in
            ("locked", "waiting", "slow", "mode")}


def member_entry(c, name=None, role="participant"):
    return {"id": c.mid, "name": name or c.welcome["name"], "role": role}


class ModerationCase(ServerTestCase):
    """One server per class, with rooms and staff made by the CLI."""

    SERVER_ARGS = ["--threads", "2", "--login-failures", "100",
                   "--login-failures-per-network", "100"] + FAST_CLIENTS
    ROOMS = ()
    MODERATORS = ()

    @classmethod
    def setUpClass(cls):
        super(ServerTestCase, cls).setUpClass()
        cls.server = KringServer(cls.SERVER_ARGS, cls.ROOMS,
                                 moderators=cls.MODERATORS)
        cls.server.start()

    # -- helpers ------------------------------------------------------------
    async def login(self, user, password=None, label=None, **hello):
        """A new connection, hello, login; the client's .login holds the
        logged_in frame."""
        c = await self.client(label or user, **hello)
        await c.send({"type": "login", "user": user,
                      "password": password or PASSWORDS[user],
                      "ref": "login"})
        c.login = await c.expect("logged_in")
        return c

    async def join(self, c, slug, **extra):
        j = await c.join(slug, **extra)
        c.mid = j["you"]["id"]
        return j

    async def seat(self, slug, *clients):
        """Join the clients in order; everyone already in sees each
        newcomer's member_joined. Returns the joined frames."""
        seated, out = [], []
        for c in clients:
            out.append(await self.join(c, slug))
            for earlier in seated:
                got = await earlier.expect("member_joined", room=slug)
                self.assertEqual(got["member"]["id"], c.mid)
            seated.append(c)
        return out

    async def act(self, mod, req, event, watchers=(), **fields):
        """`mod` sends `req`: it gets `ok` (with the ref) and, being in the
        room, the `event`; every watcher gets the event. Returns the
        actor's copy of the event."""
        req = dict(req)
        req.setdefault("ref", "a-" + req["type"])
        fields.setdefault("room", req.get("room"))
        await mod.send(req)
        _, ev = await mod.expect_frames(("ok", {"ref": req["ref"]}),
                                        (event, fields))
        for w in watchers:
            got = await w.expect(event, **fields)
            self.assertEqual(got, ev, "everyone gets the same event")
        return ev

    async def ok(self, mod, req):
        """`mod` sends `req` and the next frame is its `ok`."""
        req = dict(req)
        req.setdefault("ref", "o-" + req["type"])
        await mod.send(req)
        return await mod.expect("ok", ref=req["ref"])

    async def answer(self, c, ref, timeout=TIMEOUT):
        """The `ok` or `error` carrying `ref`, skipping events before it;
        None when the connection closes first."""
        while True:
            try:
                msg = await c.recv(timeout)
            except AssertionError as e:
                if "connection closed" in str(e):
                    return None
                raise
            if msg["type"] in ("ok", "error") and msg.get("ref") == ref:
                return msg

    async def refused(self, c, req, code):
        req = dict(req)
        req.setdefault("ref", "r-" + req["type"])
        await c.send(req)
        return await c.expect_error(code, ref=req["ref"])

    async def ok_and(self, mod, req, event):
        """`mod` gets `ok` and the `event` (a type), in any order."""
        req = dict(req)
        req.setdefault("ref", "oa-" + req["type"])
        await mod.send(req)
        return await mod.expect_frames(("ok", {"ref": req["ref"]}), event)

    async def say_to(self, sender, slug, text, others=()):
        own = await sender.say(slug, text, ref="s")
        for o in others:
            got = await o.expect("message", room=slug, text=text)
            self.assertEqual(got["id"], own["id"])
        return own

    def assertNear(self, ms, target, slack_ms, what):
        self.assertIsInstance(ms, int, "%s should be an integer: %r"
                              % (what, ms))
        self.assertLess(abs(ms - target), slack_ms,
                        "%s = %s, expected about %s" % (what, ms, target))


# ---------------------------------------------------------------------------
class LoginTests(ModerationCase):
    """Logging in, tokens, logout, disabled staff. Generous
    --login-failures and --login-failures-per-network: every failure here
    comes from 127.0.0.1."""

    ROOMS = [room("demo"), room("tea"), room("other"), room("lo"),
             room("dis")]
    MODERATORS = [staff("sara", ["demo", "tea", "lo"]),
                  staff("omar", ["other"]), staff("boss", admin=True),
                  staff("dora", ["tea"]), staff("dina", ["dis"]),
                  staff("dana", ["tea"])]

    async def test_login_right_password_gives_logged_in(self):
        s = await self.login("sara")
        li = s.login
        self.assertEqual(li["role"], "moderator")
        self.assertEqual(li["name"], "sara")
        self.assertEqual(sorted(li["rooms"]), ["demo", "lo", "tea"])
        self.assertRegex(li["token"], TOKEN_RE)
        self.assertNotEqual(li["token"], s.welcome["token"],
                            "the login token is not the identity's token")
        self.assertNear(li["expires"], now_ms() + 12 * HOUR_MS, 60000,
                        "expires (default 12 hours)")
        j = await self.join(s, "demo")
        self.assertEqual(j["you"]["role"], "moderator")
        self.assertEqual(j["you"]["name"], "sara")
        # Stored only as a hash; the password neither.
        disk = db_bytes(self.server)
        self.assertNotIn(li["token"].encode(), disk)
        self.assertNotIn(PASSWORDS["sara"].encode(), disk)

    async def test_admin_login_has_role_admin(self):
        b = await self.login("boss")
        self.assertEqual(b.login["role"], "admin")
        self.assertEqual(b.login["name"], "boss")
        self.assertIsInstance(b.login["rooms"], list)
        w = await self.client("boss-again", auth=b.login["token"])
        self.assertEqual(w.welcome["role"], "admin")
        self.assertEqual(w.welcome["name"], "boss")

    async def test_hello_with_auth_token_welcomes_as_moderator(self):
        s = await self.login("omar")
        token = s.login["token"]
        o = await self.client("omar-2", hello=False)
        w = await o.hello(auth=token)
        self.assertEqual(w["role"], "moderator")
        self.assertEqual(w["name"], "omar")
        j = await self.join(o, "other")
        self.assertEqual(j["you"], {"id": o.mid, "name": "omar",
                                    "role": "moderator"})
        # Acting works on the token login: lock and unlock "other".
        await self.act(o, {"type": "lock", "room": "other"}, "room_state",
                       locked=True)
        await self.act(o, {"type": "unlock", "room": "other"}, "room_state",
                       locked=False)

    async def test_wrong_password_and_unknown_user_get_the_same_answer(self):
        a = await self.client("wrong")
        await a.send({"type": "login", "user": "sara",
                      "password": "not-saras-password", "ref": "l1"})
        e1 = await a.expect_error("auth_failed", ref="l1")
        b = await self.client("unknown")
        await b.send({"type": "login", "user": "nobody-here",
                      "password": "whatever-password", "ref": "l1"})
        e2 = await b.expect_error("auth_failed", ref="l1")
        self.assertEqual(e1, e2, "a wrong password and an unknown name must "
                         "not be told apart")
        # Still a participant: joins as one.
        j = await self.join(a, "tea")
        self.assertEqual(j["you"]["role"], "participant")

    async def test_hello_with_bad_token_gets_auth_failed_and_no_identity(self):
        c = await self.client("bad-token", hello=False)
        await c.send({"type": "hello", "v": 1, "auth": "A" * 43})
        await c.expect_error("auth_failed")
        await c.expect_silence(0.3)  # no welcome
        # No identity at all: anything but hello is refused.
        await c.send({"type": "join", "room": "tea", "ref": "j"})
        await c.expect_error("hello_required", ref="j")
        w = await c.hello()
        self.assertEqual(w["role"], "participant")
        self.assertFalse(w["resumed"])
        await self.join(c, "tea")

    async def test_login_while_in_a_room_is_forbidden(self):
        c = await self.client("in-room")
        await self.join(c, "tea")
        await c.send({"type": "login", "user": "sara",
                      "password": PASSWORDS["sara"], "ref": "l"})
        await c.expect_error("forbidden", ref="l")
        j = await c.join("demo")
        self.assertEqual(j["you"]["role"], "participant",
                         "the refused login changed nothing")

    async def test_logout_closes_and_revokes_the_token(self):
        s = await self.login("sara")
        token = s.login["token"]
        # The token works while logged in...
        t = await self.client("sara-token", auth=token)
        self.assertEqual(t.welcome["role"], "moderator")
        await s.send({"type": "logout", "ref": "out"})
        before_close = await s.expect_close(1000)
        # ...and no longer after the logout.
        c = await self.client("after-logout", hello=False)
        await c.send({"type": "hello", "v": 1, "auth": token})
        await c.expect_error("auth_failed")
        w = await c.hello()
        self.assertEqual(w["role"], "participant")
        # The close came after exactly one logged_out.
        self.assertEqual([json.loads(f)["type"] for f in before_close],
                         ["logged_out"], "frames before the 1000 close: %r"
                         % before_close)

    async def test_logout_closes_every_connection_of_that_login_at_once(self):
        """A second connection opened with the login's token must not keep
        hearing reports and knocks after the logout."""
        s = await self.login("sara")
        token = s.login["token"]
        other = await self.client("sara-elsewhere", auth=token)
        self.assertEqual(other.welcome["role"], "moderator")
        await s.send({"type": "logout"})
        await s.expect_close(1000)
        await other.expect_close(4003, timeout=1.0)

    async def test_disable_from_the_command_line_closes_open_connections(self):
        """`kring moderator disable` signs the moderator out of a running
        server within a couple of seconds, with no action needed."""
        d = await self.login("dana")
        self.server.disable_moderator("dana")
        await d.expect_close(4003, timeout=3.0)

    async def test_disabled_moderator_cannot_log_in_and_token_stops(self):
        d = await self.login("dora")
        token = d.login["token"]
        self.server.disable_moderator("dora")
        c = await self.client("dora-again")
        await c.send({"type": "login", "user": "dora",
                      "password": PASSWORDS["dora"], "ref": "l"})
        await c.expect_error("auth_failed", ref="l")
        t = await self.client("dora-token", hello=False)
        await t.send({"type": "hello", "v": 1, "auth": token})
        await t.expect_error("auth_failed")

    async def test_logout_also_ends_staff_rights_of_the_identity(self):
        """After logout, resuming the identity (its welcome token) must not
        bring the moderator back: logout revokes the login."""
        s = await self.login("sara")
        identity_token = s.welcome["token"]
        await self.join(s, "lo")
        await s.send({"type": "logout"})
        await s.expect_close(1000)
        r = await self.client("resumer", hello=False)
        w = await r.hello(resume=identity_token)
        self.assertEqual(w["role"], "participant",
                         "resuming a logged-out moderator's identity gave "
                         "%r" % w)
        while w["resumed"] and (await r.recv())["type"] != "joined":
            pass
        await r.send({"type": "lock", "room": "lo", "ref": "lk"})
        got = await self.answer(r, "lk")
        self.assertEqual((got or {}).get("code"), "forbidden", got)

    async def test_disabled_moderator_loses_staff_rights_at_once(self):
        """`kring moderator disable` "signs them out": the live connection
        can act no more, nor can a resume of its identity."""
        d = await self.login("dina")
        identity_token = d.welcome["token"]
        await self.join(d, "dis")
        self.server.disable_moderator("dina")
        with self.subTest("the live connection"):
            await d.send({"type": "lock", "room": "dis", "ref": "lk"})
            got = await self.answer(d, "lk")
            self.assertNotEqual((got or {}).get("type"), "ok",
                                "a disabled moderator's open connection "
                                "still locked the room")
        d.abort()
        await asyncio.sleep(0.1)
        with self.subTest("a resume of the identity"):
            r = await self.client("resumer", hello=False)
            w = await r.hello(resume=identity_token)
            self.assertEqual(w["role"], "participant",
                             "resuming a disabled moderator's identity gave "
                             "%r" % w)
            while w["resumed"] and (await r.recv())["type"] != "joined":
                pass
            await r.send({"type": "unlock", "room": "dis", "ref": "ul"})
            got = await self.answer(r, "ul")
            self.assertEqual((got or {}).get("code"), "forbidden", got)


class ExpiryTests(ModerationCase):
    """A login token that has expired is refused everywhere. Waiting 12
    hours is not an option: the test moves the expiry in the real database
    file into the past, as time would."""

    ROOMS = [room("exp")]
    MODERATORS = [staff("lena", ["exp"])]

    def expire_all_tokens(self):
        self.server.sql("UPDATE login_tokens SET expires_at_ms = 0")

    async def test_an_expired_login_is_refused_everywhere(self):
        m = await self.login("lena")
        token = m.login["token"]
        await self.join(m, "exp")
        self.expire_all_tokens()
        # The open connection: its next action is refused and it is closed.
        await m.send({"type": "lock", "room": "exp", "ref": "lk"})
        await m.expect_error("auth_failed", ref="lk")
        await m.expect_close(4003)
        # A new connection with the token gets no identity at all.
        c = await self.client("again", hello=False)
        await c.send({"type": "hello", "v": 1, "auth": token, "ref": "h"})
        await c.expect_error("auth_failed", ref="h")


class ThrottleTests(ModerationCase):
    """--login-failures 3: the 4th login for a name from one network
    within a minute is throttled, even with the right password; and, by
    --login-failures-per-network (3 by default), from the same network for
    anyone."""

    SERVER_ARGS = ["--threads", "2", "--login-failures", "3",
                   "--login-hours", "1"]
    ROOMS = [room("demo"), room("other")]
    MODERATORS = [staff("sara", ["demo"]), staff("omar", ["other"])]

    async def test_three_failures_then_even_the_right_password_is_throttled(
            self):
        # --login-hours 1 shows in expires (a real expiry is not waited for).
        s = await self.login("sara")
        self.assertNear(s.login["expires"], now_ms() + HOUR_MS, 60000,
                        "expires with --login-hours 1")
        c = await self.client("guesser")
        for i in range(3):
            await c.send({"type": "login", "user": "sara",
                          "password": "guess-number-%d" % i, "ref": "g%d" % i})
            await c.expect_error("auth_failed", ref="g%d" % i)
        await c.send({"type": "login", "user": "sara",
                      "password": PASSWORDS["sara"], "ref": "right"})
        e = await c.expect_error("throttled", ref="right")
        self.assertIsInstance(e.get("seconds"), int, e)
        self.assertGreaterEqual(e["seconds"], 1)
        self.assertLessEqual(e["seconds"], 60)
        # The same network: another name is throttled as well.
        o = await self.client("omar")
        await o.send({"type": "login", "user": "omar",
                      "password": PASSWORDS["omar"], "ref": "o"})
        e = await o.expect_error("throttled", ref="o")
        self.assertGreaterEqual(e["seconds"], 1)


class NetworkThrottleTests(ModerationCase):
    """Wrong passwords for a name from one network (127.0.0.2) do not keep
    its moderator out from another (127.0.0.1): the low ceiling counts per
    name and network, the one across networks is 30 a minute."""

    SERVER_ARGS = ["--threads", "2"]  # the default login ceilings
    ROOMS = [room("demo")]
    MODERATORS = [staff("sara", ["demo"])]

    async def test_failures_from_one_network_leave_the_right_password_from_another(
            self):
        stranger = await Client.connect(self.server, "stranger",
                                        local_addr=("127.0.0.2", 0))
        self.clients.append(stranger)
        await stranger.hello()
        for i in range(3):
            await stranger.send({"type": "login", "user": "sara",
                                 "password": "guess-%d" % i, "ref": "g%d" % i})
            await stranger.expect_error("auth_failed", ref="g%d" % i)
        await stranger.send({"type": "login", "user": "sara",
                             "password": PASSWORDS["sara"], "ref": "g"})
        await stranger.expect_error("throttled", ref="g")

        s = await self.login("sara")  # from 127.0.0.1
        self.assertEqual(s.login["name"], "sara")


# ---------------------------------------------------------------------------
# A late joiner reads what came before in these (history session).
SESSION_ROOMS = {"forbid", "delete"}
TEST_ROOMS = ["roles", "forbid", "forbid2", "mute", "remove", "ban", "ban-b", "ban-s",
              "addr", "addr-b", "full", "delete", "pin", "pindel", "wait2", "delaway", "lock", "wait", "slow", "quiet",
              "end", "names", "names2", "reports"]


class ModerationTests(ModerationCase):
    """The actions. Each test uses its own room(s); sara keeps them all
    except `other`, which omar keeps; lena keeps `forbid`; boss is an
    admin."""

    ROOMS = [dict(room(s), history="session" if s in SESSION_ROOMS else None)
             for s in ["demo", "tea", "other"] + TEST_ROOMS
             if s != "full"] + [dict(room("full"), capacity=2)]
    MODERATORS = [staff("sara", ["demo", "tea"] + TEST_ROOMS),
                  staff("omar", ["other"]),
                  staff("lena", ["forbid2"]),
                  staff("boss", admin=True)]

    # -- roles ---------------------------------------------------------------
    async def test_roles_show_in_members_member_joined_and_from(self):
        p = await self.client("P")
        await self.join(p, "roles")
        s = await self.login("sara")
        js = await self.join(s, "roles")
        self.assertEqual(js["you"], {"id": s.mid, "name": "sara",
                                     "role": "moderator"})
        self.assertIn(member_entry(p), js["members"])
        mj = await p.expect("member_joined", room="roles")
        self.assertEqual(mj["member"], {"id": s.mid, "name": "sara",
                                        "role": "moderator"})
        b = await self.login("boss")
        await self.join(b, "roles")
        for c in (p, s):
            mj = await c.expect("member_joined", room="roles")
            self.assertEqual(mj["member"], {"id": b.mid, "name": "boss",
                                            "role": "admin"})
        q = await self.client("Q")
        jq = await self.join(q, "roles")
        self.assertIn({"id": s.mid, "name": "sara", "role": "moderator"},
                      jq["members"])
        self.assertIn({"id": b.mid, "name": "boss", "role": "admin"},
                      jq["members"])
        for c in (p, s, b):
            await c.expect("member_joined", room="roles")
        m = await self.say_to(s, "roles", "hello from sara", (p, b, q))
        self.assertEqual(m["from"], {"id": s.mid, "name": "sara",
                                     "role": "moderator"})
        m = await self.say_to(b, "roles", "hello from boss", (p, s, q))
        self.assertEqual(m["from"]["role"], "admin")
        m = await self.say_to(p, "roles", "hello from p", (s, b, q))
        self.assertEqual(m["from"], member_entry(p))

    # -- who may act ---------------------------------------------------------
    async def test_participant_gets_forbidden_for_every_action(self):
        s = await self.login("sara")
        p = await self.client("P")
        q = await self.client("Q")
        await self.seat("forbid", s, p, q)
        m = await self.say_to(q, "forbid", "a message to act on", (s, p))
        r, mid = "forbid", q.mid
        requests = [
            {"type": "mute", "room": r, "member": mid},
            {"type": "mute", "room": r, "member": mid, "minutes": 5},
            {"type": "unmute", "room": r, "member": mid},
            {"type": "remove", "room": r, "member": mid, "reason": "x"},
            {"type": "ban", "room": r, "member": mid, "scope": "room"},
            {"type": "ban", "room": r, "member": mid, "scope": "server"},
            {"type": "delete", "room": r, "message": m["id"]},
            {"type": "pin", "room": r, "message": m["id"]},
            {"type": "pin", "room": r, "text": "a prompt"},
            {"type": "pin", "room": r},
            {"type": "lock", "room": r},
            {"type": "unlock", "room": r},
            {"type": "room_set", "room": r, "waiting": True},
            {"type": "room_set", "room": r, "slow": 30},
            {"type": "room_set", "room": r, "mode": "moderated"},
            {"type": "admit", "room": r, "member": mid},
            {"type": "deny", "room": r, "member": mid},
            {"type": "end", "room": r},
            {"type": "reports"},
            {"type": "reports", "room": r},
            {"type": "resolve", "report": 1},
            # On a moderator too.
            {"type": "mute", "room": r, "member": s.mid},
        ]
        for i, req in enumerate(requests):
            with self.subTest(req=req):
                await self.refused(p, dict(req, ref="f%d" % i), "forbidden")
        # Nothing happened: no event to anyone, q still speaks, the room is
        # not locked, the message is still there.
        await s.expect_silence(0.2)
        await q.expect_silence(0.05)
        await self.say_to(q, "forbid", "still here", (s, p))
        late = await self.client("late")
        jl = await self.join(late, "forbid")
        self.assertIn(m["id"], [h["id"] for h in jl["history"]])
        self.assertFalse(jl["room"]["locked"])
        self.assertNotIn("pinned", jl["room"])

    async def test_moderator_of_another_room_is_forbidden(self):
        p = await self.client("P")
        await self.join(p, "demo")
        o = await self.login("omar")
        for i, req in enumerate([
                {"type": "mute", "room": "demo", "member": p.mid},
                {"type": "remove", "room": "demo", "member": p.mid},
                {"type": "ban", "room": "demo", "member": p.mid,
                 "scope": "room"},
                {"type": "lock", "room": "demo"},
                {"type": "room_set", "room": "demo", "mode": "moderated"},
                {"type": "end", "room": "demo"},
                {"type": "reports", "room": "demo"}]):
            with self.subTest(req=req):
                await self.refused(o, dict(req, ref="o%d" % i), "forbidden")
        await p.expect_silence(0.2)
        m = await p.say("demo", "nothing happened to me")
        self.assertEqual(m["from"]["id"], p.mid)
        d = await self.client("D")
        jd = await self.join(d, "demo")
        self.assertFalse(jd["room"]["locked"])
        await p.expect("member_joined", room="demo")

    async def test_moderator_server_ban_and_actions_on_staff_are_forbidden(
            self):
        s = await self.login("sara")
        lena = await self.login("lena")
        b = await self.login("boss")
        p = await self.client("P", device="forbid-device-0001-abcdef")
        await self.seat("forbid2", s, lena, b, p)
        await self.refused(s, {"type": "ban", "room": "forbid2",
                               "member": p.mid, "scope": "server"},
                           "forbidden")
        for i, (target, req) in enumerate([
                (lena, {"type": "mute"}), (lena, {"type": "remove"}),
                (lena, {"type": "ban", "scope": "room"}),
                (b, {"type": "mute"}), (b, {"type": "remove"}),
                (b, {"type": "ban", "scope": "room"})]):
            req = dict(req, room="forbid2", member=target.mid, ref="st%d" % i)
            with self.subTest(target=target.label, req=req):
                await self.refused(s, req, "forbidden")
        for c in (lena, b, p):
            await c.expect_silence(0.1)
        # The participant was not banned, lena was not muted.
        await self.say_to(p, "forbid2", "p still speaks", (s, lena, b))
        await self.say_to(lena, "forbid2", "lena still speaks", (s, p, b))

    # -- mute ----------------------------------------------------------------
    async def test_mute_unmute_and_mute_with_minutes(self):
        s = await self.login("sara")
        dev = "mute-device-0001-abcdefgh"
        p = await self.client("P", device=dev)
        q = await self.client("Q")
        await self.seat("mute", s, p, q)
        # Only the moderators and the member hear of a mute: no shaming.
        ev = await self.act(s, {"type": "mute", "room": "mute",
                                "member": p.mid}, "muted", (p,),
                            member=p.mid)
        await q.expect_silence(0.1)
        self.assertNotIn("until", ev, "a mute without minutes has no until")
        await self.refused(p, {"type": "say", "room": "mute",
                               "text": "can I talk?"}, "muted")
        await s.expect_silence(0.1)
        await q.expect_silence(0.05)
        # Leaving and rejoining does not lift it.
        await p.send({"type": "leave", "room": "mute"})
        await p.expect("left", room="mute")
        for c in (s, q):
            await c.expect("member_left", room="mute", id=p.mid)
        await self.join(p, "mute")
        for c in (s, q):
            await c.expect("member_joined", room="mute")
        await self.refused(p, {"type": "say", "room": "mute",
                               "text": "after rejoining"}, "muted")
        # Nor does a new identity on the same device.
        p2 = await self.client("P2", device=dev)
        await self.join(p2, "mute")
        for c in (s, q, p):
            await c.expect("member_joined", room="mute")
        await self.refused(p2, {"type": "say", "room": "mute",
                                "text": "new identity, same device"}, "muted")
        # No such member.
        await self.refused(s, {"type": "mute", "room": "mute",
                               "member": "0123456789abcdef"},
                           "no_such_member")
        # unmute
        await self.act(s, {"type": "unmute", "room": "mute",
                           "member": p.mid}, "unmuted", (p,),
                       member=p.mid)
        for c in (q, p2):
            await c.expect_silence(0.05)
        await self.say_to(p, "mute", "thank you", (s, q, p2))
        # mute with minutes carries until
        ev = await self.act(s, {"type": "mute", "room": "mute",
                                "member": q.mid, "minutes": 5}, "muted",
                            (q,), member=q.mid)
        for c in (p, p2):
            await c.expect_silence(0.05)
        self.assertNear(ev.get("until"), now_ms() + 5 * 60000, 10000,
                        "muted.until for 5 minutes")
        await self.refused(q, {"type": "say", "room": "mute",
                               "text": "q muted"}, "muted")

    # -- remove --------------------------------------------------------------
    async def test_remove_takes_the_member_out_and_it_may_rejoin(self):
        s = await self.login("sara")
        p = await self.client("P")
        q = await self.client("Q")
        await self.seat("remove", s, p, q)
        await self.act(s, {"type": "remove", "room": "remove",
                           "member": p.mid, "reason": "cool off"},
                       "removed", (p, q), member=p.mid, reason="cool off")
        # removed replaces member_left
        await s.expect_silence(0.1)
        await q.expect_silence(0.05)
        await self.refused(p, {"type": "say", "room": "remove",
                               "text": "am I in?"}, "not_in_room")
        j = await self.join(p, "remove")
        self.assertIn(member_entry(p), j["members"])
        for c in (s, q):
            await c.expect("member_joined", room="remove",
                           member=member_entry(p))
        await self.say_to(p, "remove", "back again", (s, q))

    # -- ban -----------------------------------------------------------------
    async def test_room_ban_holds_the_device_not_other_rooms(self):
        s = await self.login("sara")
        dev = "ban-device-0001-abcdefghij"
        p = await self.client("P", device=dev)
        q = await self.client("Q")
        await self.seat("ban", s, p, q)
        ev = await self.act(s, {"type": "ban", "room": "ban",
                                "member": p.mid, "scope": "room",
                                "reason": "spam"},
                            "banned", (p, q), member=p.mid, scope="room")
        self.assertNotIn("until", ev, "a ban without hours has no until")
        await s.expect_silence(0.1)  # banned replaces member_left
        await self.refused(p, {"type": "say", "room": "ban",
                               "text": "still here?"}, "not_in_room")
        await self.refused(p, {"type": "join", "room": "ban"}, "banned")
        # A new identity from the same device.
        p2 = await self.client("P2", device=dev)
        await self.refused(p2, {"type": "join", "room": "ban"}, "banned")
        # Another room is open to it.
        await self.join(p, "ban-b")
        await self.join(p2, "ban-b")
        await p.expect("member_joined", room="ban-b")
        # Someone else can still join the room.
        r = await self.client("R", device="ban-device-0002-unrelated")
        await self.join(r, "ban")
        for c in (s, q):
            await c.expect("member_joined", room="ban")

    async def test_server_ban_by_admin_blocks_every_room(self):
        b = await self.login("boss")
        dev = "ban-device-0003-serverwide"
        p = await self.client("P", device=dev)
        await self.seat("ban-s", b, p)
        await self.act(b, {"type": "ban", "room": "ban-s", "member": p.mid,
                           "scope": "server"}, "banned", (p,),
                       member=p.mid, scope="server")
        for slug in ("ban-s", "tea", "demo", "other"):
            await self.refused(p, {"type": "join", "room": slug}, "banned")
        p2 = await self.client("P2", device=dev)
        for slug in ("tea", "names2"):
            await self.refused(p2, {"type": "join", "room": slug}, "banned")

    async def test_address_ban_refuses_a_new_device_from_the_network(self):
        s = await self.login("sara")
        p = await self.client("P", device="addr-device-0001-abcdefgh")
        await self.seat("addr", s, p)
        ev = await self.act(s, {"type": "ban", "room": "addr",
                                "member": p.mid, "scope": "room",
                                "hours": 1, "address": True},
                            "banned", (p,), member=p.mid, scope="room")
        self.assertNear(ev.get("until"), now_ms() + HOUR_MS, 10000,
                        "banned.until for 1 hour")
        stranger = await self.client("stranger",
                                     device="addr-device-0002-different")
        await self.refused(stranger, {"type": "join", "room": "addr"},
                           "banned")
        nodev = await self.client("no-device")
        await self.refused(nodev, {"type": "join", "room": "addr"}, "banned")
        # Only keyed hashes are kept: no device key, no address on disk.
        disk = db_bytes(self.server)
        for secret in ("addr-device-0001-abcdefgh", "127.0.0.1"):
            self.assertNotIn(secret.encode(), disk)
        # A room ban, even by address, leaves other rooms open.
        await self.join(stranger, "addr-b")

    # -- delete --------------------------------------------------------------
    async def test_delete_removes_from_history_and_resume(self):
        s = await self.login("sara")
        p = await self.client("P")
        r = await self.client("R")
        _, _, jr = await self.seat("delete", s, p, r)
        base = jr["seq"]
        m1 = await self.say_to(p, "delete", "first, stays", (s, r))
        m2 = await self.say_to(p, "delete", "second, to delete", (s, r))
        m3 = await self.say_to(p, "delete", "third, deleted while away",
                               (s, r))
        await self.act(s, {"type": "delete", "room": "delete",
                           "message": m2["id"]}, "deleted", (p, r),
                       message=m2["id"])
        r_token = r.token
        r.abort()
        for c in (s, p):
            await c.expect("member_away", room="delete", id=r.id)
        await self.act(s, {"type": "delete", "room": "delete",
                           "message": m3["id"]}, "deleted", (p,),
                       message=m3["id"])
        # A late joiner.
        late = await self.client("late")
        jl = await self.join(late, "delete")
        ids = [h["id"] for h in jl["history"]]
        self.assertIn(m1["id"], ids)
        self.assertNotIn(m2["id"], ids)
        self.assertNotIn(m3["id"], ids)
        for c in (s, p):
            await c.expect("member_joined", room="delete")
        # A resume after the join seq: m1 but neither deleted message.
        r2 = await self.client("R-resumed", resume=r_token,
                               since={"delete": base})
        self.assertTrue(r2.welcome["resumed"])
        jr2 = await r2.expect("joined")
        ids = [h["id"] for h in jr2["history"]]
        self.assertEqual(ids, [m1["id"]])
        for c in (s, p, late):
            await c.expect("member_back", room="delete", id=r.id)
        # Unknown and already deleted message ids.
        await self.refused(s, {"type": "delete", "room": "delete",
                               "message": m2["id"]}, "no_such_message")
        fake = "0" * len(m1["id"])
        await self.refused(s, {"type": "delete", "room": "delete",
                               "message": fake}, "no_such_message")

    async def test_a_resume_says_what_was_deleted_while_away(self):
        s = await self.login("sara")
        p = await self.client("P")
        await self.seat("delaway", s, p)
        kept = await self.say_to(s, "delaway", "kept", (p,))
        gone = await self.say_to(s, "delaway", "deleted while P is away", (p,))
        token = p.token
        p.abort()
        await s.expect("member_away", room="delaway", id=p.id)
        await s.send({"type": "delete", "room": "delaway",
                      "message": gone["id"], "ref": "d"})
        await s.expect_frames(("ok", {"ref": "d"}), ("deleted", {}))
        back = await self.client("P-back", resume=token,
                                 since={"delaway": gone["seq"]})
        self.assertTrue(back.welcome["resumed"])
        joined = await back.expect("joined")
        self.assertEqual(joined["history"], [])
        self.assertEqual(joined["deleted"], [gone["id"]])
        self.assertNotIn(kept["id"], joined["deleted"])
        # A first join is told nothing of deletions.
        fresh = await self.client("fresh")
        jf = await self.join(fresh, "delaway")
        self.assertNotIn("deleted", jf)

    # -- pin -----------------------------------------------------------------
    async def test_pin_message_pin_text_and_unpin(self):
        s = await self.login("sara")
        p = await self.client("P")
        await self.seat("pin", s, p)
        m = await self.say_to(p, "pin", "a message worth pinning", (s,))
        ev = await self.act(s, {"type": "pin", "room": "pin",
                                "message": m["id"]}, "pinned", (p,),
                            message=m["id"], text=m["text"])
        self.assertIn(ev.get("by"), ("sara", s.mid), ev)
        late = await self.client("late")
        jl = await self.join(late, "pin")
        self.assertEqual(jl["room"].get("pinned"),
                         {"message": m["id"], "text": m["text"],
                          "by": ev["by"]})
        for c in (s, p):
            await c.expect("member_joined", room="pin")
        ev = await self.act(s, {"type": "pin", "room": "pin",
                                "text": "Tonight: one good thing"},
                            "pinned", (p, late),
                            text="Tonight: one good thing")
        self.assertNotIn("message", ev)
        late2 = await self.client("late2")
        jl = await self.join(late2, "pin")
        self.assertEqual(jl["room"].get("pinned"),
                         {"text": "Tonight: one good thing", "by": ev["by"]})
        for c in (s, p, late):
            await c.expect("member_joined", room="pin")
        # unpin
        ev = await self.act(s, {"type": "pin", "room": "pin"}, "pinned",
                            (p, late, late2))
        self.assertNotIn("message", ev)
        self.assertNotIn("text", ev)
        late3 = await self.client("late3")
        jl = await self.join(late3, "pin")
        self.assertNotIn("pinned", jl["room"])

    async def test_deleting_the_pinned_message_unpins_it(self):
        s = await self.login("sara")
        p = await self.client("P")
        await self.seat("pindel", s, p)
        m = await self.say_to(p, "pindel", "pinned, then deleted", (s,))
        await self.act(s, {"type": "pin", "room": "pindel",
                           "message": m["id"]}, "pinned", (p,),
                       message=m["id"], text=m["text"])
        await s.send({"type": "delete", "room": "pindel",
                       "message": m["id"], "ref": "d"})
        await s.expect_frames(("ok", {"ref": "d"}),
                              ("deleted", {"message": m["id"]}),
                              ("pinned", {"room": "pindel"}))
        await p.expect("deleted", room="pindel", message=m["id"])
        unpinned = await p.expect("pinned", room="pindel")
        self.assertNotIn("text", unpinned)
        late = await self.client("late")
        jl = await self.join(late, "pindel")
        self.assertNotIn("pinned", jl["room"])

    # -- lock ----------------------------------------------------------------
    async def test_lock_refuses_participants_not_moderators(self):
        s = await self.login("sara")
        p = await self.client("P")
        j_s, _ = await self.seat("lock", s, p)
        self.assertEqual(state(j_s["room"]), {"locked": False, "waiting": False, "slow": 0,
                          "mode": "open"})
        ev = await self.act(s, {"type": "lock", "room": "lock"},
                            "room_state", (p,))
        self.assertEqual(state(ev), {"locked": True, "waiting": False, "slow": 0,
                              "mode": "open"})
        q = await self.client("Q")
        await self.refused(q, {"type": "join", "room": "lock"}, "locked")
        # The room's moderator comes back in; an admin too.
        await s.send({"type": "leave", "room": "lock"})
        await s.expect("left", room="lock")
        await p.expect("member_left", room="lock")
        j = await self.join(s, "lock")
        self.assertTrue(j["room"]["locked"])
        await p.expect("member_joined", room="lock")
        b = await self.login("boss")
        await self.join(b, "lock")
        for c in (s, p):
            await c.expect("member_joined", room="lock")
        ev = await self.act(s, {"type": "unlock", "room": "lock"},
                            "room_state", (p, b))
        self.assertEqual(ev["locked"], False)
        jq = await self.join(q, "lock")
        self.assertFalse(jq["room"]["locked"])

    async def test_full_room_refuses_participants_not_moderators(self):
        p = await self.client("P")
        q = await self.client("Q")
        await self.seat("full", p, q)
        x = await self.client("X")
        await self.refused(x, {"type": "join", "room": "full"}, "room_full")
        s = await self.login("sara")
        j = await self.join(s, "full")
        self.assertEqual(len(j["members"]), 3)
        for c in (p, q):
            await c.expect("member_joined", room="full")

    # -- waiting room --------------------------------------------------------
    async def test_waiting_room_knock_admit_deny(self):
        s = await self.login("sara")
        p0 = await self.client("P0")
        await self.seat("wait", s, p0)
        ev = await self.act(s, {"type": "room_set", "room": "wait",
                                "waiting": True}, "room_state", (p0,))
        self.assertEqual(state(ev), {"locked": False, "waiting": True, "slow": 0,
                              "mode": "open"})
        p = await self.client("P")
        await p.send({"type": "join", "room": "wait", "name": "Nadia"})
        await p.expect("waiting", room="wait")
        k = await s.expect("knock", room="wait")
        self.assertEqual(k["member"], {"id": p.id, "name": "Nadia",
                                       "role": "participant"})
        await p0.expect_silence(0.1)  # knocks go to moderators only
        await self.refused(p, {"type": "say", "room": "wait",
                               "text": "let me in"}, "not_in_room")
        # admit
        ok, mj = await self.ok_and(s, {"type": "admit", "room": "wait",
                                       "member": p.id}, "member_joined")
        jp = await p.expect("joined")
        p.mid = jp["you"]["id"]
        self.assertEqual(jp["you"], {"id": p.id, "name": "Nadia",
                                     "role": "participant"})
        self.assertEqual(sorted(m["id"] for m in jp["members"]),
                         sorted([s.mid, p0.mid, p.mid]))
        self.assertEqual(mj["member"], jp["you"])
        await p0.expect("member_joined", room="wait", member=jp["you"])
        # deny
        q = await self.client("Q")
        await q.send({"type": "join", "room": "wait"})
        await q.expect("waiting", room="wait")
        k = await s.expect("knock", room="wait")
        self.assertEqual(k["member"]["id"], q.id)
        await self.ok(s, {"type": "deny", "room": "wait", "member": q.id})
        await q.expect_error("denied")
        for c in (s, p0, p):
            await c.expect_silence(0.1)
        await self.refused(q, {"type": "say", "room": "wait",
                               "text": "denied?"}, "not_in_room")
        # q is no longer waiting: nothing to admit.
        await self.refused(s, {"type": "admit", "room": "wait",
                               "member": q.id}, "no_such_member")
        # Moderators are never held.
        b = await self.login("boss")
        await self.join(b, "wait")
        for c in (s, p0, p):
            await c.expect("member_joined", room="wait")
        # Turning the waiting room off admits everyone waiting.
        r = await self.client("R")
        await r.send({"type": "join", "room": "wait"})
        await r.expect("waiting", room="wait")
        for c in (s, b):
            await c.expect("knock", room="wait")
        await s.send({"type": "room_set", "room": "wait", "waiting": False,
                      "ref": "off"})
        await s.expect_frames(("ok", {"ref": "off"}),
                              ("room_state", {"waiting": False}),
                              ("member_joined", {}))
        jr = await r.expect("joined")
        self.assertEqual(jr["you"]["id"], r.id)

    async def test_a_moderator_arriving_later_hears_who_is_waiting(self):
        s = await self.login("sara")
        p0 = await self.client("P0")
        await self.seat("wait2", s, p0)
        await self.act(s, {"type": "room_set", "room": "wait2",
                           "waiting": True}, "room_state", (p0,))
        await s.send({"type": "leave", "room": "wait2"})
        await s.expect("left", room="wait2")
        p = await self.client("P")
        await p.send({"type": "join", "room": "wait2", "name": "Hana"})
        await p.expect("waiting", room="wait2")
        await p0.expect("member_left", room="wait2")
        await p0.expect_silence(0.1)  # no moderator here: nobody hears the knock
        await s.send({"type": "join", "room": "wait2"})
        await s.expect("joined")
        k = await s.expect("knock", room="wait2")
        self.assertEqual(k["member"], {"id": p.id, "name": "Hana",
                                       "role": "participant"})
        await self.ok_and(s, {"type": "admit", "room": "wait2",
                              "member": p.id}, "member_joined")
        await p.expect("joined")

    # -- slow mode -----------------------------------------------------------
    async def test_slow_mode(self):
        s = await self.login("sara")
        p = await self.client("P")
        await self.seat("slow", s, p)
        ev = await self.act(s, {"type": "room_set", "room": "slow",
                                "slow": 2}, "room_state", (p,), slow=2)
        self.assertEqual(ev["mode"], "open")
        await self.say_to(p, "slow", "one", (s,))
        e = await self.refused(p, {"type": "say", "room": "slow",
                                   "text": "two"}, "slow_mode")
        self.assertIsInstance(e.get("seconds"), int, e)
        self.assertGreaterEqual(e["seconds"], 1)
        self.assertLessEqual(e["seconds"], 2)
        await s.expect_silence(0.05)
        # Moderators are not slowed.
        for text in ("mod one", "mod two", "mod three"):
            await self.say_to(s, "slow", text, (p,))
        await self.act(s, {"type": "room_set", "room": "slow", "slow": 0},
                       "room_state", (p,), slow=0)
        await self.say_to(p, "slow", "free again", (s,))
        await self.say_to(p, "slow", "and again", (s,))

    # -- moderated mode ------------------------------------------------------
    async def test_moderated_mode(self):
        s = await self.login("sara")
        p = await self.client("P")
        await self.seat("quiet", s, p)
        await self.act(s, {"type": "room_set", "room": "quiet",
                           "mode": "moderated"}, "room_state", (p,),
                       mode="moderated")
        await self.refused(p, {"type": "say", "room": "quiet",
                               "text": "may I?"}, "moderated")
        await self.say_to(s, "quiet", "only moderators now", (p,))
        late = await self.client("late")
        jl = await self.join(late, "quiet")
        self.assertEqual(jl["room"]["mode"], "moderated")
        for c in (s, p):
            await c.expect("member_joined", room="quiet")
        await self.act(s, {"type": "room_set", "room": "quiet",
                           "mode": "open"}, "room_state", (p, late),
                       mode="open")
        await self.say_to(p, "quiet", "open again", (s, late))

    # -- end -----------------------------------------------------------------
    async def test_end_empties_room_wipes_history_keeps_settings(self):
        s = await self.login("sara")
        p = await self.client("P")
        q = await self.client("Q")
        await self.seat("end", s, p, q)
        await self.say_to(p, "end", "before the end", (s, q))
        await self.act(s, {"type": "room_set", "room": "end", "slow": 7},
                       "room_state", (p, q), slow=7)
        await self.act(s, {"type": "lock", "room": "end"}, "room_state",
                       (p, q), locked=True)
        await self.act(s, {"type": "end", "room": "end"}, "ended", (p, q))
        for c in (s, p, q):
            await c.expect_silence(0.1)  # ended replaces member_left
        for c in (s, p):
            await self.refused(c, {"type": "say", "room": "end",
                                   "text": "anyone?"}, "not_in_room")
        # The lock holds after the end.
        await self.refused(p, {"type": "join", "room": "end"}, "locked")
        j = await self.join(s, "end")
        self.assertEqual(j["members"], [{"id": s.mid, "name": "sara",
                                         "role": "moderator"}])
        self.assertEqual(j["history"], [])
        self.assertTrue(j["room"]["locked"])
        self.assertEqual(j["room"]["slow"], 7)
        await self.act(s, {"type": "unlock", "room": "end"}, "room_state",
                       locked=False)
        jq = await self.join(q, "end")
        self.assertEqual(jq["history"], [])
        self.assertEqual(sorted(m["id"] for m in jq["members"]),
                         sorted([s.mid, q.mid]))
        self.assertEqual(jq["room"]["slow"], 7)

    # -- display names -------------------------------------------------------
    async def test_names_imitating_staff_are_refused(self):
        s = await self.login("sara")
        b = await self.login("boss")
        await self.seat("names", s, b)
        p = await self.client("P")
        for i, name in enumerate(["Sara", "SARA", "\u015aara", "\u0405ara",
                                  "Sàra", " sara ", "S.a.r.a", "B0SS",
                                  "Moderator Ann", "admin", "Modérateur",
                                  "مشرف", "модератор", "beheerder", "مدير"]):
            with self.subTest(name=name):
                await self.refused(p, {"type": "join", "room": "names",
                                       "name": name, "ref": "n%d" % i},
                                   "bad_name")
        await s.expect_silence(0.1)
        await b.expect_silence(0.05)
        j = await self.join(p, "names", name="Samira")
        self.assertEqual(j["you"]["name"], "Samira")
        for c in (s, b):
            await c.expect("member_joined", room="names",
                           member=member_entry(p, "Samira"))
        # Where no sara is present, "Sara" is a name like any other;
        # "admin" is not.
        q = await self.client("Q")
        await self.refused(q, {"type": "join", "room": "names2",
                               "name": "Admin"}, "bad_name")
        j = await self.join(q, "names2", name="Sara")
        self.assertEqual(j["you"]["name"], "Sara")

    # -- reports -------------------------------------------------------------
    async def test_report_live_list_resolve(self):
        s = await self.login("sara")
        p = await self.client("P")
        q = await self.client("Q")
        await self.seat("reports", s, p, q)
        m = await self.say_to(q, "reports", "words that hurt", (s, p))
        await self.ok(p, {"type": "report", "room": "reports",
                          "message": m["id"], "reason": "unkind"})
        rep = (await s.expect("report"))["report"]
        self.assertEqual({k: rep.get(k) for k in
                          ("room", "message", "text", "author",
                           "author_name", "reason")},
                         {"room": "reports", "message": m["id"],
                          "text": "words that hurt", "author": q.mid,
                          "author_name": q.welcome["name"],
                          "reason": "unkind"})
        self.assertIn("id", rep)
        self.assertNear(rep.get("ts"), now_ms(), 5000, "report.ts")
        await q.expect_silence(0.1)  # the author is not told
        await p.expect_silence(0.05)
        # A participant may not list.
        await self.refused(p, {"type": "reports", "room": "reports"},
                           "forbidden")
        await s.send({"type": "reports", "room": "reports", "ref": "l1"})
        listed = await s.expect("reports")
        mine = [r for r in listed["reports"] if r.get("id") == rep["id"]]
        self.assertEqual(len(mine), 1, listed)
        self.assertEqual(mine[0].get("text"), "words that hurt")
        self.assertEqual(mine[0].get("message"), m["id"])
        await s.send({"type": "reports", "ref": "l2"})
        listed = await s.expect("reports")
        self.assertIn(rep["id"], [r["id"] for r in listed["reports"]])
        await self.ok(s, {"type": "resolve", "report": rep["id"],
                          "action": "talked"})
        await s.send({"type": "reports", "room": "reports", "ref": "l3"})
        listed = await s.expect("reports")
        self.assertNotIn(rep["id"], [r["id"] for r in listed["reports"]])
        await self.refused(s, {"type": "resolve", "report": rep["id"]},
                           "no_such_report")


# ---------------------------------------------------------------------------
class CrashTests(ModerationCase):
    """A ban acknowledged with `ok` is on disk: SIGKILL right after."""

    ROOMS = [room("demo")]
    MODERATORS = [staff("sara", ["demo"])]

    async def test_ban_survives_sigkill_right_after_ok(self):
        s = await self.login("sara")
        dev = "crash-device-0001-abcdefgh"
        p = await self.client("P", device=dev)
        await self.seat("demo", s, p)
        await s.send({"type": "ban", "room": "demo", "member": p.mid,
                      "scope": "room", "ref": "ban"})
        while True:  # the ok may come before or after the banned event
            msg = await s.recv()
            if msg["type"] == "ok" and msg.get("ref") == "ban":
                break
            self.assertEqual(msg["type"], "banned", msg)
        self.server.kill()
        for c in self.clients:
            c.abort()
        self.clients = []
        self.server.restart()
        p2 = await self.client("P-after", device=dev)
        await self.refused(p2, {"type": "join", "room": "demo"}, "banned")
        other = await self.client("other", device="crash-device-0002-zz")
        await self.join(other, "demo")
        rows = [r for r in self.server.audit() if r["action"] == "ban"]
        self.assertEqual(len(rows), 1, rows)
        self.assertEqual(rows[0]["actor"], "sara")
        self.assertEqual(rows[0]["room"], "demo")

        # An admin lifts the ban from the command line; after the next
        # restart (or within a minute while running) the device is welcome.
        listed = self.server.cli("ban", "list").stdout.splitlines()
        self.assertEqual(len(listed), 1, listed)
        ban_id, where, until, holds, by = listed[0].split("\t")[:5]
        self.assertEqual((where, until, holds, by), ("demo", "lifted by hand", "device", "sara"))
        self.assertEqual(self.server.cli("ban", "lift", ban_id).stdout.strip(), "lifted ban " + ban_id)
        self.assertEqual(self.server.cli("ban", "list").stdout, "")
        self.assertEqual(self.server.cli("ban", "lift", ban_id, check=False).returncode, 1)
        self.assertIn("ban_lift", [r["action"] for r in self.server.audit()])
        self.server.kill()
        for c in self.clients:
            c.abort()
        self.clients = []
        self.server.restart()
        p3 = await self.client("P-forgiven", device=dev)
        await self.join(p3, "demo")


# ---------------------------------------------------------------------------
AUDITED = ["mute", "unmute", "remove", "ban", "delete", "pin", "lock",
           "unlock", "room_set", "admit", "deny", "end", "resolve", "report",
           "login", "login_failed", "logout"]


class AuditTests(ModerationCase):
    """Every action once; then `kring audit` has one row each and no
    message text or password; nor has the server log."""

    ROOMS = [room("demo"), room("tea")]
    MODERATORS = [staff("sara", ["demo", "tea"])]

    async def test_audit_has_one_row_per_action_and_no_secrets(self):
        texts = ["Secret-Text-Alpha-4471", "Secret-Text-Bravo-8812",
                 "Secret-Text-Charlie-2290"]
        bad = await self.client("bad")
        await bad.send({"type": "login", "user": "sara",
                        "password": "Wrong-Password-5531", "ref": "l"})
        await bad.expect_error("auth_failed", ref="l")
        s = await self.login("sara")
        p = await self.client("P", device="audit-device-0001-abcdef")
        q = await self.client("Q", device="audit-device-0002-abcdef")
        await self.seat("demo", s, p, q)
        m = [await self.say_to(p, "demo", t, (s, q)) for t in texts]

        await self.act(s, {"type": "mute", "room": "demo", "member": q.mid},
                       "muted", (q,), member=q.mid)
        # On disk before the ok left.
        self.assertIn("mute", [r["action"] for r in self.server.audit()])
        await self.act(s, {"type": "unmute", "room": "demo",
                           "member": q.mid}, "unmuted", (q,), member=q.mid)
        await self.act(s, {"type": "pin", "room": "demo",
                           "message": m[0]["id"]}, "pinned", (p, q),
                       message=m[0]["id"])
        await self.act(s, {"type": "delete", "room": "demo",
                           "message": m[1]["id"]}, "deleted", (p, q),
                       message=m[1]["id"])
        await self.ok(q, {"type": "report", "room": "demo",
                          "message": m[2]["id"], "reason": "rude"})
        rep = (await s.expect("report"))["report"]
        await self.ok(s, {"type": "resolve", "report": rep["id"]})
        await self.act(s, {"type": "remove", "room": "demo", "member": q.mid},
                       "removed", (p, q), member=q.mid)
        await self.act(s, {"type": "ban", "room": "demo", "member": p.mid,
                           "scope": "room"}, "banned", (p,), member=p.mid,
                       scope="room")
        await self.act(s, {"type": "room_set", "room": "demo",
                           "waiting": True}, "room_state", waiting=True)
        await q.send({"type": "join", "room": "demo"})
        await q.expect("waiting")
        await s.expect("knock")
        r = await self.client("R")
        await r.send({"type": "join", "room": "demo"})
        await r.expect("waiting")
        await s.expect("knock")
        await self.ok_and(s, {"type": "admit", "room": "demo",
                              "member": q.id}, "member_joined")
        await q.expect("joined")
        await self.ok(s, {"type": "deny", "room": "demo", "member": r.id})
        await r.expect_error("denied")
        await self.act(s, {"type": "lock", "room": "demo"}, "room_state",
                       (q,), locked=True)
        await self.act(s, {"type": "unlock", "room": "demo"}, "room_state",
                       (q,), locked=False)
        await self.act(s, {"type": "end", "room": "demo"}, "ended", (q,))
        await s.send({"type": "logout"})
        await s.expect_close(1000)  # (logged_out: see LoginTests)

        rows = self.server.audit()
        counts = {}
        for row in rows:
            self.assertEqual(set(row), {"at", "actor", "action", "room",
                                        "target", "detail"}, row)
            counts[row["action"]] = counts.get(row["action"], 0) + 1
        for action in AUDITED:
            with self.subTest(action=action):
                self.assertEqual(counts.get(action, 0), 1,
                                 "audit rows for %r: %r" % (action, [
                                     r for r in rows
                                     if r["action"] == action]))
        for row in rows:
            if row["action"] in AUDITED and row["action"] not in (
                    "login", "login_failed", "logout", "report", "resolve"):
                self.assertEqual((row["actor"], row["room"]),
                                 ("sara", "demo"), row)
        demo_rows = self.server.audit(room="demo")
        self.assertTrue(demo_rows)
        self.assertTrue(all(r["room"] == "demo" for r in demo_rows))

        secrets = texts + [PASSWORDS["sara"], "Wrong-Password-5531"]
        for fmt in ("jsonl", "csv"):
            out = self.server.audit_text(fmt)
            for secret in secrets:
                self.assertNotIn(secret, out, "%s in the %s audit"
                                 % (secret, fmt))
        log = self.server.log()
        for secret in secrets:
            self.assertNotIn(secret, log, "%s in the server log" % secret)


if __name__ == "__main__":
    unittest.main()


class AbuseLimitTests(ModerationCase):
    """What a participant must not be able to get around: a ban without a
    device key, a waiting room left behind, guessing an access code,
    flooding reports."""

    SERVER_ARGS = ["--threads", "2", "--login-failures", "100",
                   "--login-failures-per-network", "100",
                   "--resume-grace", "1"] + FAST_CLIENTS
    ROOMS = [room("nodev"), room("door"),
             {"slug": "coded", "title": "Coded", "code": "4242"},
             room("flood")]
    MODERATORS = [staff("sara", ["nodev", "door", "flood"])]

    async def test_a_member_without_a_device_key_is_banned_all_the_same(self):
        s = await self.login("sara")
        p = await self.client("P")  # its hello carries no device key
        await self.seat("nodev", s, p)
        await s.send({"type": "ban", "room": "nodev", "member": p.mid,
                      "scope": "room", "ref": "b"})
        await s.expect_frames(("ok", {"ref": "b"}), ("banned", {}))
        await p.expect("banned", room="nodev", member=p.mid)
        await self.refused(p, {"type": "join", "room": "nodev"}, "banned")
        rows = [r for r in self.server.audit() if r["action"] == "ban"]
        self.assertEqual(len(rows), 1, rows)

    async def test_a_joiner_who_left_the_waiting_room_cannot_be_admitted_later(self):
        s = await self.login("sara")
        await self.join(s, "door")
        await self.act(s, {"type": "room_set", "room": "door",
                           "waiting": True}, "room_state")
        p = await self.client("P")
        await p.send({"type": "join", "room": "door"})
        await p.expect("waiting", room="door")
        await s.expect("knock", room="door")
        gone = p.id
        p.abort()
        await asyncio.sleep(2.5)  # past --resume-grace 1
        await self.refused(s, {"type": "admit", "room": "door",
                               "member": gone}, "no_such_member")
        late = await self.client("late")
        await self.act(s, {"type": "room_set", "room": "door",
                           "waiting": False}, "room_state")
        j = await self.join(late, "door")
        self.assertNotIn(gone, [m["id"] for m in j["members"]])

    async def test_guessing_an_access_code_is_slowed_down(self):
        p = await self.client("P")
        codes = []
        for guess in range(6):
            await p.send({"type": "join", "room": "coded",
                          "code": "%04d" % guess, "ref": "g%d" % guess})
            msg = await p.expect("error", ref="g%d" % guess)
            codes.append(msg["code"])
        self.assertEqual(codes[:5], ["bad_code"] * 5)
        self.assertEqual(codes[5], "throttled")
        # Even the right code waits for the minute to pass.
        await self.refused(p, {"type": "join", "room": "coded",
                               "code": "4242"}, "throttled")

    async def test_reports_are_counted_once_and_rate_limited(self):
        s = await self.login("sara")
        p = await self.client("P")
        q = await self.client("Q")
        await self.seat("flood", s, p, q)
        said = []
        for i in range(7):
            said.append(await self.say_to(q, "flood", "line %d" % i, (s, p)))
        for _ in range(3):  # the same message three times: one report
            await self.ok(p, {"type": "report", "room": "flood",
                              "message": said[0]["id"]})
        await s.expect("report")
        await s.expect_silence(0.2)
        for m in said[1:5]:
            await self.ok(p, {"type": "report", "room": "flood",
                              "message": m["id"]})
            await s.expect("report")
        await self.refused(p, {"type": "report", "room": "flood",
                               "message": said[5]["id"]}, "throttled")
        await s.send({"type": "reports", "room": "flood", "ref": "l"})
        listed = await s.expect("reports")
        self.assertEqual(len(listed["reports"]), 5)
