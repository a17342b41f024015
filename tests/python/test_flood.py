"""A flood against the real binary: one connection sends 200 `say` as fast
as it can; the others in the circle receive at most the burst (plus what
the rate refills while the flood lasts), the flooder gets `rate_limited`
errors with `seconds` and is then closed with 1008. Default limits: 10 at
once and 5 a second per connection (protocol/README.md, "Limits").

Run from this directory:  /usr/bin/python3 -m unittest -v test_flood
"""

import asyncio
import math
import time

import websockets.exceptions

from kring_harness import ServerTestCase

BURST = 10
RATE = 5  # a second


def room(slug):
    return {"slug": slug, "title": "Room " + slug, "capacity": 12,
            "code": None}


class FloodTests(ServerTestCase):
    SERVER_ARGS = ["--threads", "2"]  # the default message limits
    ROOMS = [room("flood")]

    async def test_a_flood_of_says_reaches_the_others_at_most_as_the_burst(
            self):
        flooder = await self.client("flooder")
        listeners = [await self.client("L%d" % i) for i in range(2)]
        await flooder.join("flood")
        for i, c in enumerate(listeners):
            await c.join("flood")
            for earlier in [flooder] + listeners[:i]:
                await earlier.expect("member_joined")

        started = time.monotonic()
        for i in range(200):
            try:
                await flooder.send({"type": "say", "room": "flood",
                                    "text": "flood %d" % i, "ref": str(i)})
            except websockets.exceptions.ConnectionClosed:
                break  # closed for flooding before all 200 were sent
        frames = await flooder.expect_close(1008)
        lasted = time.monotonic() - started

        own = [f for f in frames if '"type":"message"' in f]
        refused = [f for f in frames if '"code":"rate_limited"' in f]
        # The join took one of the burst.
        self.assertGreaterEqual(len(own), BURST - 1, "the burst is let through")
        self.assertGreater(len(refused), 0)
        self.assertTrue(all('"seconds":' in f for f in refused), refused[:3])
        ceiling = BURST + math.ceil(RATE * lasted)
        for c in listeners:
            got = []
            while True:
                try:
                    got.append(await c.recv(timeout=0.5))
                except AssertionError:
                    break  # half a second of silence: the flood is over
            messages = [m for m in got if m["type"] == "message"]
            self.assertGreaterEqual(len(messages), BURST - 1)
            self.assertLessEqual(len(messages), ceiling,
                                 "%s received %d of the flood in %.2f s"
                                 % (c.label, len(messages), lasted))
            self.assertEqual(len(messages), len(own),
                             "the others got exactly what was let through")


if __name__ == "__main__":
    import unittest
    unittest.main()
