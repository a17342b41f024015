"""Native TLS: `kring serve --tls-cert FILE --tls-key FILE`.

The server runs with certificates made by openssl for this test (see
tls_certs.py); clients trust only the test's authority. Checks: WSS and
HTTPS work; plain HTTP on the TLS port does not; TLS 1.1 and suites outside
Mozilla's intermediate profile are refused; the Origin check wants https://;
SIGHUP swaps the certificate for new connections while an open one stays,
and a broken file leaves the old certificate in use.
"""

import asyncio
import http.client
import os
import shutil
import signal
import socket
import ssl
import tempfile
import time
import unittest
import warnings

import websockets.exceptions

from kring_harness import BINARY, Client, KringServer, ServerError, TIMEOUT
from tls_certs import Authority, der_of


class TlsTestCase(unittest.IsolatedAsyncioTestCase):
    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.mkdtemp(prefix="kring-tls-")
        cls.authority = Authority(cls.folder)
        cls.first = cls.authority.issue("first")
        cls.second = cls.authority.issue("second")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.folder, ignore_errors=True)

    def start_server(self, cert, key, args=()):
        server = KringServer(list(args), tls=(cert, key,
                                              self.authority.client_context()))
        server.start()
        self.addCleanup(server.cleanup)
        self.own_server = server
        return server

    def handshake(self, server, setup):
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.load_verify_locations(self.authority.ca)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            setup(ctx)
        with socket.create_connection(("127.0.0.1", server.port),
                                      timeout=TIMEOUT) as s:
            with ctx.wrap_socket(s, server_hostname="127.0.0.1") as t:
                return t.version(), t.cipher()[0]

    def run(self, result=None):
        """Print the server's log when this test fails."""
        if result is None:
            return super().run(result)
        before = len(result.failures) + len(result.errors)
        out = super().run(result)
        srv = getattr(self, "own_server", None)
        if len(result.failures) + len(result.errors) > before and srv:
            print("\n----- kring log -----\n%s\n-----" % srv.log())
        return out


