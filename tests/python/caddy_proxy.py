"""A real Caddy (Debian's package) in front of a test's Kring server.

The site block is deploy/caddy/Caddyfile's, the one an admin installs,
with two changes a test needs: the site's name becomes
http://127.0.0.1:PORT (no certificate to fetch: automatic HTTPS is for a
real name on a real server), and the upstream becomes the test server's
port. Caddy's admin endpoint is off, its state lives in a scratch folder,
and it runs in the foreground, so it ends with the test.
"""

import os
import re
import shutil
import socket
import subprocess
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
CADDYFILE = os.path.join(REPO, "deploy", "caddy", "Caddyfile")
CADDY = shutil.which("caddy") or "/usr/bin/caddy"

GLOBAL = """\
{{
	admin off
	auto_https off
	storage file_system {dir}/data
}}
"""


def caddy_available():
    return os.path.exists(CADDY)


def site_for_test(port, upstream):
    """deploy/caddy/Caddyfile, its name and upstream swapped for the test's."""
    with open(CADDYFILE) as f:
        site = f.read()
    if "kring.example.org {" not in site or "reverse_proxy 127.0.0.1:8080" not in site:
        raise AssertionError("deploy/caddy/Caddyfile no longer has the site block this test expects")
    site = site.replace("kring.example.org {", "http://127.0.0.1:%d {" % port)
    return re.sub(r"reverse_proxy 127\.0\.0\.1:8080\b", "reverse_proxy 127.0.0.1:%d" % upstream, site)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class CaddyProxy:
    """Caddy on 127.0.0.1:port proxying to a KringServer. It looks like a
    server to the harness's Client (host, ws_url, own_origin)."""

    ssl_context = None

    def __init__(self, server):
        self.server = server
        self.dir = tempfile.mkdtemp(prefix="kring-caddy-")
        self.port = None
        self.proc = None
        self.log = None

    def start(self, timeout=15.0):
        env = dict(os.environ, HOME=self.dir, XDG_DATA_HOME=os.path.join(self.dir, "data"),
                   XDG_CONFIG_HOME=os.path.join(self.dir, "config"))
        for _ in range(5):  # a free port may be taken before Caddy binds it
            self.port = free_port()
            conf = os.path.join(self.dir, "Caddyfile")
            with open(conf, "w") as f:
                f.write(GLOBAL.format(dir=self.dir) + site_for_test(self.port, self.server.port))
            self.log = open(os.path.join(self.dir, "caddy.log"), "ab")
            self.proc = subprocess.Popen(
                [CADDY, "run", "--adapter", "caddyfile", "--config", conf],
                stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log, env=env)
            if self._wait_listening(timeout):
                return self
            self.stop()
        raise RuntimeError("caddy did not start:\n" + self.errors())

    def _wait_listening(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.5).close()
                return True
            except OSError:
                time.sleep(0.05)
        return False

    def errors(self):
        path = os.path.join(self.dir, "caddy.log")
        if not os.path.exists(path):
            return ""
        with open(path, errors="replace") as f:
            return f.read()[-5000:]

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        if self.log:
            self.log.close()
            self.log = None

    def cleanup(self):
        self.stop()
        if os.environ.get("KRING_KEEP_TMP") is None:
            shutil.rmtree(self.dir, ignore_errors=True)

    @property
    def host(self):
        return "127.0.0.1:%d" % self.port

    @property
    def ws_url(self):
        return "ws://%s/ws" % self.host

    @property
    def own_origin(self):
        return "http://%s" % self.host
