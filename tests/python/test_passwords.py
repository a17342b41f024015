"""Integration tests of one-time passwords and `set_password`
(protocol/README.md, "Passwords"), through the real binary and its command
line, driven by an independent client (Debian's websockets 10.4).

Run from this directory:
  KRING_BINARY=../../build/server/kring /usr/bin/python3 -m unittest -v \
      test_passwords

Each test makes its moderators with `kring moderator add` on the running
server's database, as an admin would, and reads the password it prints.
"""

import re
import unittest

from kring_harness import FAST_CLIENTS, ServerTestCase

PRINTED_RE = re.compile(r"^one-time password \(shown only now\): (\S+)$",
                        re.MULTILINE)


def printed_password(result):
    found = PRINTED_RE.search(result.stdout)
    if not found:
        raise AssertionError("no one-time password in %r" % result.stdout)
    return found.group(1)


class PasswordCase(ServerTestCase):
    SERVER_ARGS = ["--login-failures", "100",
                   "--login-failures-per-network", "100"] + FAST_CLIENTS

    async def login(self, user, password, label=None):
        """A new connection, hello, login; returns (client, answer)."""
        c = await self.client(label or user)
        await c.send({"type": "login", "user": user, "password": password,
                      "ref": "login"})
        return c, await c.recv()

    async def set_password(self, c, password, current=None, ref="sp"):
        msg = {"type": "set_password", "password": password, "ref": ref}
        if current is not None:
            msg["current"] = current
        await c.send(msg)
        return await c.recv()

    def add(self, name, *args):
        """`kring moderator add NAME` keeping demo; the printed password."""
        password = printed_password(self.server.cli("moderator", "add", name,
                                                    *args))
        self.server.cli("moderator", "assign", name, "demo")
        return password

    def assertRefused(self, answer, reason):
        self.assertEqual(answer["type"], "error", answer)
        self.assertEqual(answer["code"], "bad_password", answer)
        self.assertEqual(answer["reason"], reason, answer)
        self.assertEqual(answer["ref"], "sp", answer)
        self.assertIsInstance(answer["message"], str)
        self.assertEqual(answer["min_length"], 12)
        self.assertEqual(answer["max_length"], 256)


