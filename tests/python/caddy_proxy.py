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

from proxy_process import ProxyProcess

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


class CaddyProxy(ProxyProcess):
    """Caddy on 127.0.0.1:port proxying to a KringServer."""
    NAME = "caddy"

    def command(self, port):
        conf = os.path.join(self.dir, "Caddyfile")
        with open(conf, "w") as f:
            f.write(GLOBAL.format(dir=self.dir) + site_for_test(port, self.server.port))
        env = dict(os.environ, HOME=self.dir, XDG_DATA_HOME=os.path.join(self.dir, "data"),
                   XDG_CONFIG_HOME=os.path.join(self.dir, "config"))
        return [CADDY, "run", "--adapter", "caddyfile", "--config", conf], env
