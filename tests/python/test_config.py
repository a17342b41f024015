"""Kring's config file through the real binary: `kring check-config FILE`
refuses every bad key and value with a message naming it, and
`kring serve --config FILE` runs from the file, the flags given overriding
it.

Run from this directory:
  KRING_BINARY=../../build/server/kring /usr/bin/python3 -m unittest -v \
      test_config
"""

import asyncio
import os
import re
import shutil
import subprocess
import tempfile
import time
import unittest
import urllib.request

from kring_harness import BINARY, REPO, WEB_ROOT, Client

EXAMPLE = os.path.join(REPO, "deploy", "kring.toml.example")
KEY_LINE = re.compile(r"^# ([a-z-]+) = (.*)$")


def kring(*args, timeout=20):
    res = subprocess.run([BINARY] + list(args), stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, timeout=timeout)
    return (res.returncode, res.stdout.decode("utf-8", "replace"),
            res.stderr.decode("utf-8", "replace"))


def example_keys():
    """Every key of the example with the default it shows, as TOML text."""
    with open(EXAMPLE) as f:
        return [KEY_LINE.match(line).groups() for line in f
                if KEY_LINE.match(line)]


def bad_values(default):
    """Values of the wrong type or out of range for a key whose default
    is `default` (TOML text)."""
    if default in ("true", "false"):
        return ['"yes"', "1"]
    if default.startswith("["):
        return ['"https://kring.example.org"', "[1]", '[""]']
    if default.startswith('"'):
        return ["5", "true"]
    return ["-1", "100000000000", '"%s"' % default, "1.5"]


class ConfigFileTests(unittest.TestCase):
    def setUp(self):
        if not os.path.exists(BINARY):
            raise unittest.SkipTest("kring binary not found at %s" % BINARY)
        self.dir = tempfile.mkdtemp(prefix="kring-config-")
        self.addCleanup(shutil.rmtree, self.dir, True)

    def write(self, text, name="kring.toml"):
        path = os.path.join(self.dir, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def test_the_example_lists_every_option_of_serve_help_and_passes(self):
        keys = [k for k, _ in example_keys()]
        _, usage, _ = kring("serve", "--help")
        flags = re.findall(r"^  --([a-z-]+)", usage, re.M)
        self.assertEqual(sorted(keys), sorted(set(flags) - {"config", "print-config", "help"}))
        self.assertEqual(kring("check-config", EXAMPLE), (0, EXAMPLE + ": ok\n", ""))
        everything = self.write("".join("%s = %s\n" % kv for kv in example_keys()))
        self.assertEqual(kring("check-config", everything)[0], 0)

    def test_check_config_refuses_every_bad_key_and_value_naming_it(self):
        cases = [("colour", '"blue"'), ("max_text", "10"), ("secret", '"x"'),
                 ("listen", '"localhost:8080"'), ("db", '""'),
                 ("allow-origin", '["ftp://kring.example.org"]'),
                 ("server-name", '["kring example"]')]
        for key, default in example_keys():
            cases += [(key, value) for value in bad_values(default)]
        for key, value in cases:
            path = self.write("# Kring\n%s = %s\n" % (key, value))
            status, out, err = kring("check-config", path)
            self.assertEqual(status, 1, (key, value, out))
            self.assertEqual(out, "")
            self.assertTrue(err.startswith("kring check-config: %s:2: %s: "
                                           % (path, key)), (key, value, err))
            self.assertEqual(err.count("\n"), 1, err)

    def test_check_config_tells_a_syntax_error_and_a_missing_file(self):
        path = self.write("history = 10\nmax-text = \n")
        status, _, err = kring("check-config", path)
        self.assertEqual(status, 1)
        self.assertIn("%s:2:" % path, err)
        status, _, err = kring("check-config", os.path.join(self.dir, "none.toml"))
        self.assertEqual(status, 1)
        self.assertIn("none.toml: cannot be read: No such file or directory", err)

    def test_check_config_with_bad_arguments_gets_status_2(self):
        for args in ([], ["a.toml", "b.toml"], ["--colour"]):
            status, _, err = kring("check-config", *args)
            self.assertEqual(status, 2, args)
            self.assertIn("usage: kring check-config FILE", err)
        self.assertEqual(kring("check-config", "--help")[0], 0)

    def test_serve_refuses_a_bad_config_file_naming_the_key(self):
        path = self.write("max-text = 0\n")
        status, _, err = kring("serve", "--config", path)
        self.assertEqual(status, 2)
        self.assertEqual(err, 'kring serve: %s:1: max-text: invalid value "0" '
                         "(expected a whole number from 1 to 10000)\n" % path)

    def test_print_config_shows_the_file_and_the_flags_in_effect(self):
        path = self.write('max-text = 500\nserver-name = ["kring.example.org"]\n')
        status, out, _ = kring("serve", "--config", path, "--history", "3",
                               "--print-config")
        self.assertEqual(status, 0)
        self.assertIn("\nmax-text = 500\n", out)
        self.assertIn("\nhistory = 3\n", out)
        self.assertIn('\nserver-name = ["kring.example.org"]\n', out)
        self.assertIn("\n# max-rooms = 8\n", out)
        printed = self.write(out, "printed.toml")
        self.assertEqual(kring("check-config", printed)[0], 0)

    def test_a_server_runs_from_its_config_file_and_a_flag_overrides_it(self):
        port_file = os.path.join(self.dir, "port")
        path = self.write(
            'listen = "127.0.0.1:0"\ndb = "%s"\nport-file = "%s"\n'
            'web-root = "%s"\ndemo = true\nthreads = 1\n'
            "max-text = 5\nhistory = 3\n"
            % (os.path.join(self.dir, "data", "kring.db"), port_file, WEB_ROOT))
        proc = subprocess.Popen([BINARY, "serve", "--config", path,
                                 "--max-text", "7"],
                                stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        self.addCleanup(proc.wait, 10)
        self.addCleanup(proc.terminate)
        deadline = time.monotonic() + 10
        while not os.path.exists(port_file):
            self.assertIsNone(proc.poll(), "kring exited")
            self.assertLess(time.monotonic(), deadline, "no port file")
            time.sleep(0.02)
        with open(port_file) as f:
            port = int(f.read())
        with urllib.request.urlopen("http://127.0.0.1:%d/" % port, timeout=5) as page:
            with open(os.path.join(WEB_ROOT, "index.html"), "rb") as f:
                self.assertEqual(page.read(), f.read())
        welcome = asyncio.run(self.welcome(port))
        self.assertEqual(welcome["limits"]["text"], 7)  # the flag
        self.assertEqual(welcome["limits"]["history"], 3)  # the file

    async def welcome(self, port):
        class At:
            ws_url = "ws://127.0.0.1:%d/ws" % port
        c = await Client.connect(At)
        try:
            return await c.hello()
        finally:
            await c.close()


if __name__ == "__main__":
    unittest.main()
