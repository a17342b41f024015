"""Independent-client integration tests of the Kring server.

They start the real binary ($KRING_BINARY, default build/server/kring) and
speak protocol v1 (protocol/README.md) through the `websockets` library.

Run from this directory:  /usr/bin/python3 -m unittest -v

Environment:
  KRING_BINARY    the server binary (default ../../build/server/kring; when
                  unset and missing, every test is skipped; when set and
                  missing, every test errors)
  KRING_WEB_ROOT  the web client served by HttpTests (default ../../web-client)
  KRING_KEEP_TMP  keep each server's temp dir (db, port file, log)

A failing test prints the server's log (its new part) to stderr.
"""

import asyncio
import gzip
import http.client
import json
import os
import re
import signal
import socket
import tempfile
import shutil
import time
import unittest

import websockets.exceptions
import websockets.frames

from kring_harness import (Client, FAST_CLIENTS, FRONT, KringServer, RawSocket,
                           ServerTestCase, WEB_ROOT, TIMEOUT)

# On a frame it must refuse (too big, not UTF-8), Kring sends its close
# frame and closes without reading the rest of what the client sent; through
# nginx, the client's side is then sometimes reset before it reads that close
# frame. Either way the connection ends, which is what these tests check
# through a proxy.
RESET_BY_PROXY = FRONT == "nginx"

PARTICIPANT = "participant"
PSEUDONYM_RE = re.compile(r"^[A-Z][a-z]+ [A-Z][a-z]+ [0-9]{1,4}$")
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{43,}$")
DEFAULT_LIMITS = {"text": 2000, "name": 32, "frame_bytes": 65536, "rooms": 8,
                  "history": 200, "resume_seconds": 120}


def room_basics(room):
    """The fields of a joined room this suite checks (later versions add more)."""
    return {k: room[k] for k in ("slug", "title", "capacity")}


def member(c, name=None):
    return {"id": c.id, "name": name or c.welcome["name"], "role": PARTICIPANT}


def now_ms():
    return time.time() * 1000.0


def room(slug, capacity=12, code=None, title=None, history=None):
    return {"slug": slug, "title": title or ("Room " + slug),
            "capacity": capacity, "code": code, "history": history}