class OneTimePasswordTest(PasswordCase):

    async def test_the_printed_password_only_lets_her_choose_a_new_one(self):
        printed = self.add("nina")
        nina, answer = await self.login("nina", printed)
        self.assertEqual(answer, {"type": "choose_password", "name": "nina",
                                  "min_length": 12, "max_length": 256})

        # Nothing a moderator (or even a participant) does is acted on.
        for request in ({"type": "join", "room": "demo", "ref": "r"},
                        {"type": "reports", "ref": "r"},
                        {"type": "lock", "room": "demo", "ref": "r"}):
            await nina.send(request)
            await nina.expect_error("password_change_required", ref="r")
        await nina.ping()

        # Every rule, each with its reason; she may try again after each.
        self.assertRefused(await self.set_password(nina, "short one"),
                           "too_short")
        self.assertRefused(await self.set_password(nina, "x" * 257),
                           "too_long")
        self.assertRefused(await self.set_password(nina, "I am NINA here"),
                           "contains_name")
        self.assertRefused(await self.set_password(nina, printed),
                           "unchanged")

        answer = await self.set_password(nina, "tea at four on fridays")
        self.assertEqual(answer["type"], "logged_in", answer)
        self.assertEqual(answer["role"], "moderator")
        self.assertEqual(answer["rooms"], ["demo"])
        joined = await nina.join("demo")
        self.assertEqual(joined["you"]["role"], "moderator")

        # The printed password is spent; her own one is a login at once.
        again, answer = await self.login("nina", printed, "again")
        self.assertEqual(answer["type"], "error")
        self.assertEqual(answer["code"], "auth_failed")
        _, answer = await self.login("nina", "tea at four on fridays")
        self.assertEqual(answer["type"], "logged_in", answer)

    async def test_reset_password_is_one_time_too_and_ends_her_logins(self):
        first = self.add("rosa")
        rosa, answer = await self.login("rosa", first)
        self.assertEqual(answer["type"], "choose_password", answer)
        answer = await self.set_password(rosa, "green door, blue step")
        self.assertEqual(answer["type"], "logged_in", answer)

        second = printed_password(self.server.cli("moderator",
                                                  "reset-password", "rosa"))
        await rosa.expect_close(4003)  # the reset ended her login
        _, answer = await self.login("rosa", "green door, blue step", "old")
        self.assertEqual(answer["code"], "auth_failed", answer)
        rosa, answer = await self.login("rosa", second, "second")
        self.assertEqual(answer["type"], "choose_password", answer)
        answer = await self.set_password(rosa, "red door, grey step")
        self.assertEqual(answer["type"], "logged_in", answer)
        _, answer = await self.login("rosa", second, "spent")
        self.assertEqual(answer["code"], "auth_failed", answer)

    async def test_a_reset_while_she_chooses_wins(self):
        printed = self.add("vera")
        vera, answer = await self.login("vera", printed)
        self.assertEqual(answer["type"], "choose_password", answer)
        newer = printed_password(self.server.cli("moderator",
                                                 "reset-password", "vera"))
        answer = await self.set_password(vera, "a choice made too late")
        self.assertEqual(answer["code"], "auth_failed", answer)
        await vera.expect_close(4003)
        _, answer = await self.login("vera", newer, "newer")
        self.assertEqual(answer["type"], "choose_password", answer)

    async def test_a_moderator_changes_her_password_and_her_other_logins_end(
            self):
        printed = self.add("ida")
        ida, _ = await self.login("ida", printed)
        answer = await self.set_password(ida, "first words of her own")
        self.assertEqual(answer["type"], "logged_in", answer)
        phone, answer = await self.login("ida", "first words of her own",
                                         "phone")
        self.assertEqual(answer["type"], "logged_in", answer)

        await ida.send({"type": "set_password", "ref": "c1",
                        "password": "second words of her own"})
        await ida.expect_error("missing_field", ref="c1")
        answer = await self.set_password(ida, "second words of her own",
                                         current="not her password")
        self.assertEqual(answer["code"], "auth_failed", answer)
        answer = await self.set_password(ida, "second words of her own",
                                         current="first words of her own")
        self.assertEqual(answer["type"], "logged_in", answer)
        await phone.expect_close(4003)
        await ida.ping()  # this connection's login goes on, renewed
        await ida.join("demo")

        _, answer = await self.login("ida", "first words of her own", "old")
        self.assertEqual(answer["code"], "auth_failed", answer)
        _, answer = await self.login("ida", "second words of her own", "new")
        self.assertEqual(answer["type"], "logged_in", answer)

    async def test_no_password_reaches_the_audit_log_the_database_or_the_log(
            self):
        printed = self.add("lale")
        lale, _ = await self.login("lale", printed)
        answer = await self.set_password(lale, "plum jam and bread")
        self.assertEqual(answer["type"], "logged_in", answer)
        rows = [r for r in self.server.audit() if r["target"] == "lale"]
        actions = [r["action"] for r in rows]
        self.assertEqual(actions, ["moderator_add", "moderator_assign",
                                   "login_one_time_password",
                                   "password_change", "login"])
        self.assertIn("one_time", rows[0]["detail"])
        self.assertEqual(rows[3]["detail"], "one_time_password")
        stored = self.server.stored_bytes()
        log = self.server.log()
        for secret in (printed, "plum jam and bread"):
            self.assertNotIn(secret.encode(), stored)
            self.assertNotIn(secret, log)
            self.assertNotIn(secret, self.server.audit_text())


class PasswordLengthOptionTest(PasswordCase):
    SERVER_ARGS = PasswordCase.SERVER_ARGS + ["--min-password-length", "20",
                                              "--max-password-length", "64"]

    async def test_the_server_says_and_keeps_its_own_lengths(self):
        printed = self.add("ana")
        ana, answer = await self.login("ana", printed)
        self.assertEqual(answer["min_length"], 20)
        self.assertEqual(answer["max_length"], 64)
        answer = await self.set_password(ana, "nineteen characters")
        self.assertEqual((answer["reason"], answer["min_length"]),
                         ("too_short", 20))
        answer = await self.set_password(ana, "y" * 65)
        self.assertEqual((answer["reason"], answer["max_length"]),
                         ("too_long", 64))
        answer = await self.set_password(ana, "twenty characters ok")
        self.assertEqual(answer["type"], "logged_in", answer)


if __name__ == "__main__":
    unittest.main()
