"""Display names through the real binary: each refusal says which rule the
name broke (`reason`, protocol/README.md "Display names"), the name kept and
shown is the NFC form, and `--max-name-marks` is the operator's.

Run from this directory:  /usr/bin/python3 -m unittest -v test_names
"""

import unittest

from kring_harness import FAST_CLIENTS, KringServer, ServerTestCase

SARA_PASSWORD = "tulip-harbour-lantern-9"
# Ten different combining marks on one letter, and thirty of one.
TEN_MARKS = "Z" + "".join(chr(0x0300 + i) for i in range(10))
ZALGO = "Z" + "\u0336" * 30
MUHAMMAD = "\u0645\u064f\u062d\u064e\u0645\u064e\u0651\u062f"  # mim with shadda and fatha


def room(slug):
    return {"slug": slug, "title": "Room " + slug}


class NameCase(ServerTestCase):
    SERVER_ARGS = ["--threads", "2"] + FAST_CLIENTS
    ROOMS = [room("names"), room("staffed"), room("nfc"), room("real")]
    MODERATORS = [{"name": "sara", "password": SARA_PASSWORD,
                   "rooms": ["staffed"]}]

    @classmethod
    def setUpClass(cls):
        super(ServerTestCase, cls).setUpClass()
        cls.server = KringServer(cls.SERVER_ARGS, cls.ROOMS,
                                 moderators=cls.MODERATORS)
        cls.server.start()

    async def refused(self, c, name, code, reason, room_slug="names", ref="n"):
        await c.send({"type": "join", "room": room_slug, "name": name,
                      "ref": ref})
        msg = await c.expect_error(code, ref=ref)
        self.assertEqual(msg.get("reason"), reason, msg)
        await c.ping("after-" + ref)  # the connection lives on
        return msg


class RefusalReasonTests(NameCase):
    async def test_each_rule_broken_is_named_in_the_error(self):
        c = await self.client("P")
        cases = [
            ("empty", "   ", "bad_name", "empty"),
            ("33 letters", "a" * 33, "too_long", "too_long"),
            ("a thousand letters", "a" * 1000, "too_long", "too_long"),
            ("braille blank", "\u2800", "bad_name", "invisible"),
            ("hangul filler", "\u3164", "bad_name", "invisible"),
            ("halfwidth hangul filler", "\uffa0", "bad_name", "invisible"),
            ("hangul choseong and jungseong fillers", "\u115f\u1160",
             "bad_name", "invisible"),
            ("20 variation selectors", "Amal" + "\ufe0f" * 20, "bad_name",
             "invisible"),
            ("right-to-left override", "evil\u202eroot", "bad_name",
             "invisible"),
            ("zero-width non-joiner between Latin letters", "Am\u200cal",
             "bad_name", "invisible"),
            ("30 marks on one letter", ZALGO, "bad_name", "too_many_marks"),
            ("10 different marks on one letter", TEN_MARKS, "bad_name",
             "too_many_marks"),
            ("only emoji", "\U0001F33B", "bad_name", "no_letter"),
            ("Cyrillic Dze in a Latin name", "\u0405ara", "bad_name",
             "mixed_scripts"),
            ("Spanish moderator", "Moderador", "bad_name", "reserved"),
            ("Turkish administrator", "Y\u00f6netici", "bad_name",
             "reserved"),
            ("staff", "Staff", "bad_name", "reserved"),
        ]
        for i, (what, name, code, reason) in enumerate(cases):
            with self.subTest(what):
                msg = await self.refused(c, name, code, reason,
                                         ref="n%d" % i)
                self.assertIsInstance(msg.get("message"), str)
        self.assertNotIn("Moderador", self.server.log(),
                         "a refused name stays out of the log")
        self.assertIn("reason=reserved", self.server.log())

    async def test_a_name_like_a_present_moderator_imitates_staff(self):
        s = await self.client("sara")
        await s.send({"type": "login", "user": "sara",
                      "password": SARA_PASSWORD, "ref": "login"})
        await s.expect("logged_in")
        await s.join("staffed")
        p = await self.client("P")
        for i, name in enumerate(["SARA", "S a r a", "\u015aara"]):
            with self.subTest(name=name):
                await self.refused(p, name, "bad_name", "imitates_staff",
                                   room_slug="staffed", ref="s%d" % i)
        await s.expect_silence(0.1)
        # Where sara is not, "Sara" is a name like any other.
        j = await p.join("names", name="Sara")
        self.assertEqual(j["you"]["name"], "Sara")

    async def test_the_name_kept_and_shown_is_nfc(self):
        a = await self.client("A")
        b = await self.client("B")
        await b.join("nfc")
        decomposed = "  Nguye\u0302\u0303n Va\u0306n  "
        j = await a.join("nfc", name=decomposed)
        self.assertEqual(j["you"]["name"], "Nguy\u1ec5n V\u0103n")
        seen = await b.expect("member_joined", room="nfc")
        self.assertEqual(seen["member"]["name"], "Nguy\u1ec5n V\u0103n")
        own = await a.say("nfc", "xin chào")
        self.assertEqual(own["from"]["name"], "Nguy\u1ec5n V\u0103n")

    async def test_real_names_with_marks_and_emoji_are_accepted(self):
        for i, name in enumerate([
                "Nguy\u1ec5n Th\u1ecb Minh Khai", MUHAMMAD,
                "\u092a\u094d\u0930\u093f\u092f\u0902\u0915\u093e",
                "Amal \u2764\ufe0f", "Sam \U0001F3F3\ufe0f\u200d\U0001F308",
                "Amal \u0623\u0645\u0644",
                # Rahmatullah in Dari and Pashto, with the non-joiner
                # Persian writing puts between its two parts.
                "\u0631\u062d\u0645\u062a\u200c\u0627\u0644\u0644\u0647"]):
            with self.subTest(name=name):
                c = await self.client("R%d" % i)
                j = await c.join("real", name=name)
                self.assertEqual(j["you"]["name"], name)