class ChatTests(ServerTestCase):
    """Default server (--demo, default limits but the message budgets:
    these tests send in bursts). Each test uses its own room so that tests
    do not see each other's members."""
    FRONTS = ("tls", "nginx")  # chat itself, whatever carries it

    SERVER_ARGS = ["--threads", "4"] + FAST_CLIENTS
    ROOMS = [room("pair", capacity=2, title="Pair"),
             room("secret", code="open sesame", title="Secret circle"),
             room("lobby", history="session"), room("hall"), room("names"), room("names2"),
             room("errors"), room("burst"), room("cp"), room("cp2"),
             room("multi1"), room("multi2"), room("verbatim"),
             room("extras"), room("frag"), room("closing"),
             room("dozen", capacity=12), room("private")]

    def check_message(self, msg, room_slug, sender, text, seq=None,
                      name=None):
        self.assertEqual(msg["type"], "message")
        self.assertEqual(msg["room"], room_slug)
        self.assertEqual(msg["text"], text)
        self.assertEqual(msg["from"], member(sender, name))
        self.assertIsInstance(msg["id"], str)
        self.assertTrue(msg["id"])
        self.assertIsInstance(msg["seq"], int)
        if seq is not None:
            self.assertEqual(msg["seq"], seq)
        self.assertIsInstance(msg["ts"], int)
        self.assertLess(abs(msg["ts"] - now_ms()), 5000,
                        "ts should be server time in ms near now: %r" % msg)

    # -- chatting ---------------------------------------------------------
    async def test_two_clients_alternating_messages_in_demo(self):
        a = await self.client("A")
        b = await self.client("B")
        ja = await a.join("demo")
        self.assertEqual(room_basics(ja["room"]), {"slug": "demo", "title": "Demo circle",
                                      "capacity": 12})
        self.assertEqual(ja["you"], member(a))
        self.assertEqual(ja["members"], [member(a)])
        self.assertEqual(ja["history"], [])
        self.assertEqual(ja["seq"], 0, "nothing was said in the demo room yet")
        jb = await b.join("demo")
        self.assertEqual(jb["seq"], 0)
        self.assertEqual(sorted(m["id"] for m in jb["members"]),
                         sorted([a.id, b.id]))
        await a.expect("member_joined", room="demo", member=member(b))

        ids = set()
        for i in range(20):
            sender, other = (a, b) if i % 2 == 0 else (b, a)
            text = "message %d from %s" % (i, sender.label)
            own = await sender.say("demo", text, ref="r%d" % i)
            copy = await other.expect("message")
            self.check_message(own, "demo", sender, text, seq=i + 1)
            self.check_message(copy, "demo", sender, text, seq=i + 1)
            self.assertEqual(own["ref"], "r%d" % i)
            self.assertNotIn("ref", copy, "others' copies carry no ref")
            self.assertEqual(copy["id"], own["id"])
            self.assertEqual(copy["ts"], own["ts"])
            ids.add(own["id"])
        self.assertEqual(len(ids), 20, "message ids must be unique")
        # Nothing more: each message arrived exactly once.
        await a.expect_silence(0.2)
        await b.expect_silence(0.2)

    async def test_concurrent_bursts_are_seen_in_one_order_by_all(self):
        a = await self.client("A")
        b = await self.client("B")
        await a.join("burst")
        await b.join("burst")
        await a.expect("member_joined")
        n = 50
        for i in range(n):
            await a.send({"type": "say", "room": "burst",
                          "text": "a%d" % i, "ref": "a%d" % i})
            await b.send({"type": "say", "room": "burst",
                          "text": "b%d" % i, "ref": "b%d" % i})
        got = {}
        for c in (a, b):
            got[c.label] = [await c.expect("message") for _ in range(2 * n)]
            await c.expect_silence(0.2)
        # a fresh room: its first message is seq 1
        self.assertEqual([m["seq"] for m in got["A"]],
                         list(range(1, 2 * n + 1)))
        self.assertEqual([(m["seq"], m["id"], m["text"]) for m in got["A"]],
                         [(m["seq"], m["id"], m["text"]) for m in got["B"]])
        for c, prefix in ((a, "a"), (b, "b")):
            own = [m["text"] for m in got["A"] if m["text"][0] == prefix]
            self.assertEqual(own, [prefix + str(i) for i in range(n)])
            for m in got[c.label]:
                if m["text"][0] == prefix:
                    self.assertEqual(m.get("ref"), m["text"])
                else:
                    self.assertNotIn("ref", m)

    async def test_full_room_of_twelve_all_see_one_order(self):
        clients = [await self.client("C%d" % i) for i in range(12)]
        for i, c in enumerate(clients):
            await c.join("dozen")
            for earlier in clients[:i]:
                # Twelve random pseudonyms may hold two alike; the second
                # then gets a number in the circle, so only its id is sure.
                got = await earlier.expect("member_joined")
                self.assertEqual(got["member"]["id"], c.id)
        extra = await self.client("X")
        await extra.send({"type": "join", "room": "dozen", "ref": "x"})
        await extra.expect_error("room_full", ref="x")
        n = 5

        async def talk(c):
            for k in range(n):
                await c.send({"type": "say", "room": "dozen",
                              "text": "%s-%d" % (c.label, k)})

        async def listen(c):
            return [await c.expect("message") for _ in range(12 * n)]

        await asyncio.gather(*(talk(c) for c in clients))
        seen = await asyncio.gather(*(listen(c) for c in clients))
        order = [(m["seq"], m["id"], m["text"]) for m in seen[0]]
        self.assertEqual([x[0] for x in order],
                         list(range(order[0][0], order[0][0] + 12 * n)))
        for c, msgs in zip(clients, seen):
            self.assertEqual([(m["seq"], m["id"], m["text"]) for m in msgs],
                             order, "%s saw another order" % c.label)
            own = [m["text"] for m in msgs if m["from"]["id"] == c.id]
            self.assertEqual(own, ["%s-%d" % (c.label, k) for k in range(n)])
        for c in clients:
            await c.expect_silence(0.05)

    async def test_late_joiner_gets_history_oldest_first(self):
        a = await self.client("A")
        b = await self.client("B")
        await a.join("lobby")
        await b.join("lobby")
        await a.expect("member_joined", member=member(b))
        said = []
        for sender, other, text in ((a, b, "one"), (b, a, "two"),
                                    (a, b, "three")):
            said.append(await sender.say("lobby", text, ref="x"))
            await other.expect("message")
        c = await self.client("C")
        jc = await c.join("lobby")
        hist = jc["history"]
        self.assertEqual([m["text"] for m in hist], ["one", "two", "three"])
        self.assertEqual([m["seq"] for m in hist], [m["seq"] for m in said])
        for h, s in zip(hist, said):
            self.assertEqual(h["type"], "message")
            self.assertEqual(h["room"], "lobby")
            self.assertEqual(h["id"], s["id"])
            self.assertEqual(h["from"], s["from"])
            self.assertEqual(h["ts"], s["ts"])
            self.assertNotIn("ref", h, "ref is only in the sender's copy")
        self.assertEqual(jc["seq"], said[-1]["seq"])
        self.assertEqual(sorted(m["id"] for m in jc["members"]),
                         sorted([a.id, b.id, c.id]))
        await a.expect("member_joined", room="lobby", member=member(c))
        await b.expect("member_joined", room="lobby", member=member(c))
        self.assertNotEqual(jc.get("gap"), True)
        for t in (a.token, b.token):
            self.assertNotIn(t, json.dumps(jc), "tokens stay secret")

    async def test_join_is_announced_and_leave_is_notified(self):
        a = await self.client("A")
        b = await self.client("B")
        c = await self.client("C")
        await a.join("hall")
        await b.join("hall")
        await a.expect("member_joined", room="hall", member=member(b))
        await c.join("hall")
        await a.expect("member_joined", room="hall", member=member(c))
        await b.expect("member_joined", room="hall", member=member(c))

        await b.send({"type": "leave", "room": "hall"})
        await b.expect("left", room="hall")
        await a.expect("member_left", room="hall", id=b.id)
        await c.expect("member_left", room="hall", id=b.id)

        # b is out: it cannot say there and gets nothing from the room.
        await b.send({"type": "say", "room": "hall", "text": "x",
                      "ref": "s"})
        await b.expect_error("not_in_room", ref="s")
        await b.send({"type": "leave", "room": "hall", "ref": "l"})
        await b.expect_error("not_in_room", ref="l")
        await a.say("hall", "after b left")
        await c.expect("message", text="after b left")
        await b.ping("after")

        # and may come back, announced again
        jb = await b.join("hall")
        self.assertEqual(sorted(m["id"] for m in jb["members"]),
                         sorted([a.id, b.id, c.id]))
        await a.expect("member_joined", room="hall", member=member(b))
        await c.expect("member_joined", room="hall", member=member(b))

    # -- welcome and names ------------------------------------------------
    async def test_welcome_fields(self):
        a = await self.client("A", hello=False)
        await a.send({"type": "hello", "v": 1})
        w = a.welcome = await a.expect("welcome")
        b = await self.client("B")
        self.assertEqual(w["v"], 1)
        self.assertIsInstance(w["id"], str)
        self.assertTrue(w["id"])
        self.assertRegex(w["name"], PSEUDONYM_RE)
        self.assertIsInstance(w["token"], str)
        self.assertRegex(w["token"], TOKEN_RE)
        self.assertIs(w["resumed"], False)
        self.assertIsInstance(w["limits"], dict)
        for k, v in DEFAULT_LIMITS.items():
            self.assertEqual(w["limits"].get(k), v, "limits.%s" % k)
        self.assertNotEqual(a.id, b.id)
        self.assertNotEqual(a.token, b.token)
        self.assertNotIn(a.token, json.dumps(b.welcome))

    async def test_join_with_display_name(self):
        a = await self.client("A")
        b = await self.client("B")
        c = await self.client("C")
        ja = await a.join("names", name="Amal", ref="j")
        self.assertEqual(ja["you"], member(a, "Amal"))
        jb = await b.join("names")
        self.assertEqual(jb["you"], member(b))
        self.assertIn(member(a, "Amal"), jb["members"])
        await a.expect("member_joined", room="names", member=member(b))
        jc = await c.join("names", name="  Noor  ")
        self.assertEqual(jc["you"], member(c, "Noor"),
                         "the name is trimmed of spaces")
        await a.expect("member_joined", member=member(c, "Noor"))
        await b.expect("member_joined", member=member(c, "Noor"))
        own = await a.say("names", "hi")
        self.check_message(own, "names", a, "hi", name="Amal")
        for other in (b, c):
            m = await other.expect("message")
            self.assertEqual(m["from"], member(a, "Amal"))

    async def test_bad_display_names_are_refused_and_connection_lives(self):
        a = await self.client("A")
        cases = [
            ("bidi override U+202E", "evil\u202eroot", "bad_name"),
            ("bidi override U+202D", "\u202dabc", "bad_name"),
            ("zero width space U+200B", "Am\u200bal", "bad_name"),
            ("control char BEL", "Am\u0007al", "bad_name"),
            ("control char ESC", "\u001b[31mred", "bad_name"),
            ("control char NUL", "Am\u0000al", "bad_name"),
            ("newline", "Am\nal", "bad_name"),
            ("empty", "", "bad_name"),
            ("only spaces", "    ", "bad_name"),
            ("33 code points", "\u00e9" * 33, "too_long"),
            ("33 emoji", "\U0001F600" * 33, "too_long"),
        ]
        for i, (what, name, code) in enumerate(cases):
            with self.subTest(what):
                ref = "n%d" % i
                await a.send({"type": "join", "room": "names2", "name": name,
                              "ref": ref})
                await a.expect_error(code, ref=ref)
                await a.ping("after-" + ref)
        with self.subTest("name not a string"):
            await a.send({"type": "join", "room": "names2", "name": 5,
                          "ref": "nn"})
            await a.expect_error("bad_field", ref="nn")
            await a.ping("after-nn")
        # 32 multi-byte code points are fine
        ja = await a.join("names2", name="\u00e9" * 32)
        self.assertEqual(ja["you"]["name"], "\u00e9" * 32)

    # -- rooms --------------------------------------------------------------
    async def test_full_room_refuses_third(self):
        a = await self.client("A")
        b = await self.client("B")
        c = await self.client("C")
        ja = await a.join("pair")
        self.assertEqual(room_basics(ja["room"]),
                         {"slug": "pair", "title": "Pair", "capacity": 2})
        await b.join("pair")
        await a.expect("member_joined", member=member(b))
        await c.send({"type": "join", "room": "pair", "ref": "j3"})
        await c.expect_error("room_full", ref="j3")
        await c.ping()
        await a.expect_silence(0.2)
        # once someone leaves, there is room again
        await b.send({"type": "leave", "room": "pair"})
        await b.expect("left", room="pair")
        await a.expect("member_left", room="pair", id=b.id)
        await c.join("pair")
        await a.expect("member_joined", member=member(c))

    async def test_room_with_access_code(self):
        a = await self.client("A")
        await a.send({"type": "join", "room": "secret", "ref": "j1"})
        await a.expect_error("bad_code", ref="j1")
        await a.ping("p1")
        await a.send({"type": "join", "room": "secret", "code": "open sesam",
                      "ref": "j2"})
        await a.expect_error("bad_code", ref="j2")
        await a.ping("p2")
        await a.send({"type": "join", "room": "secret",
                      "code": "open sesame!", "ref": "j3"})
        await a.expect_error("bad_code", ref="j3")
        await a.ping("p3")
        await a.send({"type": "join", "room": "secret", "code": "open sesame",
                      "ref": "j4"})
        raw = await a.expect("joined")
        self.assertEqual(room_basics(raw["room"]), {"slug": "secret",
                                       "title": "Secret circle",
                                       "capacity": 12})
        self.assertNotIn("open sesame", json.dumps(raw),
                         "the access code must not be sent to clients")

    async def test_access_code_too_long(self):
        a = await self.client("A")
        await a.send({"type": "join", "room": "secret", "code": "c" * 129,
                      "ref": "j"})
        await a.expect_error("too_long", ref="j")
        await a.ping()

    # -- more chatting -----------------------------------------------------
    async def test_one_connection_in_several_rooms(self):
        a = await self.client("A")
        b = await self.client("B")
        await a.join("multi1")
        await a.join("multi2", name="Second Self")
        await b.join("multi1")
        await a.expect("member_joined", room="multi1", member=member(b))
        jb2 = await b.join("multi2")
        self.assertIn(member(a, "Second Self"), jb2["members"])
        await a.expect("member_joined", room="multi2", member=member(b))
        m1 = await a.say("multi1", "in one")
        m2 = await a.say("multi2", "in two")
        self.assertEqual(m1["from"], member(a))
        self.assertEqual(m2["from"], member(a, "Second Self"))
        got1 = await b.expect("message", room="multi1", text="in one")
        got2 = await b.expect("message", room="multi2", text="in two")
        self.assertEqual(got1["from"], member(a))
        self.assertEqual(got2["from"], member(a, "Second Self"))
        self.assertNotEqual(m1["id"], m2["id"],
                            "message ids are unique on the server")
        # leaving one room keeps the other
        await a.send({"type": "leave", "room": "multi1"})
        await a.expect("left", room="multi1")
        await b.expect("member_left", room="multi1", id=a.id)
        await b.say("multi2", "still with you")
        await a.expect("message", room="multi2", text="still with you")

    async def test_text_round_trips_verbatim(self):
        a = await self.client("A")
        b = await self.client("B")
        await a.join("verbatim")
        await b.join("verbatim")
        await a.expect("member_joined")
        for text in ['quotes " and \\ backslash \\" and /',
                     "<script>alert(1)</script> &amp; <b>x</b>",
                     "line one\nline two\ttabbed",
                     "  leading and trailing spaces  ",
                     "\u0645\u0631\u062d\u0628\u0627 mixed RTL",
                     "emoji \U0001F44B\U0001F3FD and \U0001F468\u200d\U0001F469",
                     "\u00e9\u20ac\U0001F600 \ufeff\u2028\u2029 separators",
                     "{\"type\":\"welcome\"}"]:
            with self.subTest(text=text):
                own = await a.say("verbatim", text)
                got = await b.expect("message")
                self.assertEqual(own["text"], text)
                self.assertEqual(got["text"], text)

    async def test_refs_and_unknown_fields(self):
        a = await self.client("A")
        await a.send({"type": "ping"})
        pong = await a.expect("pong")
        self.assertNotIn("ref", pong)
        ref64 = "\u00e9" * 64
        await a.ping(ref64)
        # fields this version does not know are ignored
        await a.send({"type": "ping", "ref": "future", "later": {"x": [1]},
                      "flag": True})
        await a.expect("pong", ref="future")
        await a.send({"type": "join", "room": "extras", "ref": "j",
                      "colour": "blue"})
        await a.expect("joined")

    async def test_client_close_is_answered_with_1000(self):
        a = await self.client("A")
        await a.join("closing")
        await asyncio.wait_for(a.ws.close(1000, "bye"), TIMEOUT)
        self.assertIsNotNone(a.ws.close_rcvd,
                             "the server answers a close frame with one")
        self.assertEqual(a.ws.close_rcvd.code, 1000)

    async def test_fragmented_message_is_reassembled(self):
        a = await self.client("A")
        await a.join("frag")
        data = json.dumps({"type": "say", "room": "frag", "ref": "f",
                           "text": "caf\u00e9 \U0001F600 ok"},
                          ensure_ascii=False).encode()
        # split inside the 2-byte and the 4-byte characters
        i = data.index("\u00e9".encode()) + 1
        j = data.index("\U0001F600".encode()) + 2
        Op = websockets.frames.Opcode
        await a.ws.write_frame(False, Op.TEXT, data[:i])
        await a.ws.write_frame(False, Op.CONT, data[i:j])
        await a.ws.ping()  # a control frame may come between fragments
        await a.ws.write_frame(True, Op.CONT, data[j:])
        m = await a.expect("message", ref="f")
        self.assertEqual(m["text"], "caf\u00e9 \U0001F600 ok")

    async def test_unmasked_client_frame_closes_1002(self):
        raw = await RawSocket.open(self.server)
        try:
            raw.send_frame(0x1, b'{"type":"hello","v":1}', masked=False)
            f = await raw.read_frame()
            self.assertIsNotNone(f, "dropped without a close frame")
            self.assertEqual(f[0], 0x8, "expected a close frame: %r" % (f,))
            self.assertEqual(int.from_bytes(f[1][:2], "big"), 1002)
        finally:
            raw.close()
        b = await self.client("B")
        await b.ping()

    async def test_messages_tokens_and_addresses_stay_out_of_log_and_disk(self):
        a = await self.client("A")
        b = await self.client("B")
        await a.join("private")
        await b.join("private")
        await a.expect("member_joined")
        marker = "secret-marker-%d" % os.getpid()
        await a.say("private", marker + " something personal")
        await b.expect("message")
        await b.say("private", "reply " + marker)
        await a.expect("message")
        await asyncio.sleep(0.2)
        ports = [c.ws.transport.get_extra_info("sockname")[1]
                 for c in (a, b)]
        for name in os.listdir(self.server.dir):
            path = os.path.join(self.server.dir, name)
            with open(path, "rb") as f:
                data = f.read()
            with self.subTest(file=name):
                self.assertNotIn(marker.encode(), data,
                                 "message text written to %s" % name)
                for c in (a, b):
                    self.assertNotIn(c.token.encode(), data,
                                     "a resume token written to %s" % name)
                for port in ports:
                    self.assertNotIn(b"127.0.0.1:%d" % port, data,
                                     "a client address written to %s" % name)

    async def test_websocket_level_ping_is_answered(self):
        a = await self.client("A")
        await a.ws_ping()
        await a.ping()

    # -- bad input ---------------------------------------------------------
    async def test_bad_input_gets_error_and_connection_lives(self):
        a = await self.client("A")
        await a.join("errors")
        deep = ('{"type":"ping","ref":"d","x":' + "[" * 39 + "]" * 39 + "}")
        shallow = ('{"type":"ping","ref":"shallow","x":' + "[" * 8 +
                   "]" * 8 + "}")
        cases = [
            ("not JSON", "this is not json", "bad_json", None),
            ("truncated JSON", '{"type":"ping"', "bad_json", None),
            ("trailing garbage", '{"type":"ping"} x', "bad_json", None),
            ("array", "[1,2]", "not_object", None),
            ("string", '"ping"', "not_object", None),
            ("number", "42", "not_object", None),
            ("40-deep nesting", deep, "too_deep", None),
            ("empty object", {}, "unknown_type", None),
            ("unknown type", {"type": "fly", "ref": "u1"}, "unknown_type",
             "u1"),
            ("type not a string", {"type": 5, "ref": "u2"}, "unknown_type",
             "u2"),
            ("join without room", {"type": "join", "ref": "j1"},
             "missing_field", "j1"),
            ("join with room 5", {"type": "join", "room": 5, "ref": "j2"},
             "bad_field", "j2"),
            ("join with a bad slug", {"type": "join", "room": "Bad Slug!",
                                      "ref": "j3"}, "bad_field", "j3"),
            ("join twice", {"type": "join", "room": "errors", "ref": "j4"},
             "already_joined", "j4"),
            ("say without text", {"type": "say", "room": "errors",
                                  "ref": "s1"}, "missing_field", "s1"),
            ("say without room", {"type": "say", "text": "hi", "ref": "s2"},
             "missing_field", "s2"),
            ("say text not a string", {"type": "say", "room": "errors",
                                       "text": 5, "ref": "s3"},
             "bad_field", "s3"),
            ("say whitespace only", {"type": "say", "room": "errors",
                                     "text": "  \t\n  ", "ref": "s4"},
             "bad_text", "s4"),
            ("say empty", {"type": "say", "room": "errors", "text": "",
                           "ref": "s5"}, "bad_text", "s5"),
            ("say to a room not joined", {"type": "say", "room": "demo",
                                          "text": "hi", "ref": "s6"},
             "not_in_room", "s6"),
            ("leave a room not joined", {"type": "leave", "room": "demo",
                                         "ref": "l1"}, "not_in_room", "l1"),
            ("second hello", {"type": "hello", "v": 1, "ref": "h1"},
             "already_welcomed", "h1"),
            ("ref of 65 code points", {"type": "ping", "ref": "r" * 65},
             "too_long", None),
            ("ref not a string", {"type": "ping", "ref": 5}, "bad_field",
             None),
        ]
        for i, (what, payload, code, ref) in enumerate(cases):
            with self.subTest(what):
                if isinstance(payload, str):
                    await a.send_text(payload)
                else:
                    await a.send(payload)
                await a.expect_error(code, ref=ref)
                await a.ping("after-%d" % i)
        with self.subTest("10-deep nesting is fine"):
            await a.send_text(shallow)
            await a.expect("pong", ref="shallow")
        # nothing above reached the room
        await a.say("errors", "still here", ref="last")

    async def test_message_before_hello(self):
        a = await self.client("A", hello=False)
        # A frame that is not a request at all gets its own error code, not
        # hello_required.
        cases = [
            ("not JSON", "not json", "bad_json", None),
            ("array", "[1,2]", "not_object", None),
            ("40-deep nesting", "[" * 40 + "]" * 40, "too_deep", None),
            ("empty object", "{}", "unknown_type", None),
            ("unknown type", '{"type":"fly","ref":"u0"}', "unknown_type",
             "u0"),
        ]
        for what, frame, code, ref in cases:
            with self.subTest(what):
                await a.send_text(frame)
                await a.expect_error(code, ref=ref)
        await a.send({"type": "ping", "ref": "p0"})
        await a.expect_error("hello_required", ref="p0")
        await a.send({"type": "join", "room": "demo", "ref": "j0"})
        await a.expect_error("hello_required", ref="j0")
        await a.send({"type": "say", "room": "demo", "text": "hi",
                      "ref": "s0"})
        await a.expect_error("hello_required", ref="s0")
        await a.hello()
        await a.ping()

    async def test_hello_version_and_fields(self):
        a = await self.client("A", hello=False)
        await a.send({"type": "hello", "v": 2, "ref": "h2"})
        await a.expect_error("unsupported_version", ref="h2")
        await a.send({"type": "hello", "v": "1", "ref": "h3"})
        await a.expect_error("bad_field", ref="h3")
        await a.send({"type": "hello", "ref": "h4"})
        await a.expect_error("missing_field", ref="h4")
        await a.send({"type": "hello", "v": True, "ref": "h5"})
        await a.expect_error("bad_field", ref="h5")
        await a.send({"type": "hello", "v": 1, "resume": 5, "ref": "h6"})
        await a.expect_error("bad_field", ref="h6")
        await a.send({"type": "hello", "v": 1, "resume": "A" * 43,
                      "since": ["demo", 3], "ref": "h7"})
        await a.expect_error("bad_field", ref="h7")
        # the connection lives on and can still say hello
        await a.hello()
        await a.ping()

    async def test_binary_frame(self):
        a = await self.client("A")
        await a.send_bytes(b'{"type":"ping","ref":"bin"}')
        await a.expect_error("binary_frame")
        await a.ping()

    async def test_text_length_counted_in_code_points(self):
        a = await self.client("A")
        await a.join("cp")
        for what, ch in (("2-byte", "\u00e9"), ("3-byte", "\u20ac"),
                         ("4-byte emoji", "\U0001F600")):
            with self.subTest(what):
                await a.send({"type": "say", "room": "cp", "text": ch * 2001,
                              "ref": "long"})
                await a.expect_error("too_long", ref="long")
                await a.ping()
                await a.say("cp", ch * 2000, ref="ok")

    async def test_text_length_with_json_surrogate_escapes(self):
        # The same 2000 emoji, sent as \ud83d\ude00 escapes: still 2000
        # code points.
        a = await self.client("A")
        await a.join("cp2")
        text = "\U0001F600" * 2000
        await a.send_text(json.dumps({"type": "say", "room": "cp2",
                                      "text": text, "ref": "esc"},
                                     ensure_ascii=True))
        m = await a.expect("message", ref="esc")
        self.assertEqual(m["text"], text)
        await a.send_text(json.dumps({"type": "say", "room": "cp2",
                                      "text": text + "\U0001F600",
                                      "ref": "esc2"}, ensure_ascii=True))
        await a.expect_error("too_long", ref="esc2")
        await a.ping()

    async def test_invalid_utf8_text_frame_closes_1007(self):
        a = await self.client("A")
        b = await self.client("B")
        await a.send_raw_text_frame(b'{"type":"ping","ref":"\xff\xfe"}')
        await a.expect_close(1007, or_dropped=RESET_BY_PROXY)
        await b.ping()
        c = await self.client("C")
        await c.ping()


