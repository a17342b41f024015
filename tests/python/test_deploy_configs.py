"""The site configs in deploy/ pass their servers' own checks: `nginx -t`
on deploy/nginx (with a certificate made for the test in place of
certbot's), `caddy validate` on deploy/caddy/Caddyfile and `haproxy -c` on
deploy/haproxy/kring.cfg, with Debian's nginx, caddy and haproxy.
"""

import os
import shutil
import subprocess
import tempfile
import unittest

from tls_certs import Authority

HERE = os.path.dirname(os.path.abspath(__file__))
DEPLOY = os.path.abspath(os.path.join(HERE, "..", "..", "deploy"))
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
CADDY = shutil.which("caddy") or "/usr/bin/caddy"
HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"

NGINX_MAIN = """\
pid {dir}/nginx.pid;
error_log {dir}/error.log;
events {{ }}
http {{
    access_log off;
    client_body_temp_path {dir}/temp;
    proxy_temp_path {dir}/temp;
    fastcgi_temp_path {dir}/temp;
    uwsgi_temp_path {dir}/temp;
    scgi_temp_path {dir}/temp;
    include {dir}/sites/kring;
}}
"""


class DeployConfigs(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="kring-deploy-")
        self.addCleanup(shutil.rmtree, self.dir, True)

    def test_nginx_accepts_the_site_config(self):
        self.nginx_accepts("kring.conf")

    def test_nginx_accepts_the_site_config_for_several_nodes(self):
        self.nginx_accepts("kring-nodes.conf")

    def nginx_accepts(self, name):
        if not os.path.exists(NGINX):
            self.skipTest("nginx is not installed (deploy/install-deps.sh --test)")
        cert, key = Authority(self.dir).issue("kring.example.org")
        with open(os.path.join(DEPLOY, "nginx", name)) as f:
            site = f.read()
        live = "/etc/letsencrypt/live/kring.example.org/"
        snippet = "/etc/nginx/snippets/kring-proxy.conf"
        for path in (live + "fullchain.pem", live + "privkey.pem", snippet):
            self.assertIn(path, site)  # what README tells the admin to expect
        site = (site.replace(live + "fullchain.pem", cert)
                    .replace(live + "privkey.pem", key)
                    .replace(snippet, os.path.join(DEPLOY, "nginx", "kring-proxy.conf")))
        os.makedirs(os.path.join(self.dir, "sites"))
        os.makedirs(os.path.join(self.dir, "temp"))
        with open(os.path.join(self.dir, "sites", "kring"), "w") as f:
            f.write(site)
        conf = os.path.join(self.dir, "nginx.conf")
        with open(conf, "w") as f:
            f.write(NGINX_MAIN.format(dir=self.dir))
        res = subprocess.run([NGINX, "-t", "-p", self.dir, "-c", conf,
                              "-e", os.path.join(self.dir, "error.log")],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             timeout=30)
        out = res.stdout.decode(errors="replace")
        self.assertEqual(res.returncode, 0, out)
        self.assertIn("test is successful", out)

    def test_nginx_refuses_a_broken_config(self):
        # So that the test above can fail: the same check on a config with
        # a typo in it.
        if not os.path.exists(NGINX):
            self.skipTest("nginx is not installed")
        conf = os.path.join(self.dir, "nginx.conf")
        with open(conf, "w") as f:
            f.write("pid %s/nginx.pid;\nevents { }\nhttp { proxy_read_timout 1h; }\n"
                    % self.dir)
        res = subprocess.run([NGINX, "-t", "-p", self.dir, "-c", conf,
                              "-e", os.path.join(self.dir, "error.log")],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             timeout=30)
        self.assertNotEqual(res.returncode, 0)

    def caddy_validate(self, caddyfile):
        env = dict(os.environ, HOME=self.dir,
                   XDG_DATA_HOME=os.path.join(self.dir, "data"),
                   XDG_CONFIG_HOME=os.path.join(self.dir, "config"))
        return subprocess.run([CADDY, "validate", "--adapter", "caddyfile",
                               "--config", caddyfile],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              timeout=60, env=env, cwd=self.dir)

    def test_caddy_accepts_the_caddyfile(self):
        if not os.path.exists(CADDY):
            self.skipTest("caddy is not installed (deploy/install-deps.sh --test)")
        res = self.caddy_validate(os.path.join(DEPLOY, "caddy", "Caddyfile"))
        out = res.stdout.decode(errors="replace")
        self.assertEqual(res.returncode, 0, out)
        self.assertIn("Valid configuration", out)
        self.assertNotIn('"level":"warn"', out)

    def test_caddy_refuses_a_directive_it_does_not_know(self):
        if not os.path.exists(CADDY):
            self.skipTest("caddy is not installed")
        broken = os.path.join(self.dir, "Caddyfile")
        with open(broken, "w") as f:
            f.write("kring.example.org {\n\treverse_proxy 127.0.0.1:8080 {\n"
                    "\t\tstream_timeout 1h\n\t}\n}\n")  # a 2.7 directive
        self.assertNotEqual(self.caddy_validate(broken).returncode, 0)


    def haproxy_check(self, text):
        conf = os.path.join(self.dir, "haproxy.cfg")
        with open(conf, "w") as f:
            f.write(text)
        return subprocess.run([HAPROXY, "-c", "-f", conf], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=30)

    def test_haproxy_accepts_the_config_for_several_nodes(self):
        if not os.path.exists(HAPROXY):
            self.skipTest("haproxy is not installed (deploy/install-deps.sh --test)")
        cert, key = Authority(self.dir).issue("kring.example.org")
        pem = os.path.join(self.dir, "kring.pem")
        with open(pem, "w") as out:
            for part in (cert, key):
                with open(part) as f:
                    out.write(f.read())
        with open(os.path.join(DEPLOY, "haproxy", "kring.cfg")) as f:
            text = f.read()
        where = "/etc/haproxy/certs/kring.example.org.pem"
        self.assertIn(where, text)  # what SCALING.md tells the admin to put there
        # What routes a circle to one node, and checks the nodes' readiness.
        for line in ("use_backend kring_circles if { path_beg /ws/c/ }", "balance uri",
                     "hash-type consistent", "option httpchk GET /readyz", "timeout tunnel 1h"):
            self.assertIn(line, text)
        res = self.haproxy_check(text.replace(where, pem))
        out = res.stdout.decode(errors="replace")
        self.assertEqual(res.returncode, 0, out)
        self.assertIn("Configuration file is valid", out)
        self.assertNotIn("[WARNING]", out)

    def test_haproxy_refuses_a_broken_config(self):
        if not os.path.exists(HAPROXY):
            self.skipTest("haproxy is not installed")
        res = self.haproxy_check("defaults\n    mode http\n    timeout tunel 1h\n")
        self.assertNotEqual(res.returncode, 0)


if __name__ == "__main__":
    unittest.main()