class NativeTls(TlsTestCase):
    async def test_a_client_chats_over_wss_with_the_configured_certificate(self):
        server = self.start_server(*self.first)
        a = await Client.connect(server, "a")
        b = await Client.connect(server, "b")
        await a.hello(name="Ana")
        await b.hello(name="Ben")
        await a.join("demo")
        await b.join("demo")
        await a.expect("member_joined")
        await a.say("demo", "over TLS")
        got = await b.expect("message")
        self.assertEqual(got["text"], "over TLS")
        peer = a.ws.transport.get_extra_info("ssl_object")
        self.assertEqual(peer.getpeercert(binary_form=True),
                         der_of(self.first[0]))
        self.assertIn(peer.version(), ("TLSv1.2", "TLSv1.3"))
        await a.close()
        await b.close()

    def test_the_page_and_healthz_are_served_over_https(self):
        server = self.start_server(*self.first)
        conn = http.client.HTTPSConnection(
            "127.0.0.1", server.port, timeout=TIMEOUT,
            context=self.authority.client_context())
        conn.request("GET", "/healthz")
        res = conn.getresponse()
        self.assertEqual((res.status, res.read()), (200, b"ok\n"))
        conn.request("GET", "/")
        res = conn.getresponse()
        self.assertEqual(res.status, 200)
        self.assertIn(b"<html", res.read().lower())
        conn.close()

    def test_plain_http_on_the_tls_port_gets_no_answer(self):
        server = self.start_server(*self.first)
        with socket.create_connection(("127.0.0.1", server.port),
                                      timeout=TIMEOUT) as s:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            data = b""
            try:
                while True:
                    chunk = s.recv(4096)
                    if not chunk:
                        break
                    data += chunk
            except ConnectionResetError:
                pass
        self.assertNotIn(b"HTTP/1.1 200", data)
        self.assertNotIn(b"ok\n", data)
        self.assertTrue(server.alive())

    def test_tls_1_3_and_the_profiles_tls_1_2_suites_are_accepted(self):
        server = self.start_server(*self.first)

        def tls13(ctx):
            ctx.minimum_version = ssl.TLSVersion.TLSv1_3

        def ecdhe_gcm(ctx):
            ctx.maximum_version = ssl.TLSVersion.TLSv1_2
            ctx.set_ciphers("ECDHE-RSA-AES128-GCM-SHA256")

        def dhe_chacha(ctx):
            ctx.maximum_version = ssl.TLSVersion.TLSv1_2
            ctx.set_ciphers("DHE-RSA-CHACHA20-POLY1305")

        self.assertEqual(self.handshake(server, tls13)[0], "TLSv1.3")
        self.assertEqual(self.handshake(server, ecdhe_gcm),
                         ("TLSv1.2", "ECDHE-RSA-AES128-GCM-SHA256"))
        self.assertEqual(self.handshake(server, dhe_chacha),
                         ("TLSv1.2", "DHE-RSA-CHACHA20-POLY1305"))

    def test_tls_1_1_is_refused(self):
        server = self.start_server(*self.first)

        def tls11(ctx):
            # The client side must be willing: security level 0 lets this
            # OpenSSL offer TLS 1.1 at all.
            ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
            ctx.minimum_version = ssl.TLSVersion.TLSv1_1
            ctx.maximum_version = ssl.TLSVersion.TLSv1_1

        with self.assertRaises(ssl.SSLError) as refused:
            self.handshake(server, tls11)
        # The server's alert, not the client's own refusal to try.
        self.assertEqual(refused.exception.reason,
                         "TLSV1_ALERT_PROTOCOL_VERSION")
        self.assertTrue(server.alive())

    def test_weak_suites_outside_the_profile_are_refused(self):
        server = self.start_server(*self.first)
        for suite in ("AES128-SHA", "ECDHE-RSA-AES128-SHA",
                      "AES256-GCM-SHA384", "DHE-RSA-AES128-SHA256"):
            with self.subTest(suite=suite):
                def only(ctx, suite=suite):
                    ctx.maximum_version = ssl.TLSVersion.TLSv1_2
                    ctx.set_ciphers(suite + ":@SECLEVEL=0")

                with self.assertRaises(ssl.SSLError) as refused:
                    self.handshake(server, only)
                self.assertEqual(refused.exception.reason,
                                 "SSLV3_ALERT_HANDSHAKE_FAILURE")
        self.assertTrue(server.alive())

    async def test_the_origin_check_wants_the_https_origin(self):
        server = self.start_server(*self.first)
        c = await Client.connect(server, "own", origin=server.own_origin)
        self.assertTrue(server.own_origin.startswith("https://"))
        await c.hello()
        await c.close()
        with self.assertRaises(websockets.exceptions.InvalidStatusCode) as e:
            await Client.connect(server, "http-origin",
                                 origin="http://" + server.host)
        self.assertEqual(e.exception.status_code, 403)

    def test_missing_or_unmatched_files_stop_the_start_with_a_reason(self):
        missing = os.path.join(self.folder, "missing.pem")
        for cert, key, words in (
                (missing, self.first[1], "missing.pem"),
                (self.first[0], self.second[1], "cannot use the key")):
            with self.subTest(words=words):
                server = KringServer(["--tls-cert", cert, "--tls-key", key])
                with self.assertRaises(ServerError) as failed:
                    server.start()
                server.cleanup()
                self.assertIn(words, str(failed.exception))

    def test_a_certificate_without_a_key_is_a_usage_error(self):
        import subprocess
        res = subprocess.run([BINARY, "serve", "--tls-cert", self.first[0],
                              "--db", os.path.join(self.folder, "x.db")],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             timeout=20)
        self.assertEqual(res.returncode, 2)
        self.assertIn(b"tls-cert and tls-key go together", res.stderr)
        # check-config says the same of a file.
        conf = os.path.join(self.folder, "half.toml")
        with open(conf, "w") as f:
            f.write('tls-key = "%s"\n' % self.first[1])
        res = subprocess.run([BINARY, "check-config", conf],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             timeout=20)
        self.assertEqual(res.returncode, 1)
        self.assertIn(b"tls-cert and tls-key go together", res.stderr)
        with open(conf, "a") as f:
            f.write('tls-cert = "%s"\n' % self.first[0])
        res = subprocess.run([BINARY, "check-config", conf],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             timeout=20)
        self.assertEqual(res.returncode, 0, res.stderr)