class LimitsTests(ServerTestCase):
    """Server started with small limits."""
    FRONTS = ("tls", "nginx")  # chat itself, whatever carries it

    SERVER_ARGS = ["--max-frame-bytes", "4096", "--max-rooms", "2",
                   "--max-text", "100", "--history", "5"]
    ROOMS = [room("r1"), room("r2"), room("r3"), room("hist", history="session"), room("big"),
             room("text")]

    async def test_welcome_reports_configured_limits(self):
        a = await self.client("A")
        self.assertEqual(a.welcome["limits"],
                         {"text": 100, "name": 32, "frame_bytes": 4096,
                          "rooms": 2, "history": 5, "resume_seconds": 120})

    async def test_history_keeps_only_last_n(self):
        a = await self.client("A")
        await a.join("hist")
        said = [await a.say("hist", "m%d" % i) for i in range(8)]
        b = await self.client("B")
        jb = await b.join("hist")
        self.assertEqual([m["text"] for m in jb["history"]],
                         ["m%d" % i for i in range(3, 8)])
        self.assertEqual([m["seq"] for m in jb["history"]],
                         [m["seq"] for m in said[3:]])
        self.assertEqual(jb["seq"], said[-1]["seq"])
        self.assertNotIn("gap", {k for k, v in jb.items() if v})

    async def test_oversized_frame_closes_1009_others_unaffected(self):
        a = await self.client("A")
        b = await self.client("B")
        c = await self.client("C")
        await a.join("big")
        await b.join("big")
        await a.expect("member_joined")
        await c.join("big")
        await a.expect("member_joined")
        await b.expect("member_joined")
        pad = 5000 - len('{"type":"ping","ref":"big","pad":""}')
        frame = '{"type":"ping","ref":"big","pad":"%s"}' % ("x" * pad)
        self.assertEqual(len(frame.encode()), 5000)
        await a.send_text(frame)
        await a.expect_close(1009, or_dropped=RESET_BY_PROXY)
        await b.send({"type": "ping", "ref": "p"})
        await b.expect_frames(("member_away", {"room": "big", "id": a.id}),
                              ("pong", {"ref": "p"}))
        await c.expect("member_away", room="big", id=a.id)
        await b.say("big", "still chatting")
        await c.expect("message", text="still chatting")
        await c.ping()

    async def test_frame_at_exact_limit_is_accepted(self):
        a = await self.client("A")
        pad = 4096 - len('{"type":"ping","ref":"edge","pad":""}')
        frame = '{"type":"ping","ref":"edge","pad":"%s"}' % ("x" * pad)
        self.assertEqual(len(frame.encode()), 4096)
        await a.send_text(frame)
        await a.expect("pong", ref="edge")

    async def test_frame_one_byte_over_limit_closes_1009(self):
        a = await self.client("A")
        pad = 4097 - len('{"type":"ping","ref":"edge","pad":""}')
        frame = '{"type":"ping","ref":"edge","pad":"%s"}' % ("x" * pad)
        self.assertEqual(len(frame.encode()), 4097)
        await a.send_text(frame)
        await a.expect_close(1009, or_dropped=RESET_BY_PROXY)

    async def test_fragments_over_limit_close_1009(self):
        # each fragment is small, the message is not
        a = await self.client("A")
        b = await self.client("B")
        Op = websockets.frames.Opcode
        await a.ws.write_frame(False, Op.TEXT, b'{"type":"ping","pad":"')
        for _ in range(5):
            await a.ws.write_frame(False, Op.CONT, b"x" * 1000)
        await a.ws.write_frame(True, Op.CONT, b'"}')
        await a.expect_close(1009, or_dropped=RESET_BY_PROXY)
        await b.ping()

    async def test_too_many_rooms(self):
        a = await self.client("A")
        await a.join("r1")
        await a.join("r2")
        await a.send({"type": "join", "room": "r3", "ref": "j3"})
        await a.expect_error("too_many_rooms", ref="j3")
        await a.ping()
        await a.send({"type": "leave", "room": "r1"})
        await a.expect("left", room="r1")
        await a.join("r3")

    async def test_max_text_flag(self):
        a = await self.client("A")
        await a.join("text")
        await a.send({"type": "say", "room": "text", "text": "\u00e9" * 101,
                      "ref": "t"})
        await a.expect_error("too_long", ref="t")
        await a.ping()
        await a.say("text", "\u00e9" * 100)