class MaxNameMarksTests(NameCase):
    SERVER_ARGS = ["--threads", "2", "--max-name-marks", "1"] + FAST_CLIENTS

    async def test_the_operator_sets_the_marks_per_character(self):
        c = await self.client("P")
        await self.refused(c, MUHAMMAD, "bad_name", "too_many_marks")
        j = await c.join("names", name="Jos\u00e9")
        self.assertEqual(j["you"]["name"], "Jos\u00e9")


if __name__ == "__main__":
    unittest.main()


class PseudonymLanguageTests(NameCase):
    """hello's `lang` (protocol/README.md, `hello`): a new identity's
    pseudonym in the reader's language, script and digits."""

    async def test_a_new_identity_is_named_in_the_language_its_hello_says(self):
        arabic_digits = set("\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669")
        for _ in range(5):
            c = await self.client("ar", lang="ar")
            name = c.welcome["name"]
            words, number = name.rsplit(" ", 1)
            self.assertTrue(all("\u0600" <= ch <= "\u06ff" or ch == " " for ch in words), name)
            self.assertTrue(number and set(number) <= arabic_digits, name)
            # Others see the same name when it joins.
            joined = await c.join("names")
            self.assertEqual(joined["you"]["name"], name)
            await c.send({"type": "leave", "room": "names"})
            await c.expect("left", room="names")
        ti = await self.client("ti", lang="ti")
        self.assertTrue(any("\u1200" <= ch <= "\u137f" for ch in ti.welcome["name"]), ti.welcome["name"])
        uk = await self.client("uk", lang="uk")
        self.assertTrue(any("\u0400" <= ch <= "\u04ff" for ch in uk.welcome["name"]), uk.welcome["name"])

    async def test_another_language_or_none_gets_an_english_pseudonym(self):
        for extra in ({}, {"lang": "de"}):
            c = await self.client("en", **extra)
            self.assertRegex(c.welcome["name"], r"^[A-Z][a-z]+ [A-Z][a-z]+ [1-9][0-9]?$")

    async def test_a_resumed_identity_keeps_its_name_whatever_the_language(self):
        first = await self.client("first", lang="fa")
        name, token = first.welcome["name"], first.welcome["token"]
        await first.close()
        again = await self.client("again", resume=token, lang="en")
        self.assertTrue(again.welcome.get("resumed"))
        self.assertEqual(again.welcome["name"], name)

    async def test_a_language_that_is_not_a_tag_is_refused(self):
        c = await self.client("bad", hello=False)
        await c.send({"type": "hello", "v": 1, "lang": "Arabic", "ref": "h"})
        await c.expect_error("bad_field", ref="h")
