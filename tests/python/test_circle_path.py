"""The per-circle WebSocket path (protocol/README.md, the top): a connection
opened at /ws/c/SLUG joins that circle only, so that a reverse proxy can
send every member of a circle to one node.

Run from this directory:
  KRING_BINARY=../../build/server/kring /usr/bin/python3 -m unittest -v test_circle_path
"""

import unittest

from kring_harness import Client, RawSocket, ServerTestCase


class CirclePath(ServerTestCase):
    ROOMS = [{"slug": "tea", "title": "Tea circle"}, {"slug": "walk", "title": "Walking circle"}]

    async def on_path(self, path, label):
        c = await Client.connect(self.server, label, path=path)
        self.clients.append(c)
        await c.hello()
        return c

    async def test_a_connection_for_one_circle_joins_it_and_no_other(self):
        a = await self.on_path("/ws/c/tea", "a")
        joined = await a.join("tea")
        self.assertEqual(joined["room"]["slug"], "tea")
        await a.send({"type": "join", "room": "walk", "ref": "w"})
        error = await a.expect_error("wrong_circle", ref="w")
        self.assertIn("tea", error["message"])
        # Everything else is the same: the members of /ws and /ws/c/tea meet.
        b = await self.client("b")
        await b.join("tea")
        await a.expect("member_joined", room="tea")
        await a.say("tea", "hello from the circle's own path")
        got = await b.expect("message", room="tea")
        self.assertEqual(got["text"], "hello from the circle's own path")
        # /ws still joins any circle.
        await b.join("walk")

    async def test_malformed_circle_paths_are_refused_before_the_upgrade(self):
        for path in ("/ws/c/", "/ws/c/Tea", "/ws/c/tea/more", "/ws/c/tea?x=1", "/ws/c/t%65a", "/ws/c",
                     "/ws/circle/tea", "/ws/c/" + "a" * 65):
            status, raw = await RawSocket.upgrade(self.server, path=path)
            raw.close()
            self.assertEqual(status, 404, path)
        status, raw = await RawSocket.upgrade(self.server, path="/ws/c/" + "a" * 64)
        raw.close()
        self.assertEqual(status, 101)

    async def test_a_circle_that_does_not_exist_is_no_such_room_on_its_path(self):
        c = await self.on_path("/ws/c/nowhere", "c")
        await c.send({"type": "join", "room": "nowhere", "ref": "n"})
        await c.expect_error("no_such_room", ref="n")


if __name__ == "__main__":
    unittest.main()
