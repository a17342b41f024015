"""`kring backup` and `kring restore` through the real binary, driven by an
independent client (Debian's websockets 10.4): a backup taken while
clients chat and a moderator acts passes PRAGMA integrity_check (read here
with Python's own sqlite3) and, restored into the stopped server's
database, holds every moderator's action acknowledged before it began.

Run from this directory:
  KRING_BINARY=../../build/server/kring /usr/bin/python3 -m unittest -v \
      test_backup
"""

import asyncio
import collections
import os
import sqlite3
import subprocess
import time
import unittest

import websockets.exceptions

from kring_harness import (BINARY, on_postgresql, Client, FAST_CLIENTS, KringServer,
                           ServerTestCase)

PASSWORD = "lantern-Pw-7fq2-violet"


def integrity(path):
    db = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    try:
        return [row[0] for row in db.execute("PRAGMA integrity_check")]
    finally:
        db.close()


def moderator_rows(path):
    """(action, target, detail) of sara's audit rows in a database file."""
    db = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    try:
        return collections.Counter(
            db.execute("SELECT action, target, detail FROM audit "
                       "WHERE actor = 'sara'").fetchall())
    finally:
        db.close()


def kring(*args, check=True):
    res = subprocess.run([BINARY] + [str(a) for a in args],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         timeout=60)
    res.stdout = res.stdout.decode("utf-8", "replace")
    res.stderr = res.stderr.decode("utf-8", "replace")
    if check and res.returncode != 0:
        raise AssertionError("kring %s exited %s\n%s%s" % (
            " ".join(map(str, args)), res.returncode, res.stdout, res.stderr))
    return res


async def drain(client):
    """Read and drop every frame until the connection ends."""
    try:
        while True:
            await client.ws.recv()
    except websockets.exceptions.ConnectionClosed:
        pass


async def chatter(client, stop, said):
    """Say something in demo again and again until `stop` is set."""
    n = 0
    while not stop.is_set():
        n += 1
        await client.send({"type": "say", "room": "demo",
                           "text": "%s keeps talking %d" % (client.label, n)})
        said[client.label] = n
        await asyncio.sleep(0.01)