class ResumeTests(ServerTestCase):
    """--resume-grace 1: dropped identities are forgotten after 1 s."""
    FRONTS = ("tls", "nginx")  # chat itself, whatever carries it

    SERVER_ARGS = ["--resume-grace", "1"]
    ROOMS = [room("circle"), room("expire"), room("twice"), room("both1"),
             room("both2"), room("ahead")]

    async def test_resume_after_abrupt_drop_gets_missed_messages(self):
        a = await self.client("A")
        b = await self.client("B")
        self.assertEqual(a.welcome["limits"]["resume_seconds"], 1)
        await a.join("circle", name="Amal")
        await b.join("circle")
        await a.expect("member_joined", member=member(b))
        await a.say("circle", "hello from a")
        await b.expect("message")
        m = await b.say("circle", "hello from b")
        last = (await a.expect("message"))["seq"]
        self.assertEqual(last, m["seq"])

        a.abort()  # no close handshake
        away = await b.expect("member_away")
        self.assertEqual(away, {"type": "member_away", "room": "circle",
                                "id": a.id})
        missed = [await b.say("circle", "missed %d" % i) for i in range(3)]

        a2 = await self.client("A2", hello=False)
        await a2.send({"type": "hello", "v": 1, "resume": a.token,
                       "since": {"circle": last}})
        w = await a2.expect("welcome")
        self.assertIs(w["resumed"], True)
        self.assertEqual(w["id"], a.id)
        self.assertEqual(w["name"], a.welcome["name"])
        self.assertEqual(w["token"], a.token)
        j = await a2.expect("joined")
        self.assertEqual(j["room"]["slug"], "circle")
        self.assertEqual(j["you"], member(a, "Amal"))
        self.assertEqual([(h["seq"], h["id"], h["text"]) for h in j["history"]],
                         [(h["seq"], h["id"], h["text"]) for h in missed])
        self.assertEqual(j["seq"], missed[-1]["seq"])
        self.assertNotIn("gap", j, "nothing missed fell out of the ring")
        self.assertEqual(sorted(x["id"] for x in j["members"]),
                         sorted([a.id, b.id]))
        # B saw A back, and neither a leave nor a join, even past the
        # grace period.
        back = await b.expect("member_back")
        self.assertEqual(back, {"type": "member_back", "room": "circle",
                                "id": a.id})
        await b.expect_silence(1.6)
        await a2.expect_silence(0.1)
        back = await a2.say("circle", "I am back", ref="bk")
        self.assertEqual(back["from"], member(a, "Amal"))
        got = await b.expect("message", text="I am back")
        self.assertEqual(got["from"], member(a, "Amal"))

    async def test_resume_while_connected_closes_old_with_4002(self):
        a = await self.client("A")
        b = await self.client("B")
        await a.join("twice", name="Amal")
        await b.join("twice")
        await a.expect("member_joined")
        m = await b.say("twice", "hi")
        await a.expect("message")
        a2 = await self.client("A2", hello=False)
        await a2.send({"type": "hello", "v": 1, "resume": a.token,
                       "since": {"twice": m["seq"]}})
        w = await a2.expect("welcome")
        self.assertIs(w["resumed"], True)
        self.assertEqual(w["id"], a.id)
        j = await a2.expect("joined")
        self.assertEqual(j["you"], member(a, "Amal"))
        self.assertEqual(j["history"], [])
        self.assertEqual(j["seq"], m["seq"])
        self.assertNotEqual(j.get("gap"), True)
        await a.expect_close(4002)
        await b.expect_silence(0.3)
        await a2.say("twice", "moved")
        got = await b.expect("message", text="moved")
        self.assertEqual(got["from"], member(a, "Amal"))

    async def test_resume_after_clean_close_rejoins_every_room(self):
        a = await self.client("A")
        b = await self.client("B")
        for slug in ("both1", "both2"):
            await a.join(slug)
            await b.join(slug)
            await a.expect("member_joined", room=slug)
        await asyncio.wait_for(a.ws.close(), TIMEOUT)
        await b.expect_frames(("member_away", {"room": "both1", "id": a.id}),
                              ("member_away", {"room": "both2", "id": a.id}))
        m1 = await b.say("both1", "one for you")
        m2 = await b.say("both2", "two for you")
        a2 = await self.client("A2", hello=False)
        await a2.send({"type": "hello", "v": 1, "resume": a.token,
                       "since": {"both1": m1["seq"] - 1,
                                 "both2": m2["seq"] - 1}})
        w = await a2.expect("welcome")
        self.assertIs(w["resumed"], True)
        joined = {}
        for _ in range(2):
            j = await a2.expect("joined")
            joined[j["room"]["slug"]] = j
        self.assertEqual(sorted(joined), ["both1", "both2"])
        for j in joined.values():
            self.assertEqual(j["you"], member(a))
        self.assertEqual([h["text"] for h in joined["both1"]["history"]],
                         ["one for you"])
        self.assertEqual([h["text"] for h in joined["both2"]["history"]],
                         ["two for you"])
        await b.expect_frames(("member_back", {"room": "both1", "id": a.id}),
                              ("member_back", {"room": "both2", "id": a.id}))
        await b.expect_silence(0.2)

    async def test_resume_since_ahead_of_room_gets_no_history(self):
        a = await self.client("A")
        await a.join("ahead")
        m = await a.say("ahead", "only one")
        a.abort()
        a2 = await self.client("A2", hello=False)
        await a2.send({"type": "hello", "v": 1, "resume": a.token,
                       "since": {"ahead": m["seq"] + 100}})
        self.assertIs((await a2.expect("welcome"))["resumed"], True)
        j = await a2.expect("joined")
        self.assertEqual(j["history"], [])
        self.assertEqual(j["seq"], m["seq"])
        self.assertNotEqual(j.get("gap"), True)

    async def test_expired_identity_gets_fresh_identity(self):
        a = await self.client("A")
        b = await self.client("B")
        await a.join("expire")
        await b.join("expire")
        await a.expect("member_joined")
        t0 = time.monotonic()
        a.abort()
        await b.expect("member_away", room="expire", id=a.id)
        await b.expect("member_left", timeout=3.5, room="expire", id=a.id)
        waited = time.monotonic() - t0
        self.assertGreater(waited, 0.8,
                           "member_left came before the grace period ended")
        await asyncio.sleep(0.2)
        a2 = await self.client("A2", hello=False)
        await a2.send({"type": "hello", "v": 1, "resume": a.token,
                       "since": {"expire": 0}})
        w = await a2.expect("welcome")
        self.assertIs(w["resumed"], False)
        self.assertNotEqual(w["id"], a.id)
        self.assertNotEqual(w["token"], a.token)
        await a2.send({"type": "say", "room": "expire", "text": "x",
                       "ref": "s"})
        await a2.expect_error("not_in_room", ref="s")

    async def test_unknown_token_gets_fresh_identity(self):
        a = await self.client("A", hello=False)
        await a.send({"type": "hello", "v": 1,
                      "resume": "A" * 43, "since": {"demo": 3}})
        w = await a.expect("welcome")
        self.assertIs(w["resumed"], False)
        self.assertRegex(w["token"], TOKEN_RE)
        await a.expect_silence(0.2)
        await a.ping()


