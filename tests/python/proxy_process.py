"""What the tests' reverse proxies (nginx_proxy.py, caddy_proxy.py) share:
a server process of their own on a free loopback port, in a scratch
folder, started in the foreground and ended with the test. To the
harness's Client it looks like a server (host, ws_url, own_origin)."""

import os
import shutil
import socket
import subprocess
import tempfile
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ProxyProcess:
    NAME = "proxy"
    ssl_context = None

    def __init__(self, server):
        self.server = server
        self.dir = tempfile.mkdtemp(prefix="kring-%s-" % self.NAME)
        self.port = None
        self.proc = None
        self.log = None

    def command(self, port):
        """Writes the proxy's config for `port`; returns (argv, env)."""
        raise NotImplementedError

    def log_files(self):
        return ("stderr.log",)

    def start(self, timeout=15.0):
        for _ in range(5):  # a free port may be taken before the proxy binds it
            self.port = free_port()
            argv, env = self.command(self.port)
            self.log = open(os.path.join(self.dir, "stderr.log"), "ab")
            self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=self.log,
                                         stderr=self.log, env=env)
            if self._wait_listening(timeout):
                return self
            self.stop()
        raise RuntimeError("%s did not start:\n%s" % (self.NAME, self.errors()))

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
        out = ""
        for name in self.log_files():
            path = os.path.join(self.dir, name)
            if os.path.exists(path):
                with open(path, errors="replace") as f:
                    out += f.read()[-5000:]
        return out

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()  # SIGTERM: nginx's fast shutdown, Caddy's graceful one
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        if self.log:
            self.log.close()
            self.log = None

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

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