class CertificateReload(TlsTestCase):
    def wait_for_log(self, server, words, timeout=TIMEOUT):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if words in server.log():
                return
            time.sleep(0.05)
        self.fail("%r not in the log within %ss" % (words, timeout))

    async def test_sighup_gives_new_connections_the_new_certificate(self):
        cert = os.path.join(self.folder, "live.pem")
        key = os.path.join(self.folder, "live.key")
        shutil.copy(self.first[0], cert)
        shutil.copy(self.first[1], key)
        server = self.start_server(cert, key)

        old = await Client.connect(server, "old")
        await old.hello()
        old_tls = old.ws.transport.get_extra_info("ssl_object")
        self.assertEqual(old_tls.getpeercert(True), der_of(self.first[0]))

        shutil.copy(self.second[0], cert)
        shutil.copy(self.second[1], key)
        server.proc.send_signal(signal.SIGHUP)
        self.wait_for_log(server, "certificate and key reloaded")

        new = await Client.connect(server, "new")
        await new.hello()
        new_tls = new.ws.transport.get_extra_info("ssl_object")
        self.assertEqual(new_tls.getpeercert(True), der_of(self.second[0]))
        # The connection opened before the reload goes on.
        await old.ping("still-here")
        await new.close()

        # A broken file: the server says why and keeps the second certificate.
        with open(cert, "w") as f:
            f.write("-----BEGIN CERTIFICATE-----\nnot base64\n")
        server.proc.send_signal(signal.SIGHUP)
        self.wait_for_log(server, "kept the certificate in use")
        self.assertIn("live.pem", server.log())
        third = await Client.connect(server, "third")
        await third.hello()
        third_tls = third.ws.transport.get_extra_info("ssl_object")
        self.assertEqual(third_tls.getpeercert(True), der_of(self.second[0]))
        await old.ping("after-the-broken-file")
        await third.close()
        await old.close()
        self.assertTrue(server.alive())

    def test_sighup_without_tls_changes_nothing_and_the_server_lives(self):
        server = KringServer([])
        server.start()
        self.addCleanup(server.cleanup)
        self.own_server = server
        server.proc.send_signal(signal.SIGHUP)
        self.wait_for_log(server, "nothing to reload")
        self.assertTrue(server.alive())


if __name__ == "__main__":
    unittest.main()


