"""HAProxy in front of several Kring nodes, configured from the shipped
deploy/haproxy/kring.cfg: its frontend bound to a free loopback port
without TLS, its nodes replaced by the test's."""

import os
import re
import shutil

from proxy_process import ProxyProcess

HERE = os.path.dirname(os.path.abspath(__file__))
CONFIG = os.path.abspath(os.path.join(HERE, "..", "..", "deploy", "haproxy", "kring.cfg"))
HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"


def haproxy_available():
    return os.path.exists(HAPROXY)


class HaproxyProxy(ProxyProcess):
    NAME = "haproxy"

    def __init__(self, nodes):
        super().__init__(None)
        self.nodes = nodes  # KringServers, started

    def command(self, port):
        with open(CONFIG) as f:
            text = f.read()
        text = text.replace("log /dev/log local0", "log stderr format raw local0")
        text = text.replace("maxconn 60000", "maxconn 2000")
        text = re.sub(r"\n    bind :443 [^\n]*", "", text)
        text = re.sub(r"\n    http-request redirect scheme https [^\n]*", "", text)
        text = text.replace("    bind :80", "    bind 127.0.0.1:%d" % port)
        for i, node in enumerate(self.nodes, 1):
            text = text.replace("10.0.0.1%d:8080" % i, "127.0.0.1:%d" % node.port)
        if re.search(r"server node\d+ 10\.", text) or "bind 127.0.0.1:%d" % port not in text:
            raise RuntimeError("deploy/haproxy/kring.cfg no longer has the lines the test replaces")
        conf = os.path.join(self.dir, "haproxy.cfg")
        with open(conf, "w") as f:
            f.write(text)
        return [HAPROXY, "-db", "-f", conf], None
