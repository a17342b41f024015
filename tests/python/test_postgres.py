"""Kring on PostgreSQL: the real binary with --db postgresql://..., against a
real PostgreSQL server the tests start in a scratch folder (pg_cluster.py).

Run from this directory:
  KRING_BINARY=../../build/server/kring /usr/bin/python3 -m unittest -v test_postgres
"""

import asyncio
import json
import os
import subprocess
import tempfile
import time
import unittest

from kring_harness import BINARY, KringServer, ServerTestCase, TIMEOUT
from pg_cluster import PostgresCluster

PASSWORD = "Pw-7fq2-violet-sky"
cluster = None


def setUpModule():
    global cluster
    cluster = PostgresCluster(tcp=True)


def tearDownModule():
    if cluster is not None:
        cluster.cleanup()


def kring(*args, input=None):
    res = subprocess.run([BINARY] + [str(a) for a in args], input=(input or "").encode(),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
    res.stdout = res.stdout.decode("utf-8", "replace")
    res.stderr = res.stderr.decode("utf-8", "replace")
    return res


class PostgresTestCase(ServerTestCase):
    PER_TEST_SERVER = True

    def database(self, **uri):
        return cluster.uri(cluster.fresh_database(), **uri)

    def serve(self, db, rooms=(), moderators=()):
        server = KringServer(rooms=rooms, moderators=moderators, db=db)
        server.start()
        self.addCleanup(server.cleanup)
        self.own_server = server
        return server

    async def login(self, server, user="sara", label=None):
        self.server = server
        c = await self.client(label or user)
        await c.send({"type": "login", "user": user, "password": PASSWORD, "ref": "login"})
        c.login = await c.expect("logged_in")
        return c


class ServeOnPostgres(PostgresTestCase):
    async def test_circles_moderators_and_the_audit_live_in_postgresql(self):
        # The password in the URI (PostgreSQL here trusts loopback, so any
        # password passes) must never reach the log or the output.
        db = self.database(tcp=True, password="s3cret-in-uri")
        server = self.serve(db, rooms=[{"slug": "tea", "title": "Tea circle"}],
                            moderators=[{"name": "sara", "password": PASSWORD, "rooms": ["tea"]}])
        self.server = server
        p = await self.client("p")
        joined = await p.join("tea")
        mod = await self.login(server)
        await mod.join("tea")
        await p.expect("member_joined", room="tea")
        await mod.send({"type": "mute", "room": "tea", "member": joined["you"]["id"], "ref": "m"})
        await mod.expect_frames(("ok", {"ref": "m"}), ("muted", {"room": "tea"}))

        name = db.rsplit("/", 1)[1]
        rows = cluster.psql("SELECT action || ' ' || room FROM audit ORDER BY id", name).splitlines()
        self.assertEqual([r.split(" ")[0] for r in rows],
                         ["room_add", "moderator_add", "moderator_assign", "login", "mute"])
        self.assertEqual(rows[-1], "mute tea")
        self.assertEqual(cluster.psql("SELECT title FROM rooms WHERE slug = 'tea'", name), "Tea circle")
        # kring audit reads the same rows.
        audited = [json.loads(line)["action"] for line in
                   kring("audit", "--format", "jsonl", "--db", db).stdout.splitlines()]
        self.assertIn("mute", audited)
        self.assertNotIn("s3cret-in-uri", server.log())

    async def test_two_nodes_share_one_database(self):
        db = self.database()
        first = self.serve(db, rooms=[{"slug": "tea", "title": "Tea circle"}],
                           moderators=[{"name": "sara", "password": PASSWORD, "rooms": ["tea"]}])
        # A second node on the same database starts: no lock keeps it out.
        second = self.serve(db)
        # A circle added from the command line is found by both.
        res = kring("room", "add", "walk", "--title", "Walking circle", "--db", db)
        self.assertEqual(res.returncode, 0, res.stderr)
        for node in (first, second):
            self.server = node
            c = await self.client("on %d" % node.port)
            joined = await c.join("walk")
            self.assertEqual(joined["room"]["slug"], "walk")
            await c.close()
        # A login made on one node is checked against the same accounts on the other.
        await self.login(first, label="sara on 1")
        await self.login(second, label="sara on 2")


class AcrossNodes(PostgresTestCase):
    """What one node's moderators and admin commands change reaches the
    other nodes on the same database as it is committed (LISTEN/NOTIFY)."""

    async def test_a_server_ban_on_one_node_refuses_the_device_on_the_other_within_two_seconds(self):
        db = self.database()
        first = self.serve(db, rooms=[{"slug": "tea", "title": "Tea circle"},
                                      {"slug": "walk", "title": "Walking circle"}],
                           moderators=[{"name": "boss", "password": PASSWORD, "admin": True}])
        second = self.serve(db)
        device = "pg-device-0001-across-nodes"
        # Before the ban, the device is welcome on node 2.
        self.server = second
        before = await self.client("P on 2, before", device=device)
        await before.join("walk")
        await before.close()

        boss = await self.login(first, "boss")
        self.server = first
        p = await self.client("P on 1", device=device)
        await boss.join("tea")
        joined = await p.join("tea")
        await boss.expect("member_joined", room="tea")
        await boss.send({"type": "ban", "room": "tea", "member": joined["you"]["id"], "scope": "server",
                         "ref": "b"})
        await boss.expect_frames(("ok", {"ref": "b"}), ("banned", {"room": "tea"}))
        banned_at = time.monotonic()

        self.server = second
        while True:
            c = await self.client("P on 2, after", device=device)
            await c.send({"type": "join", "room": "walk"})
            answer = await c.recv()
            await c.close()
            if answer["type"] == "error" and answer.get("code") == "banned":
                break
            self.assertEqual(answer["type"], "joined")
            self.assertLess(time.monotonic() - banned_at, 2.0, "the ban did not reach node 2 within 2 s")
            await asyncio.sleep(0.1)
        # Lifted from the command line, it ends on both nodes.
        ban_id = cluster.psql("SELECT id FROM bans", db.split("?")[0].rsplit("/", 1)[1])
        res = kring("ban", "lift", ban_id, "--db", db)
        self.assertEqual(res.returncode, 0, res.stderr)
        for node in (first, second):
            self.server = node
            while True:
                c = await self.client("P after the lift", device=device)
                await c.send({"type": "join", "room": "walk"})
                answer = await c.recv()
                await c.close()
                if answer["type"] == "joined":
                    break
                self.assertLess(time.monotonic() - banned_at, 10.0, "the lift did not reach the node")
                await asyncio.sleep(0.1)

    async def test_a_circle_edited_from_the_command_line_changes_while_it_runs(self):
        db = self.database()
        node = self.serve(db, rooms=[{"slug": "tea", "title": "Tea circle"}])
        self.server = node
        a = await self.client("a")
        b = await self.client("b")
        c = await self.client("c")
        await a.join("tea")
        await b.join("tea")
        await a.expect("member_joined", room="tea")
        res = kring("room", "edit", "tea", "--quiet-arrivals", "--db", db)
        self.assertEqual(res.returncode, 0, res.stderr)
        # No join reads the circle again: the notification alone carries it.
        await asyncio.sleep(1.0)
        await b.send({"type": "leave", "room": "tea", "ref": "l"})
        await b.expect("left", room="tea")
        await a.expect_silence(0.5)  # departures are now told to moderators only
        await c.join("tea")
        await a.expect_silence(0.3)


class BackupAndRestore(PostgresTestCase):
    def test_backup_is_a_checked_pg_dump_and_restore_points_to_pg_restore(self):
        db = self.database(tcp=True, password="s3cret-in-uri")
        self.assertEqual(kring("room", "add", "tea", "--title", "Tea circle", "--db", db).returncode, 0)
        folder = tempfile.mkdtemp(prefix="kring-pg-backup-")
        self.addCleanup(lambda: subprocess.run(["rm", "-rf", folder]))
        file = os.path.join(folder, "kring.dump")
        res = kring("backup", file, "--db", db)
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertNotIn("s3cret-in-uri", res.stdout + res.stderr)
        self.assertIn("to " + file, res.stdout)
        with open(file, "rb") as f:
            self.assertEqual(f.read(5), b"PGDMP")  # pg_dump's custom format
        self.assertEqual(os.listdir(folder), ["kring.dump"])  # no partial file left
        listing = subprocess.run([os.path.join(cluster.bin, "pg_restore"), "--list", file],
                                 stdout=subprocess.PIPE, check=True).stdout.decode()
        self.assertIn("TABLE public rooms", listing)
        # Restored into a new database, it holds the circle.
        target = cluster.fresh_database()
        subprocess.run([os.path.join(cluster.bin, "pg_restore"), "--no-owner", "-d", cluster.uri(target), file],
                       check=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.assertEqual(cluster.psql("SELECT slug FROM rooms", target), "tea")

        res = kring("restore", file, "--db", db)
        self.assertEqual(res.returncode, 1)
        self.assertIn("pg_restore", res.stderr)
        self.assertNotIn("s3cret-in-uri", res.stderr)

    def test_a_backup_that_fails_leaves_the_previous_one(self):
        folder = tempfile.mkdtemp(prefix="kring-pg-backup-")
        self.addCleanup(lambda: subprocess.run(["rm", "-rf", folder]))
        file = os.path.join(folder, "kring.dump")
        with open(file, "wb") as f:
            f.write(b"the previous backup")
        # A database that does not exist: pg_dump fails.
        res = kring("backup", file, "--db", cluster.uri("no_such_database"))
        self.assertEqual(res.returncode, 1)
        self.assertIn("kring backup:", res.stderr)
        with open(file, "rb") as f:
            self.assertEqual(f.read(), b"the previous backup")
        self.assertEqual(os.listdir(folder), ["kring.dump"])


class DatabaseGoesAway(PostgresTestCase):
    async def test_chat_goes_on_and_staff_get_database_unavailable_until_it_is_back(self):
        # Its own server: this test stops and starts PostgreSQL.
        own = PostgresCluster()
        self.addCleanup(own.cleanup)
        db = own.uri(own.fresh_database())
        server = self.serve(db, rooms=[{"slug": "tea", "title": "Tea circle"}],
                            moderators=[{"name": "sara", "password": PASSWORD, "rooms": ["tea"]}])
        self.server = server
        a = await self.client("a")
        b = await self.client("b")
        await a.join("tea")
        await b.join("tea")
        await a.expect("member_joined", room="tea")

        own.stop()
        # Chat needs no database: it goes on.
        await a.say("tea", "still here")
        got = await b.expect("message", room="tea")
        self.assertEqual(got["text"], "still here")
        # A login does: it is refused with a code of its own, and the server lives on.
        mod = await self.client("sara")
        await mod.send({"type": "login", "user": "sara", "password": PASSWORD, "ref": "login"})
        await mod.expect_error("database_unavailable", ref="login")

        own.start()
        # The store connects again on its own: the same request now succeeds.
        await mod.send({"type": "login", "user": "sara", "password": PASSWORD, "ref": "login"})
        await mod.expect("logged_in")
        self.assertTrue(server.alive())
        self.assertNotIn("still here", server.log())


class UnreachableAtStart(unittest.TestCase):
    def test_serve_says_which_database_it_cannot_reach_and_exits(self):
        res = subprocess.run([BINARY, "serve", "--listen", "127.0.0.1:0",
                              "--db", "postgresql://kring:s3cret@127.0.0.1:1/kring?connect_timeout=2"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
        err = res.stderr.decode("utf-8", "replace")
        self.assertNotEqual(res.returncode, 0)
        self.assertIn("cannot reach PostgreSQL at postgresql://kring:***@127.0.0.1:1/kring", err)
        self.assertNotIn("s3cret", err)


if __name__ == "__main__":
    unittest.main()
