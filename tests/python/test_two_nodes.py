"""Two Kring nodes behind HAProxy, sharing one PostgreSQL (deploy/SCALING.md):
PostgreSQL, both nodes and HAProxy, configured from deploy/haproxy/kring.cfg,
are started by the test. Clients reach the nodes through HAProxy at
/ws/c/SLUG only.

Run from this directory:
  KRING_BINARY=../../build/server/kring /usr/bin/python3 -m unittest -v test_two_nodes
"""

import asyncio
import json
import re
import subprocess
import time
import unittest
import urllib.request

from haproxy_proxy import HaproxyProxy, haproxy_available
from kring_harness import BINARY, Client, KringServer, ServerTestCase
from pg_cluster import PostgresCluster

PASSWORD = "Pw-7fq2-violet-sky"
CIRCLES = ["circle-%02d" % i for i in range(12)]


class TwoNodes(ServerTestCase):
    PER_TEST_SERVER = True

    def setUp(self):
        super().setUp()
        if not haproxy_available():
            self.skipTest("haproxy is not installed (deploy/install-deps.sh --test)")
        self.cluster = PostgresCluster()
        self.addCleanup(self.cluster.cleanup)
        self.db = self.cluster.uri(self.cluster.fresh_database())
        rooms = [{"slug": slug, "title": "Circle " + slug} for slug in CIRCLES]
        moderators = [{"name": "boss", "password": PASSWORD, "admin": True},
                      {"name": "sara", "password": PASSWORD, "rooms": CIRCLES}]
        args = ["--trusted-proxy", "127.0.0.1"]
        self.nodes = [KringServer(args, rooms=rooms, moderators=moderators, db=self.db),
                      KringServer(args, db=self.db)]
        for node in self.nodes:
            node.start()
            self.addCleanup(node.cleanup)
        self.proxy = HaproxyProxy(self.nodes).start()
        self.addCleanup(self.proxy.cleanup)
        self.server = self.proxy

    def node_of(self, member_id):
        """Which node (0 or 1) logged this member's join."""
        found = []
        for i, node in enumerate(self.nodes):
            with open(node.log_path, errors="replace") as f:
                if ("id=%s " % member_id) in f.read():
                    found.append(i)
        self.assertEqual(len(found), 1, "member %s is on %r nodes" % (member_id, found))
        return found[0]

    async def on_circle(self, slug, label, **hello):
        c = await Client.connect(self.proxy, label, path="/ws/c/" + slug)
        self.clients.append(c)
        await c.hello(**hello)
        return c

    async def seat(self, slug, count):
        """`count` members join `slug` through HAProxy; returns (clients, node)."""
        clients, nodes = [], set()
        for i in range(count):
            c = await self.on_circle(slug, "%s/%d" % (slug, i))
            joined = await c.join(slug)
            c.mid = joined["you"]["id"]
            for earlier in clients:
                await earlier.expect("member_joined", room=slug)
            clients.append(c)
            nodes.add(self.node_of(c.mid))
        self.assertEqual(len(nodes), 1, "%s is on both nodes" % slug)
        return clients, nodes.pop()

    async def login(self, slug, user, label):
        c = await self.on_circle(slug, label)
        await c.send({"type": "login", "user": user, "password": PASSWORD, "ref": "login"})
        c.login_token = (await c.expect("logged_in"))["token"]
        return c

    def directory(self, node):
        with urllib.request.urlopen("http://127.0.0.1:%d/api/circles" % node.port, timeout=5) as answer:
            listing = json.load(answer)
        return {c["slug"]: c["present"] for c in listing["circles"]}

    async def test_two_nodes_route_share_bans_logins_and_the_directory_and_survive_losing_one(self):
        # Every member of a circle lands on the same node; the circles spread over both.
        seated = {}
        for slug in CIRCLES:
            seated[slug] = await self.seat(slug, 2)
        on = {i: [slug for slug in CIRCLES if seated[slug][1] == i] for i in (0, 1)}
        self.assertTrue(on[0] and on[1], "every circle went to one node: %r" % on)
        first, second = on[0][0], on[1][0]

        # The directory on either node counts the members on both.
        deadline = time.monotonic() + 10
        while True:
            counts = [self.directory(node) for node in self.nodes]
            if all({slug: c.get(slug) for slug in CIRCLES} == {slug: 2 for slug in CIRCLES} for c in counts):
                break
            self.assertLess(time.monotonic(), deadline, "the directories said %r" % counts)
            await asyncio.sleep(0.2)

        # A server ban made on node 1 refuses the banned device on node 2 within 2 s.
        boss = await self.login(first, "boss", "boss on node 1")
        await boss.join(first)
        device = "two-nodes-device-0001-banned"
        p = await self.on_circle(first, "P on node 1", device=device)
        joined = await p.join(first)
        for c in seated[first][0] + [boss]:
            await c.expect("member_joined", room=first)
        await boss.send({"type": "ban", "room": first, "member": joined["you"]["id"], "scope": "server",
                         "ref": "ban"})
        await boss.expect_frames(("ok", {"ref": "ban"}), ("banned", {"room": first}))
        banned_at = time.monotonic()
        while True:
            q = await self.on_circle(second, "P on node 2", device=device)
            await q.send({"type": "join", "room": second, "ref": "j"})
            answer = await q.recv()
            if answer["type"] == "error" and answer.get("code") == "banned":
                break
            self.assertEqual(answer["type"], "joined")
            self.assertLess(time.monotonic() - banned_at, 2.0, "node 2 let the banned device in after 2 s")
            # Not banned there yet: it leaves, and tries again.
            await q.send({"type": "leave", "room": second})
            await q.expect("left", room=second)
            await q.close()
            for c in seated[second][0]:
                await c.expect("member_joined", room=second)
                await c.expect("member_left", room=second)
            await asyncio.sleep(0.1)

        # A login ended through node 2 (logout) ends its connection on node 1 within 2 s.
        sara_a = await self.login(first, "sara", "sara's first login on node 1")
        token = sara_a.login_token
        sara_b = await Client.connect(self.proxy, "the same login on node 2", path="/ws/c/" + second)
        self.clients.append(sara_b)
        await sara_b.send({"type": "hello", "v": 1, "auth": token})
        welcome = await sara_b.expect("welcome")
        self.assertEqual(welcome.get("role"), "moderator")
        await sara_b.send({"type": "logout", "ref": "out"})
        await sara_b.expect("logged_out")
        logged_out_at = time.monotonic()
        await sara_a.expect_close(4003, timeout=2.5)
        self.assertLess(time.monotonic() - logged_out_at, 2.5)

        # A moderator disabled from the command line loses her connections on both nodes within 2 s.
        sara_1 = await self.login(first, "sara", "sara on node 1")
        sara_2 = await self.login(second, "sara", "sara on node 2")
        res = subprocess.run([BINARY, "moderator", "disable", "sara", "--db", self.db],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
        self.assertEqual(res.returncode, 0, res.stderr)
        disabled_at = time.monotonic()
        for sara in (sara_1, sara_2):
            await sara.expect_close(4003, timeout=2.5)
        self.assertLess(time.monotonic() - disabled_at, 2.5)

        # Node 1 dies (SIGKILL): its circles move to node 2, and their members get back in.
        acknowledged = [row for row in self.audit() if row[0] == "ban"]
        self.assertEqual(len(acknowledged), 1)
        self.nodes[0].kill()
        for slug in on[0]:
            for c in seated[slug][0]:
                await c.expect_close(None, or_dropped=True)
        deadline = time.monotonic() + 15
        for slug in on[0]:
            while True:
                try:
                    back = await self.on_circle(slug, "back in " + slug)
                    again = await back.join(slug)
                    break
                except (AssertionError, OSError, Exception) as e:  # the proxy may still try node 1
                    self.assertLess(time.monotonic(), deadline, "could not get back into %s: %s" % (slug, e))
                    await asyncio.sleep(0.3)
            self.assertEqual(self.node_of(again["you"]["id"]), 1)
        # The dead node stops counting in the directory: node 2 counts only who is back.
        deadline = time.monotonic() + 20
        while True:
            counts = self.directory(self.nodes[1])
            if all(counts.get(slug) == 1 for slug in on[0]):
                break
            self.assertLess(time.monotonic(), deadline, "node 2's directory said %r" % counts)
            await asyncio.sleep(0.5)
        # No acknowledged moderation action was lost with node 1.
        self.assertEqual([row for row in self.audit() if row[0] == "ban"], acknowledged)
        self.assertIn(("ban", first), [(row[0], row[1]) for row in self.audit()])

    def audit(self):
        name = re.search(r"/(kring_test_\d+)\?", self.db).group(1)
        rows = self.cluster.psql("SELECT action, room, target FROM audit ORDER BY id", name)
        return [tuple(line.split("|")) for line in rows.splitlines()]


if __name__ == "__main__":
    unittest.main()