class ResumeGapTests(ServerTestCase):
    FRONTS = ("tls", "nginx")  # chat itself, whatever carries it
    SERVER_ARGS = ["--history", "2", "--resume-grace", "10"]

    async def test_resume_with_gap(self):
        a = await self.client("A")
        b = await self.client("B")
        await a.join("demo")
        await b.join("demo")
        await a.expect("member_joined")
        await b.say("demo", "before")
        last = (await a.expect("message"))["seq"]
        a.abort()
        await b.expect("member_away", room="demo", id=a.id)
        missed = [await b.say("demo", "missed %d" % i) for i in range(5)]
        a2 = await self.client("A2", hello=False)
        await a2.send({"type": "hello", "v": 1, "resume": a.token,
                       "since": {"demo": last}})
        w = await a2.expect("welcome")
        self.assertIs(w["resumed"], True)
        j = await a2.expect("joined")
        self.assertIs(j.get("gap"), True)
        self.assertEqual([h["text"] for h in j["history"]],
                         ["missed 3", "missed 4"])
        self.assertEqual([h["seq"] for h in j["history"]],
                         [m["seq"] for m in missed[3:]])
        self.assertEqual(j["seq"], missed[-1]["seq"])
        await b.expect("member_back", room="demo", id=a.id)
        await b.expect_silence(0.3)