class RedirectListener(TlsTestCase):
    """redirect-listen: plain HTTP that sends browsers on to HTTPS and
    serves certbot's HTTP-01 files from acme-webroot."""

    TOKEN = "kV3_q-9xYtoken"

    def setUp(self):
        self.webroot = tempfile.mkdtemp(prefix="kring-acme-", dir=self.folder)
        challenges = os.path.join(self.webroot, ".well-known", "acme-challenge")
        os.makedirs(os.path.join(challenges, "a_folder"))
        with open(os.path.join(challenges, self.TOKEN), "w") as f:
            f.write(self.TOKEN + ".thumbprint")
        with open(os.path.join(self.webroot, "secret"), "w") as f:
            f.write("not for anyone")
        port_file = os.path.join(self.webroot, "..", "redirect-port-%d" % id(self))
        self.server = self.start_server(*self.first, args=[
            "--redirect-listen", "127.0.0.1:0", "--redirect-port-file", port_file,
            "--acme-webroot", self.webroot, "--server-name", "kring.test"])
        deadline = time.monotonic() + TIMEOUT
        while not os.path.exists(port_file):
            if time.monotonic() > deadline:
                self.fail("no redirect port file within %ss" % TIMEOUT)
            time.sleep(0.05)
        with open(port_file) as f:
            self.redirect_port = int(f.read().strip())

    def get(self, target, host):
        conn = http.client.HTTPConnection("127.0.0.1", self.redirect_port, timeout=TIMEOUT)
        conn.putrequest("GET", target, skip_host=True)
        if host is not None:
            conn.putheader("Host", host)
        conn.endheaders()
        res = conn.getresponse()
        body = res.read()
        conn.close()
        return res.status, res.getheader("Location"), body

    def raw(self, data):
        with socket.create_connection(("127.0.0.1", self.redirect_port), timeout=TIMEOUT) as s:
            s.sendall(data)
            got = b""
            while True:
                chunk = s.recv(4096)
                if not chunk:
                    return got
                got += chunk

    def test_a_page_asked_over_http_is_sent_on_to_the_same_path_on_https(self):
        tls_port = self.server.port
        for host, target, location in (
                ("kring.test", "/", "https://kring.test:%d/" % tls_port),
                ("kring.test:%d" % self.redirect_port, "/app.js?v=2",
                 "https://kring.test:%d/app.js?v=2" % tls_port),
                ("KRING.test", "/ws", "https://KRING.test:%d/ws" % tls_port),
                ("127.0.0.1:%d" % self.redirect_port, "/",
                 "https://127.0.0.1:%d/" % tls_port)):
            with self.subTest(host=host, target=target):
                status, where, _ = self.get(target, host)
                self.assertEqual((status, where), (301, location))
        # And the page is there.
        conn = http.client.HTTPSConnection("127.0.0.1", tls_port, timeout=TIMEOUT,
                                           context=self.authority.client_context())
        conn.request("GET", "/")
        self.assertEqual(conn.getresponse().status, 200)
        conn.close()

    def test_no_redirect_to_a_name_the_server_does_not_answer_to(self):
        for host in ("evil.example", "kring.test.evil.example", "", None):
            with self.subTest(host=host):
                status, where, _ = self.get("/", host)
                self.assertEqual((status, where), (400, None))
        status, where, _ = self.get("http://evil.example/", "kring.test")
        self.assertEqual((status, where), (400, None))
        self.assertIn(b" 400 ", self.raw(b"GET / HTTP/1.1\r\nHost: kring.test\r\nHost: evil.example\r\n\r\n"))
        self.assertIn(b" 400 ", self.raw(b"\x16\x03\x01 not http at all\r\n\r\n"))

    def test_certbot_files_are_served_and_nothing_else_from_the_webroot(self):
        status, where, body = self.get("/.well-known/acme-challenge/" + self.TOKEN, "kring.test")
        self.assertEqual((status, where, body), (200, None, (self.TOKEN + ".thumbprint").encode()))
        for token in ("missing_token", "a_folder", "..", "..%2fsecret", "../../secret",
                      self.TOKEN + "/", self.TOKEN + ".txt", ""):
            with self.subTest(token=token):
                status, where, body = self.get("/.well-known/acme-challenge/" + token, "kring.test")
                self.assertEqual(status, 404)
                self.assertNotIn(b"not for anyone", body)
        # Any host: the authority asks for the name being certified.
        status, _, _ = self.get("/.well-known/acme-challenge/" + self.TOKEN, "other.example")
        self.assertEqual(status, 200)

    def test_the_server_answers_a_slow_client_and_ends_cleanly(self):
        with socket.create_connection(("127.0.0.1", self.redirect_port), timeout=TIMEOUT) as idle:
            status, where, _ = self.get("/", "kring.test")
            self.assertEqual(status, 301)
            self.server.proc.send_signal(signal.SIGTERM)
            self.assertEqual(self.server.proc.wait(timeout=TIMEOUT), 0)
            self.assertEqual(idle.recv(1), b"")


class RedirectListenerConfig(TlsTestCase):
    def test_redirect_and_acme_webroot_need_what_they_serve(self):
        import subprocess
        db = os.path.join(self.folder, "y.db")
        for args, words in (
                (["--redirect-listen", "127.0.0.1:0"], b"redirect-listen sends browsers on to https://"),
                (["--acme-webroot", self.folder, "--tls-cert", self.first[0], "--tls-key", self.first[1]],
                 b"acme-webroot is served by the redirect-listen listener"),
                (["--redirect-listen", "80"], b"invalid value for --redirect-listen")):
            with self.subTest(args=args):
                res = subprocess.run([BINARY, "serve", "--db", db] + args, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, timeout=20)
                self.assertEqual(res.returncode, 2)
                self.assertIn(words, res.stderr)