@unittest.skipIf(on_postgresql(), "SQLite's backup and restore of a file; test_postgres covers pg_dump")
class BackupWhileServing(ServerTestCase):
    PER_TEST_SERVER = True

    async def asyncSetUp(self):
        # The chat is busy: asyncio's debug mode (unittest's default) would
        # spend more time recording where each future was made than talking.
        asyncio.get_running_loop().set_debug(False)
        self.own_server = KringServer(
            ["--threads", "2"] + FAST_CLIENTS,
            rooms=[{"slug": "demo", "title": "Demo circle", "capacity": 20}],
            moderators=[{"name": "sara", "password": PASSWORD,
                         "rooms": ["demo"]}])
        self.own_server.start()
        self.server = self.own_server
        self.addCleanup(self.own_server.cleanup)
        self.backups = os.path.join(self.server.dir, "backups")

    async def seated(self, label, **hello):
        c = await self.client(label, **hello)
        c.mid = (await c.join("demo"))["you"]["id"]
        return c

    async def act(self, mod, req, ref):
        """Send a moderator's request and wait for its `ok` among the chat;
        returns the monotonic time of the acknowledgement."""
        req = dict(req, ref=ref)
        await mod.send(req)
        while True:
            msg = await mod.recv()
            if msg.get("ref") == ref:
                self.assertEqual(msg["type"], "ok", msg)
                return time.monotonic()

    async def backup_now(self, n):
        path = os.path.join(self.backups, "kring-%d.db" % n)
        started = time.monotonic()
        proc = await asyncio.create_subprocess_exec(
            BINARY, "backup", path, "--db", self.server.db,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        out, err = await asyncio.wait_for(proc.communicate(), 60)
        self.assertEqual(proc.returncode, 0, err.decode())
        self.assertEqual(out.decode(), "backed up %s to %s\n"
                         % (self.server.db, path))
        return path, started

    async def test_a_backup_during_chat_and_moderation_restores_every_acknowledged_action(self):
        sara = await self.client("sara")
        await sara.send({"type": "login", "user": "sara",
                         "password": PASSWORD, "ref": "login"})
        await sara.expect("logged_in")
        await sara.join("demo")
        victim = await self.seated("victim", device="backup-victim-0001-abcdefgh")
        talkers = [await self.seated("talker%d" % i) for i in range(3)]

        # Everyone reads everything from here on; the talkers talk.
        stop = asyncio.Event()
        said = {}
        readers = [asyncio.ensure_future(drain(c)) for c in talkers + [victim]]
        talking = [asyncio.ensure_future(chatter(c, stop, said)) for c in talkers]

        acked = []  # (time of ok, (action, target, detail))
        acked.append((await self.act(sara, {"type": "ban", "room": "demo",
                                            "member": victim.mid,
                                            "scope": "room"}, "ban"),
                      ("ban", victim.mid, None)))
        backups = []
        backing_up = asyncio.ensure_future(self.backups_meanwhile(stop, backups))
        n = 0
        while len(acked) < 41 or len(backups) < 3:
            n += 1
            target = talkers[n % len(talkers)].mid
            for kind, req in (
                    ("mute", {"type": "mute", "room": "demo", "member": target}),
                    ("unmute", {"type": "unmute", "room": "demo", "member": target}),
                    ("lock", {"type": "lock", "room": "demo"}),
                    ("unlock", {"type": "unlock", "room": "demo"})):
                at = await self.act(sara, req, "%s-%d" % (kind, n))
                acked.append((at, (kind, req.get("member", ""), None)))
        stop.set()
        await backing_up
        for t in talking:
            await t
        self.assertGreater(min(said.values()), 10, said)
        self.assertGreaterEqual(len(backups), 3)

        def before(started):
            return collections.Counter(key[:2] for at, key in acked
                                       if at < started)

        def held(rows):
            return collections.Counter((a, t) for (a, t, _d), k in rows.items()
                                       for _ in range(k))

        for path, started in backups:
            self.assertEqual(integrity(path), ["ok"], path)
            self.assertFalse(os.path.exists(path + "-wal"), "one file")
            got = held(moderator_rows(path))
            for key, count in before(started).items():
                self.assertGreaterEqual(got[key], count, (path, key))

        # The one to restore: the last, taken while the chat went on.
        chosen, started = backups[-1]
        expected = before(started)
        self.assertGreater(sum(expected.values()), 10)
        live = held(moderator_rows(self.server.db))
        self.assertGreater(sum(live.values()), sum(expected.values()) - 1)

        # Not while the server runs: the database stays as it is.
        refused = kring("restore", chosen, "--db", self.server.db, check=False)
        self.assertEqual(refused.returncode, 1, refused.stderr)
        self.assertIn("a server is running on %s" % self.server.db, refused.stderr)
        self.assertIn("stop it first", refused.stderr)
        # Nor may a second server take the same database.
        second = subprocess.run(
            [BINARY, "serve", "--listen", "127.0.0.1:0", "--db", self.server.db],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=20)
        self.assertEqual(second.returncode, 1)
        self.assertIn(b"another kring serve, or a kring restore, is using",
                      second.stdout)
        self.assertTrue(self.server.alive())

        for t in readers:
            t.cancel()
        for c in self.clients:
            c.abort()
        self.clients = []
        self.assertEqual(self.server.stop(), 0)

        done = kring("restore", chosen, "--db", self.server.db)
        self.assertIn("restored %s from %s" % (self.server.db, chosen), done.stdout)
        self.assertEqual(integrity(self.server.db), ["ok"])
        restored = held(moderator_rows(self.server.db))
        for key, count in expected.items():
            self.assertGreaterEqual(restored[key], count, key)
        # It is the backup's state, not the live one it replaced...
        self.assertEqual(restored, held(moderator_rows(chosen)))
        # ...which is kept beside it.
        self.assertEqual(held(moderator_rows(self.server.db + ".before-restore")), live)
        actions = [r["action"] for r in self.server.audit()]
        self.assertEqual(actions[-1], "database_restore")

        # The restored server still holds the ban it had acknowledged.
        self.server.restart()
        again = await self.client("victim again", device="backup-victim-0001-abcdefgh")
        await again.send({"type": "join", "room": "demo", "ref": "j"})
        await again.expect_error("banned", ref="j")
        other = await self.client("someone")
        await other.join("demo")

    async def backups_meanwhile(self, stop, backups):
        n = 0
        while not stop.is_set():
            n += 1
            backups.append(await self.backup_now(n))
            await asyncio.sleep(0.2)


@unittest.skipIf(on_postgresql(), "SQLite's backup and restore of a file; test_postgres covers pg_dump")
class BackupCommandLine(ServerTestCase):
    PER_TEST_SERVER = True

    def setUp(self):
        super().setUp()
        # Its own server, which these tests stop: self.server stays None so
        # that the harness does not call a stopped server dead.
        self.own_server = KringServer(["--threads", "1"])
        self.own_server.start()
        self.srv = self.own_server
        self.addCleanup(self.own_server.cleanup)

    def test_bad_command_lines_get_status_2_and_the_usage(self):
        db = self.srv.db
        for args in (["backup"], ["backup", "--db", db],
                     ["backup", "out.db"],
                     ["backup", "a.db", "b.db", "--db", db],
                     ["backup", "out.db", "--db", db, "--colour", "blue"],
                     ["restore"], ["restore", "x.db"],
                     ["restore", "x.db", "--db", db, "--config", "k.toml"]):
            res = kring(*args, check=False)
            self.assertEqual(res.returncode, 2, (args, res.stderr))
            self.assertIn("kring %s: " % args[0], res.stderr)
            self.assertIn("usage: kring %s FILE" % args[0], res.stderr)
        for command in ("backup", "restore"):
            res = kring(command, "--help")
            self.assertIn("usage: kring %s FILE" % command, res.stdout)

    def test_backup_of_a_missing_database_and_restore_of_a_missing_backup_get_status_1(self):
        missing = os.path.join(self.srv.dir, "nothing.db")
        res = kring("backup", os.path.join(self.srv.dir, "b.db"),
                    "--db", missing, check=False)
        self.assertEqual(res.returncode, 1)
        self.assertIn("no database at %s" % missing, res.stderr)
        self.assertFalse(os.path.exists(missing))

        self.srv.stop()
        res = kring("restore", missing, "--db", self.srv.db, check=False)
        self.assertEqual(res.returncode, 1)
        self.assertIn("%s: no such file" % missing, res.stderr)

    def test_backup_and_restore_find_the_database_in_the_config_file(self):
        conf = os.path.join(self.srv.dir, "kring.toml")
        with open(conf, "w") as f:
            f.write('db = "%s"\n' % self.srv.db)
        self.srv.add_room("tea", "Tea")
        copy = os.path.join(self.srv.dir, "b.db")
        kring("backup", copy, "--config", conf)
        self.srv.add_room("later", "Later")
        self.srv.stop()
        kring("restore", copy, "--config", conf)
        rooms = self.srv.cli("room", "list").stdout
        self.assertIn("tea", rooms)
        self.assertNotIn("later", rooms)

        with open(conf, "w") as f:
            f.write('db = "%s"\ncolour = "blue"\n' % self.srv.db)
        res = kring("backup", copy, "--config", conf, check=False)
        self.assertEqual(res.returncode, 1)
        self.assertIn("%s:2: colour: unknown key" % conf, res.stderr)

    def test_a_damaged_backup_is_refused_and_the_database_left_alone(self):
        copy = os.path.join(self.srv.dir, "b.db")
        kring("backup", copy, "--db", self.srv.db)
        self.srv.add_room("kept", "Kept")
        self.srv.stop()
        size = os.path.getsize(copy)
        self.assertGreaterEqual(size, 3 * 4096)
        with open(copy, "r+b") as f:
            f.seek(2 * 4096 + 8)
            f.write(b"\x7f" * 64)
        res = kring("restore", copy, "--db", self.srv.db, check=False)
        self.assertEqual(res.returncode, 1, res.stdout)
        self.assertTrue("is damaged: PRAGMA integrity_check says:" in res.stderr
                        or "is not a database SQLite can read" in res.stderr,
                        res.stderr)
        self.assertIn("kept", self.srv.cli("room", "list").stdout)
        self.assertFalse(os.path.exists(self.srv.db + ".before-restore"))


if __name__ == "__main__":
    unittest.main()