class RoomLookupTests(ServerTestCase):
    """A room that does not exist. (Rooms that `kring room add` creates while
    the server runs: the C++ lifecycle_test.)"""
    FRONTS = ("tls", "nginx")  # chat itself, whatever carries it

    async def test_unknown_room(self):
        a = await self.client("A")
        await a.send({"type": "join", "room": "no-such-room", "ref": "j"})
        await a.expect_error("no_such_room", ref="j")
        await a.ping()


class RoomCapacityTests(ServerTestCase):
    """--room-capacity: the capacity of the demo circle."""
    FRONTS = ("tls", "nginx")  # chat itself, whatever carries it

    SERVER_ARGS = ["--room-capacity", "3"]

    async def test_demo_circle_holds_room_capacity_members(self):
        for i in range(3):
            c = await self.client("M%d" % i)
            j = await c.join("demo")
            self.assertEqual(room_basics(j["room"]),
                             {"slug": "demo", "title": "Demo circle",
                              "capacity": 3})
        extra = await self.client("X")
        await extra.send({"type": "join", "room": "demo", "ref": "j"})
        await extra.expect_error("room_full", ref="j")
        await extra.ping()

    async def test_seats_of_dropped_members_do_not_keep_a_newcomer_out(self):
        """Joining and dropping three times used to keep the circle full
        for the whole resume grace while holding no connection."""
        tokens = []
        for i in range(3):
            c = await self.client("squat%d" % i)
            await c.join("demo")
            tokens.append(c.token)
            c.abort()
        await asyncio.sleep(0.2)  # the drops reach the server
        newcomer = await self.client("newcomer")
        j = await newcomer.join("demo")
        self.assertEqual(len(j["members"]), 4, "the held seats are still there")
        # One who dropped comes back to its own seat, past the capacity.
        back = await self.client("back", hello=False)
        w = await back.hello(resume=tokens[0])
        self.assertTrue(w["resumed"])
        joined = await back.expect("joined")
        self.assertEqual(joined["room"]["slug"], "demo")


class IdentityLimitTests(ServerTestCase):
    """--max-identities-per-network: connecting and dropping in a loop
    cannot hold more identities than that; the one dropped longest ago
    gives way, and those still connected never do."""
    FRONTS = ("tls", "nginx")  # chat itself, whatever carries it

    SERVER_ARGS = ["--max-identities-per-network", "10"]

    async def test_connect_and_drop_loop_keeps_only_the_newest_identities(self):
        stays = await self.client("stays")
        await stays.join("demo")
        tokens = []
        for i in range(40):
            c = await self.client("loop%d" % i)
            tokens.append(c.token)
            await c.close()
        await asyncio.sleep(0.2)  # the last drops reach the server
        oldest = await self.client("oldest", hello=False)
        w = await oldest.hello(resume=tokens[0])
        self.assertFalse(w["resumed"], "the oldest dropped identity lived on")
        await oldest.close()
        newest = await self.client("newest", hello=False)
        w = await newest.hello(resume=tokens[-1])
        self.assertTrue(w["resumed"], "the newest dropped identity was lost")
        # The connected member kept its identity and its seat.
        got = await stays.say("demo", "still here")
        self.assertEqual(got["text"], "still here")
        self.assertIn("identity pushed out", self.server.log())


class IdleTests(ServerTestCase):
    FRONTS = ("tls", "nginx")  # chat itself, whatever carries it
    SERVER_ARGS = ["--idle-timeout", "2"]  # the smallest kring accepts

    async def test_silent_client_dropped_answering_client_kept(self):
        a = await self.client("A")  # websockets answers pings by itself
        await a.join("demo")
        raw = await RawSocket.open(self.server)  # never answers anything
        t0 = time.monotonic()
        frames = []
        while True:
            f = await raw.read_frame(timeout=5)
            if f is None:
                break
            frames.append(f)
        waited = time.monotonic() - t0
        raw.close()
        self.assertIn(0x9, [op for op, _ in frames],
                      "the server pings a silent client before dropping it")
        self.assertNotIn(0x8, [op for op, _ in frames],
                         "a client that stops answering is dropped without "
                         "a close frame")
        self.assertLess(waited, 4.5)
        self.assertGreater(waited, 1.5)
        # the answering client, silent itself for as long, is still there
        await a.ping()
        await a.say("demo", "still awake")


class OriginBase(ServerTestCase):
    """Helpers only; no tests here."""

    async def assert_accepted(self, origin):
        c = await Client.connect(self.server, "O", origin=origin)
        self.clients.append(c)
        await c.hello()
        await c.ping()

    async def assert_refused(self, origin):
        with self.assertRaises(websockets.exceptions.InvalidStatusCode) as cm:
            c = await Client.connect(self.server, "O", origin=origin)
            self.clients.append(c)
        self.assertEqual(cm.exception.status_code, 403)


class OriginTests(OriginBase):
    """Default origin policy: only http://<Host>; no Origin is fine."""

    async def test_no_origin_accepted(self):
        await self.assert_accepted(None)

    async def test_own_origin_accepted(self):
        await self.assert_accepted("http://127.0.0.1:%d" % self.server.port)

    async def upgrade_status(self, host, origin):
        status, raw = await RawSocket.upgrade(self.server, host, origin)
        raw.close()
        return status

    async def test_origin_follows_the_host_header(self):
        port = self.server.port
        for host, origin, expected in [
                ("localhost:%d" % port, "http://localhost:%d" % port, 101),
                ("127.0.0.1:%d" % port, "http://127.0.0.1:%d" % port, 101),
                ("[::1]:%d" % port, "http://[::1]:%d" % port, 101),
                ("localhost:%d" % port, "http://127.0.0.1:%d" % port, 403),
                ("127.0.0.1", "http://127.0.0.1:80", 403),
                ("127.0.0.1", "https://127.0.0.1", 403)]:
            with self.subTest(host=host, origin=origin):
                self.assertEqual(await self.upgrade_status(host, origin),
                                 expected)

    async def test_without_server_names_ip_literals_and_localhost_pass(self):
        # Any port: behind a port mapping the browser's port is not ours.
        for host in ["127.0.0.1:%d" % self.server.port, "127.0.0.1:9",
                     "10.1.2.3", "[::1]:8080", "[2001:db8::1]", "localhost",
                     "LOCALHOST:8080", "localhost:1"]:
            with self.subTest(host=host):
                self.assertEqual(await self.upgrade_status(host, None), 101)

    async def test_a_dns_rebinding_page_is_refused(self):
        # evil.example resolves to this server: the browser sends its own
        # name as Host and as Origin, which agree with each other.
        port = self.server.port
        for host in ["evil.example:%d" % port, "evil.example",
                     "kring.localtest:%d" % port, "localhost.evil.example",
                     "127.0.0.1.evil.example:%d" % port, "2130706433",
                     "127.1:%d" % port, "[::1", "127.0.0.1:x",
                     "127.0.0.1:99999", "evil.example:%d@127.0.0.1" % port]:
            with self.subTest(host=host):
                self.assertEqual(await self.upgrade_status(
                    host, "http://" + host), 403)
                self.assertEqual(await self.upgrade_status(host, None), 403)
        await self.assert_accepted(None)

    async def test_foreign_origins_refused(self):
        port = self.server.port
        other = port + 1 if port < 65535 else port - 1
        for origin in ["null",
                       "http://127.0.0.1:%d.evil.example" % port,
                       "http://evil.example",
                       "https://127.0.0.1:%d" % port,
                       "http://127.0.0.1:%d" % other,
                       "http://127.0.0.1",
                       "http://localhost:%d" % port,
                       "http://127.0.0.1:%d@evil.example" % port,
                       "http://evil.example/http://127.0.0.1:%d" % port]:
            with self.subTest(origin=origin):
                await self.assert_refused(origin)
        # the server still serves after refusing
        await self.assert_accepted(None)


