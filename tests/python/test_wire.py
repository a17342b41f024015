"""What reaches the wire when Kring's batched writes and the WebSocket's own
frames meet: a circle's messages leave many to one system call, and the
pongs, pings and close frames the server writes itself must come between
two batches, never inside a frame. These clients read the raw bytes, so a
frame cut by another would not parse. (Whether a write is still on its way
when a pong comes depends on the kernel's socket buffers; the unit test of
batch_stream makes that happen every time.)

    cd tests/python && /usr/bin/python3 -m unittest -v test_wire
    KRING_FRONT=tls /usr/bin/python3 -m unittest -v test_wire
"""

import asyncio
import json
import time
import unittest

from kring_harness import FAST_CLIENTS, RawSocket, ServerTestCase


async def raw_member(server, room, receive_buffer=None):
    """A raw client that said hello and joined `room`; returns it and the
    seq the room was at."""
    raw = await RawSocket.open(server, receive_buffer=receive_buffer)
    raw.send_frame(0x1, b'{"type":"hello","v":1}')
    welcome = await raw.read_json()
    assert welcome["type"] == "welcome", welcome
    raw.send_frame(0x1, json.dumps({"type": "join", "room": room}).encode())
    joined = await raw.read_json()
    assert joined["type"] == "joined", joined
    return raw, joined["seq"]


class WireBase(ServerTestCase):
    """Helpers only; no tests here."""

    FRONTS = ("tls",)  # TLS records carry the same batches

    async def flood(self, speaker, room, count, text, pause=0.0):
        """`count` messages from `speaker`, who reads its own copies as they
        come back (so that it is never the slow reader)."""
        async def drain():
            got = 0
            while got < count:
                m = json.loads(await asyncio.wait_for(speaker.ws.recv(), 20))
                got += m["type"] == "message"
        draining = asyncio.ensure_future(drain())
        for i in range(count):
            await speaker.ws.send(json.dumps(
                {"type": "say", "room": room, "text": "%s %d" % (text, i)}))
            if pause:
                await asyncio.sleep(pause)
        await draining

    def answer_control(self, raw, frame, pongs):
        """Keeps a pong's payload, answers the server's own ping."""
        if frame[0] == 0xA:
            pongs.append(frame[1])
        elif frame[0] == 0x9:
            raw.send_frame(0xA, frame[1])
        return frame[0] in (0x9, 0xA)

    def check_message(self, frame, seq, seen):
        """A text frame must be one whole message, the next in the room."""
        opcode, payload = frame
        self.assertEqual(opcode, 0x1, "a data frame is text: %r" % (frame,))
        m = json.loads(payload.decode("utf-8"))  # a cut frame fails here
        if m["type"] != "message":
            return seq
        self.assertEqual(m["seq"], seq + 1, "messages in order, none lost")
        seen.append(m["text"])
        return m["seq"]

class ClientControlFrameTests(WireBase):
    # Room for a member who reads slowly on purpose.
    SERVER_ARGS = FAST_CLIENTS + ["--max-send-queue-bytes", "67108864"]

    async def test_pongs_come_between_batches_and_every_message_is_whole(self):
        room = "demo"
        # A small socket buffer, and a pause around each ping: the server's
        # write to this member stops half-way before the ping comes, so its
        # pong meets a batch that is still going out.
        raw, seq = await raw_member(self.server, room, receive_buffer=4096)
        speaker = await self.client("speaker")
        await speaker.join(room)
        await raw.read_json()  # member_joined
        count = 3000
        text = "x" * 1900
        flooding = asyncio.ensure_future(self.flood(speaker, room, count, text))
        pings = [("ping %d" % i).encode() for i in range(12)]
        pongs, seen = [], []
        try:
            sent = 0
            while len(seen) < count:
                if sent < len(pings) and len(seen) >= sent * (count // 15):
                    await asyncio.sleep(0.3)
                    raw.send_frame(0x9, pings[sent])
                    sent += 1
                    await asyncio.sleep(0.05)
                frame = await raw.read_frame(timeout=10)
                self.assertIsNotNone(frame, "the connection ended")
                if not self.answer_control(raw, frame, pongs):
                    seq = self.check_message(frame, seq, seen)
            while len(pongs) < sent:
                frame = await raw.read_frame(timeout=5)
                self.assertIsNotNone(frame)
                if not self.answer_control(raw, frame, pongs):
                    seq = self.check_message(frame, seq, seen)
        finally:
            await flooding
            raw.close()
        self.assertEqual(sent, len(pings))
        self.assertEqual(pongs, pings, "each ping answered once, in order")
        self.assertEqual(seen, ["%s %d" % (text, i) for i in range(count)])

class ServerPingTests(WireBase):
    # The server pings a member it has not heard from for half of this.
    SERVER_ARGS = FAST_CLIENTS + ["--idle-timeout", "2"]

    async def test_server_pings_between_batches_to_a_member_who_only_listens(self):
        room = "demo"
        raw, seq = await raw_member(self.server, room)
        speaker = await self.client("speaker")
        await speaker.join(room)
        await raw.read_json()  # member_joined
        # About three seconds of messages: past the half of --idle-timeout
        # after which the server pings a member it has not heard from.
        count = 1500
        flooding = asyncio.ensure_future(
            self.flood(speaker, room, count, "listen", pause=0.002))
        pings, seen = 0, []
        started = time.monotonic()
        try:
            while len(seen) < count:
                frame = await raw.read_frame(timeout=10)
                self.assertIsNotNone(frame, "the listener was dropped")
                if frame[0] == 0x9:
                    pings += 1
                    raw.send_frame(0xA, frame[1])
                    continue
                seq = self.check_message(frame, seq, seen)
        finally:
            await flooding
            raw.close()
        self.assertGreater(time.monotonic() - started, 2.0)
        self.assertGreaterEqual(pings, 1, "the server pinged during the flood")
        self.assertEqual(len(seen), count)

class ClientCloseTests(WireBase):
    SERVER_ARGS = FAST_CLIENTS

    async def test_a_close_during_a_flood_is_answered_last(self):
        room = "demo"
        raw, seq = await raw_member(self.server, room)
        speaker = await self.client("speaker")
        await speaker.join(room)
        await raw.read_json()  # member_joined
        count = 2000
        flooding = asyncio.ensure_future(
            self.flood(speaker, room, count, "y" * 1000))
        seen = []
        try:
            while len(seen) < 200:
                seq = self.check_message(await raw.read_frame(timeout=10),
                                         seq, seen)
            raw.send_frame(0x8, (1000).to_bytes(2, "big") + b"bye")
            after = []
            while True:
                frame = await raw.read_frame(timeout=5)
                if frame is None:
                    break
                after.append(frame)
        finally:
            await flooding
            raw.close()
        self.assertTrue(after, "the server answered the close")
        closing = [i for i, f in enumerate(after) if f[0] == 0x8]
        self.assertEqual(closing, [len(after) - 1],
                         "one close frame, and nothing after it")
        self.assertEqual(int.from_bytes(after[-1][1][:2], "big"), 1000)
        for frame in after[:-1]:
            seq = self.check_message(frame, seq, seen)
        # The speaker, and the circle, go on: the member who closed is away
        # until the resume grace ends.
        await speaker.expect("member_away")
        await speaker.ping()


if __name__ == "__main__":
    unittest.main()
