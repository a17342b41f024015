"""A real nginx (Debian's package) in front of a test's Kring server.

The test's own nginx process: its config, pid file, logs and temp folders
live in a scratch folder, it listens on a free loopback port and runs in
the foreground (`daemon off`), so it ends with the test. Its location block
is deploy/nginx/kring-proxy.conf itself, the one an admin installs.
"""

import os
import shutil
import socket
import subprocess
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
SNIPPET = os.path.join(REPO, "deploy", "nginx", "kring-proxy.conf")
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

MAIN_CONF = """\
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log info;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {dir}/temp/body;
    proxy_temp_path {dir}/temp/proxy;
    fastcgi_temp_path {dir}/temp/fastcgi;
    uwsgi_temp_path {dir}/temp/uwsgi;
    scgi_temp_path {dir}/temp/scgi;
    map $http_upgrade $connection_upgrade {{
        default upgrade;
        ''      close;
    }}
    upstream kring {{
        server 127.0.0.1:{upstream};
    }}
    server {{
        listen 127.0.0.1:{port};
        include {snippet};
    }}
}}
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def nginx_available():
    return os.path.exists(NGINX)


class NginxProxy:
    """nginx on 127.0.0.1:port proxying to a KringServer. It looks like a
    server to the harness's Client (host, ws_url, own_origin)."""

    ssl_context = None

    def __init__(self, server):
        self.server = server
        self.dir = tempfile.mkdtemp(prefix="kring-nginx-")
        os.chmod(self.dir, 0o755)  # nginx's workers run as another user
        os.makedirs(os.path.join(self.dir, "temp"))
        self.port = None
        self.proc = None

    def start(self, timeout=10.0):
        for _ in range(5):  # a free port may be taken before nginx binds it
            self.port = free_port()
            conf = os.path.join(self.dir, "nginx.conf")
            with open(conf, "w") as f:
                f.write(MAIN_CONF.format(dir=self.dir, port=self.port,
                                         upstream=self.server.port,
                                         snippet=SNIPPET))
            self.log = open(os.path.join(self.dir, "stderr.log"), "ab")
            self.proc = subprocess.Popen(
                [NGINX, "-p", self.dir, "-c", conf,
                 "-e", os.path.join(self.dir, "error.log"),
                 "-g", "daemon off;"],
                stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log)
            if self._wait_listening(timeout):
                return self
            self.stop()
        raise RuntimeError("nginx did not start:\n" + self.errors())

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
        for name in ("stderr.log", "error.log"):
            path = os.path.join(self.dir, name)
            if os.path.exists(path):
                with open(path, errors="replace") as f:
                    out += f.read()[-5000:]
        return out

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()  # SIGTERM: nginx's fast shutdown
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        if getattr(self, "log", None):
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