class AmbiguousUpgradeTests(ServerTestCase):
    """An upgrade that names its Origin or Host twice is refused: the two
    could be read differently by a proxy and by Kring."""

    async def status_of(self, origin=None, extra_headers=""):
        status, raw = await RawSocket.upgrade(self.server, origin=origin,
                                              extra_headers=extra_headers)
        raw.close()
        return status

    async def test_two_origin_headers_are_refused_whichever_comes_first(self):
        own = self.server.own_origin
        for first, second in [(own, "http://evil.example"),
                              ("http://evil.example", own), (own, own)]:
            with self.subTest(first=first, second=second):
                self.assertEqual(await self.status_of(
                    first, "Origin: %s\r\n" % second), 403)
        self.assertEqual(await self.status_of(own), 101)

    async def test_two_host_headers_are_refused(self):
        for second in ["evil.example", self.server.host]:
            with self.subTest(second=second):
                self.assertEqual(await self.status_of(
                    None, "Host: %s\r\n" % second), 403)
        self.assertEqual(await self.status_of(None), 101)


class ServerNameTests(OriginBase):
    """With --server-name, the upgrade's Host must be one of the names, an
    allowed origin's host, or an IP address with the listener's port."""

    SERVER_ARGS = ["--server-name", "kring.localtest",
                   "--server-name", "Chat.Example.org"]

    async def upgrade_status(self, host, origin=None):
        status, raw = await RawSocket.upgrade(self.server, host, origin)
        raw.close()
        return status

    async def test_the_server_names_are_accepted_with_any_port(self):
        port = self.server.port
        for host, origin in [
                ("kring.localtest:%d" % port, "http://kring.localtest:%d" % port),
                ("kring.localtest", "http://kring.localtest"),
                ("chat.example.org", "http://chat.example.org"),
                ("chat.example.org:8443", None),
                ("KRING.localtest:%d" % port, None),
                ("127.0.0.1:%d" % port, "http://127.0.0.1:%d" % port),
                ("127.0.0.1:%d" % port, None),
                ("[::1]:%d" % port, None)]:
            with self.subTest(host=host, origin=origin):
                self.assertEqual(await self.upgrade_status(host, origin), 101)

    async def test_other_names_and_ports_are_refused(self):
        port = self.server.port
        other = port + 1 if port < 65535 else port - 1
        for host in ["evil.example:%d" % port, "localhost:%d" % port,
                     "127.0.0.1:%d" % other, "127.0.0.1", "[::1]:%d" % other,
                     "kring.localtest.evil.example", "xkring.localtest",
                     "example.org"]:
            with self.subTest(host=host):
                self.assertEqual(await self.upgrade_status(
                    host, "http://" + host), 403)
        # a server name does not make its own origin rule looser
        self.assertEqual(await self.upgrade_status(
            "kring.localtest", "http://chat.example.org"), 403)

    def test_a_bad_server_name_is_refused_at_start_up(self):
        for name in ["kring.example.org:443", "https://kring.example.org",
                     "", "kring example", "kring.example.org/"]:
            with self.subTest(name=name):
                srv = KringServer(["--server-name", name])
                with self.assertRaises(Exception):
                    srv.start(timeout=5)
                self.assertEqual(srv.proc.returncode, 2)
                srv.cleanup()


class AllowOriginTests(OriginBase):
    SERVER_ARGS = ["--allow-origin", "https://kring.example.org"]

    async def test_no_origin_accepted(self):
        await self.assert_accepted(None)

    async def test_configured_origin_accepted(self):
        await self.assert_accepted("https://kring.example.org")

    async def test_the_allowed_origins_host_is_a_name_of_the_server(self):
        # a proxy that passes the browser's Host on
        for host, expected in [("kring.example.org", 101),
                               ("kring.example.org:443", 101),
                               ("127.0.0.1:%d" % self.server.port, 101),
                               ("localhost", 101),
                               ("evil.example", 403)]:
            with self.subTest(host=host):
                status, raw = await RawSocket.upgrade(
                    self.server, host, "https://kring.example.org")
                raw.close()
                self.assertEqual(status, expected)

    async def test_own_origin_refused_when_origins_configured(self):
        await self.assert_refused("http://127.0.0.1:%d" % self.server.port)

    async def test_foreign_origins_refused(self):
        for origin in ["null", "http://kring.example.org",
                       "https://kring.example.org.evil.example",
                       "https://evil.example"]:
            with self.subTest(origin=origin):
                await self.assert_refused(origin)


def http_get(server, path):
    conn = http.client.HTTPConnection("127.0.0.1", server.port,
                                      timeout=TIMEOUT)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        body = resp.read()
        return resp.status, resp.getheader("Content-Type") or "", body
    finally:
        conn.close()


