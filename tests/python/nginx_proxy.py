"""A real nginx (Debian's package) in front of a test's Kring server.

The test's own nginx process: its config, pid file, logs and temp folders
live in a scratch folder, it listens on a free loopback port and runs in
the foreground (`daemon off`), so it ends with the test. Its location block
is deploy/nginx/kring-proxy.conf itself, the one an admin installs.
"""

import os
import shutil

from proxy_process import ProxyProcess

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


def nginx_available():
    return os.path.exists(NGINX)


class NginxProxy(ProxyProcess):
    """nginx on 127.0.0.1:port proxying to a KringServer."""
    NAME = "nginx"

    def __init__(self, server):
        super().__init__(server)
        os.chmod(self.dir, 0o755)  # nginx's workers run as another user
        os.makedirs(os.path.join(self.dir, "temp"))

    def command(self, port):
        conf = os.path.join(self.dir, "nginx.conf")
        with open(conf, "w") as f:
            f.write(MAIN_CONF.format(dir=self.dir, port=port, upstream=self.server.port,
                                     snippet=SNIPPET))
        return ([NGINX, "-p", self.dir, "-c", conf, "-e", os.path.join(self.dir, "error.log"),
                 "-g", "daemon off;"], None)

    def log_files(self):
        return ("stderr.log", "error.log")