class HttpTests(ServerTestCase):
    """Static files from the real web client ($KRING_WEB_ROOT)."""

    WEB_ROOT = WEB_ROOT

    def need(self, name):
        if not os.path.isfile(os.path.join(WEB_ROOT, name)):
            self.skipTest("%s has no %s yet" % (WEB_ROOT, name))

    def test_index_is_html(self):
        self.need("index.html")
        status, ctype, body = http_get(self.server, "/")
        self.assertEqual(status, 200)
        self.assertTrue(ctype.startswith("text/html"), ctype)
        with open(os.path.join(WEB_ROOT, "index.html"), "rb") as f:
            self.assertEqual(body, f.read())

    def test_app_js_has_javascript_type(self):
        self.need("app.js")
        status, ctype, body = http_get(self.server, "/app.js")
        self.assertEqual(status, 200)
        self.assertIn("javascript", ctype)
        with open(os.path.join(WEB_ROOT, "app.js"), "rb") as f:
            self.assertEqual(body, f.read())

    def test_every_catalog_is_served_as_json_from_its_folder(self):
        folder = os.path.join(WEB_ROOT, "i18n")
        if not os.path.isdir(folder):
            self.skipTest("%s has no i18n/ yet" % WEB_ROOT)
        names = sorted(os.listdir(folder))
        self.assertIn("ar.json", names)
        for name in names:
            with self.subTest(name=name):
                status, ctype, body = http_get(self.server, "/i18n/" + name)
                self.assertEqual(status, 200)
                self.assertEqual(ctype, "application/json")
                catalog = json.loads(body)
                self.assertEqual(catalog["_meta"]["language"], name[:-5])
        status, _, _ = http_get(self.server, "/i18n/")
        self.assertEqual(status, 404, "a folder is not listed")

    def test_healthz(self):
        status, _, _ = http_get(self.server, "/healthz")
        self.assertEqual(status, 200)

    def test_malformed_requests_do_not_hurt_the_server(self):
        for req in [b"BLAH\r\n\r\n",
                    b"GET /" + b"a" * 20000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
                    b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 100000
                    + b"\r\n\r\n",
                    b"GET /ws HTTP/1.1\r\nHost: x\r\n\r\n",
                    b"GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                    b"Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n",
                    b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03" + b"\0" * 64]:
            with self.subTest(req=req[:40]):
                s = socket.create_connection(("127.0.0.1", self.server.port),
                                             timeout=TIMEOUT)
                try:
                    s.sendall(req)
                    try:
                        reply = s.recv(200)
                    except (socket.timeout, ConnectionError):
                        reply = b""
                finally:
                    s.close()
                self.assertFalse(reply.startswith(b"HTTP/1.1 2"), reply)
                self.assertFalse(reply.startswith(b"HTTP/1.1 101"), reply)
                status, _, _ = http_get(self.server, "/healthz")
                self.assertEqual(status, 200)

    def test_not_found_and_traversal(self):
        for path in ["/../CMakeLists.txt", "/%2e%2e/x", "/nonexistent"]:
            with self.subTest(path=path):
                status, _, _ = http_get(self.server, path)
                self.assertEqual(status, 404)


class FixtureWebRootCase(ServerTestCase):
    """A server whose web root is a scratch folder's web/, filled by the
    class's fill_web_root(fixture, web) before the server starts."""

    @classmethod
    def setUpClass(cls):
        cls.fixture = tempfile.mkdtemp(prefix="kring-web-")
        web = os.path.join(cls.fixture, "web")
        os.makedirs(web)
        cls.WEB_ROOT = web
        try:
            cls.fill_web_root(cls.fixture, web)
            super().setUpClass()
        except BaseException:
            shutil.rmtree(cls.fixture, ignore_errors=True)
            raise

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(cls.fixture, ignore_errors=True)


class HttpTraversalTests(FixtureWebRootCase):
    """A fixture web root with a secret file next to it: no request path
    may reach the secret."""

    SECRET = b"kring-traversal-secret-7f3a"

    @classmethod
    def fill_web_root(cls, fixture, web):
        os.makedirs(os.path.join(web, "sub"))
        with open(os.path.join(fixture, "secret.txt"), "wb") as f:
            f.write(cls.SECRET)
        with open(os.path.join(web, "index.html"), "wb") as f:
            f.write(b"<!doctype html><title>fixture</title>")
        with open(os.path.join(web, "app.js"), "wb") as f:
            f.write(b"console.log('fixture');")
        with open(os.path.join(web, "sub", "x.txt"), "wb") as f:
            f.write(b"sub")
        # links that lead out of the web root, and one that stays inside
        os.symlink(os.path.join(fixture, "secret.txt"),
                   os.path.join(web, "x"))
        os.symlink("..", os.path.join(web, "up"))
        os.symlink("app.js", os.path.join(web, "alias.js"))

    def test_fixture_files_served(self):
        status, ctype, body = http_get(self.server, "/")
        self.assertEqual((status, body),
                         (200, b"<!doctype html><title>fixture</title>"))
        self.assertTrue(ctype.startswith("text/html"), ctype)
        status, ctype, body = http_get(self.server, "/app.js")
        self.assertEqual(status, 200)
        self.assertIn("javascript", ctype)
        self.assertEqual(http_get(self.server, "/alias.js")[2], body)

    def test_paths_outside_web_root_are_404(self):
        for path in ["/../secret.txt", "/%2e%2e/secret.txt",
                     "/%2E%2E/secret.txt", "/sub/../../secret.txt",
                     "/sub/%2e%2e/%2e%2e/secret.txt", "/..%2fsecret.txt",
                     "/%2e%2e%2fsecret.txt", "/....//secret.txt",
                     "//secret.txt", "/..\\secret.txt", "/%2e%2e/x",
                     "/nonexistent", "/x", "/up/secret.txt"]:
            with self.subTest(path=path):
                status, _, body = http_get(self.server, path)
                self.assertNotIn(self.SECRET, body)
                self.assertEqual(status, 404)


def http_get_with(server, path, headers):
    conn = http.client.HTTPConnection("127.0.0.1", server.port,
                                      timeout=TIMEOUT)
    try:
        conn.request("GET", path, headers=headers)
        resp = conn.getresponse()
        return resp.status, dict(resp.getheaders()), resp.read()
    finally:
        conn.close()


class GzipTests(FixtureWebRootCase):
    """The gzipped copies an install leaves beside the web client's files
    (deploy/compress_web_client.cmake) go to browsers that take gzip."""

    APP = b"console.log('the circle, unpacked');\n" * 40

    @classmethod
    def fill_web_root(cls, fixture, web):
        def put(name, data):
            with open(os.path.join(web, name), "wb") as f:
                f.write(data)
        put("index.html", b"<!doctype html><title>gzip</title>")
        put("index.html.gz", gzip.compress(b"<!doctype html><title>gzip</title>"))
        put("app.js", cls.APP)
        put("app.js.gz", gzip.compress(cls.APP))
        put("plain.css", b"body{}")
        put("app-3FFH6JNU.js", cls.APP)
        put("app-3FFH6JNU.js.gz", gzip.compress(cls.APP))
        # A copy older than its file was made before the file changed.
        put("stale.js", b"new();")
        put("stale.js.gz", gzip.compress(b"old();"))
        old = time.time() - 3600
        os.utime(os.path.join(web, "stale.js.gz"), (old, old))
        # A copy that is a link out of the web root is not a copy.
        put(os.path.join("..", "outside.gz"), gzip.compress(b"outside();"))
        put("linked.js", b"linked();")
        os.symlink(os.path.join(fixture, "outside.gz"),
                   os.path.join(web, "linked.js.gz"))

    def get(self, path, accept=None, **more):
        headers = dict(more)
        if accept is not None:
            headers["Accept-Encoding"] = accept
        return http_get_with(self.server, path, headers)

    def test_a_bundle_named_by_its_content_is_kept_a_year_and_the_rest_checked_each_time(self):
        for accept in ["gzip", None]:
            with self.subTest(accept=accept):
                status, headers, _ = self.get("/app-3FFH6JNU.js", accept)
                self.assertEqual(status, 200)
                self.assertEqual(headers.get("Cache-Control"), "public, max-age=31536000, immutable")
                self.assertEqual(headers.get("Referrer-Policy"), "no-referrer")
        for path in ["/app.js", "/", "/plain.css"]:
            with self.subTest(path=path):
                status, headers, _ = self.get(path, "gzip")
                self.assertEqual(status, 200)
                self.assertEqual(headers.get("Cache-Control"), "no-cache")

    def test_a_browser_that_takes_gzip_gets_the_copy(self):
        for accept in ["gzip", "gzip, deflate, br", "br;q=1.0, gzip;q=0.5",
                       "GZIP", "x-gzip", "*", "deflate, *;q=0.1"]:
            with self.subTest(accept=accept):
                status, headers, body = self.get("/app.js", accept)
                self.assertEqual(status, 200)
                self.assertEqual(headers.get("Content-Encoding"), "gzip")
                self.assertIn("javascript", headers["Content-Type"])
                self.assertEqual(headers.get("Vary"), "Accept-Encoding")
                self.assertEqual(gzip.decompress(body), self.APP)
                self.assertLess(len(body), len(self.APP) / 4)
                self.assertIn("Content-Security-Policy", headers)
        status, headers, body = self.get("/?v=1", "gzip")
        self.assertEqual(headers.get("Content-Encoding"), "gzip")
        self.assertEqual(gzip.decompress(body),
                         b"<!doctype html><title>gzip</title>")

    def test_any_other_browser_gets_the_file_itself(self):
        for accept in [None, "", "identity", "br", "gzip;q=0",
                       "gzip;q=0.000, br", "*;q=0", "gzip;q=0, *"]:
            with self.subTest(accept=accept):
                status, headers, body = self.get("/app.js", accept)
                self.assertEqual(status, 200)
                self.assertNotIn("Content-Encoding", headers)
                self.assertEqual(headers.get("Vary"), "Accept-Encoding")
                self.assertEqual(body, self.APP)

    def test_without_a_fresh_copy_of_its_own_the_file_is_sent(self):
        for path, content in [("/plain.css", b"body{}"),
                              ("/stale.js", b"new();"),
                              ("/linked.js", b"linked();")]:
            with self.subTest(path=path):
                status, headers, body = self.get(path, "gzip")
                self.assertEqual((status, body), (200, content))
                self.assertNotIn("Content-Encoding", headers)

    def test_the_copy_and_the_file_have_their_own_tags(self):
        _, zipped, _ = self.get("/app.js", "gzip")
        _, plain, _ = self.get("/app.js")
        self.assertNotEqual(zipped["ETag"], plain["ETag"])
        status, headers, body = self.get("/app.js", "gzip",
                                         **{"If-None-Match": zipped["ETag"]})
        self.assertEqual((status, body), (304, b""))
        self.assertEqual(headers.get("Vary"), "Accept-Encoding")
        status, _, body = self.get("/app.js", None,
                                   **{"If-None-Match": zipped["ETag"]})
        self.assertEqual((status, body), (200, self.APP))


class SigintTests(ServerTestCase):
    """Each test starts its own server, since it stops it. (SIGTERM: the C++
    lifecycle_test.)"""

    PER_TEST_SERVER = True

    async def asyncSetUp(self):
        self.own_server = KringServer()
        self.own_server.start()
        self.server = self.own_server
        self.addCleanup(self.own_server.cleanup)

    async def asyncTearDown(self):
        for c in self.clients:
            await c.close()

    async def test_sigint_closes_clients_1001_and_exits_0(self):
        a = await self.client("A")
        await a.join("demo")
        proc = self.own_server.proc
        t0 = time.monotonic()
        proc.send_signal(signal.SIGINT)
        await a.expect_close(1001)
        while proc.poll() is None and time.monotonic() - t0 < 5:
            await asyncio.sleep(0.05)
        self.assertIsNotNone(proc.poll(), "kring still running 5 s after "
                             "SIGINT")
        self.assertEqual(proc.returncode, 0)


if __name__ == "__main__":
    unittest.main()
