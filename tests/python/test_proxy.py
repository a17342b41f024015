"""Kring behind a reverse proxy: a real nginx (deploy/nginx/kring-proxy.conf)
and a real Caddy (deploy/caddy/Caddyfile) on loopback, and forwarded
addresses believed only from --trusted-proxy.

Clients speak from distinct loopback addresses (127.0.0.5, 127.0.0.6, ...)
so that they are distinct networks to Kring when it believes the proxy,
and one network (the proxy's, 127.0.0.1) when it does not.
"""

import asyncio
import http.client
import unittest

import websockets.exceptions

from kring_harness import Client, KringServer, TIMEOUT
from caddy_proxy import CaddyProxy, caddy_available
from nginx_proxy import NginxProxy, nginx_available


async def connect_from(target, address, label, **kw):
    return await Client.connect(target, label,
                                local_addr=(address, 0), **kw)


class ProxyTestCase(unittest.IsolatedAsyncioTestCase):
    PROXY = (NginxProxy, nginx_available, "nginx")  # the proxy in front, when proxied

    def start(self, args, proxied=True, rooms=(), moderators=()):
        server = KringServer(list(args), rooms=list(rooms), moderators=list(moderators))
        server.start()
        self.addCleanup(server.cleanup)
        self.own_server = server
        if not proxied:
            return server, None
        front, available, name = self.PROXY
        if not available():
            self.skipTest("%s is not installed (deploy/install-deps.sh --test)" % name)
        proxy = front(server).start()
        self.addCleanup(proxy.cleanup)
        self.proxy = proxy
        return server, proxy

    async def refused_with(self, status, target, address):
        with self.assertRaises(websockets.exceptions.InvalidStatusCode) as e:
            await connect_from(target, address, "refused")
        self.assertEqual(e.exception.status_code, status)

    def run(self, result=None):
        if result is None:
            return super().run(result)
        before = len(result.failures) + len(result.errors)
        out = super().run(result)
        if len(result.failures) + len(result.errors) > before:
            srv = getattr(self, "own_server", None)
            if srv:
                print("\n----- kring log -----\n%s" % srv.log())
            proxy = getattr(self, "proxy", None)
            if proxy:
                print("----- %s log -----\n%s" % (self.PROXY[2], proxy.errors()))
        return out


class ThroughNginx(ProxyTestCase):
    async def test_clients_chat_through_nginx(self):
        server, proxy = self.start(["--trusted-proxy", "127.0.0.1"])
        a = await Client.connect(proxy, "a", origin=proxy.own_origin)
        b = await Client.connect(proxy, "b", origin=proxy.own_origin)
        await a.hello(name="Ana")
        await b.hello(name="Ben")
        await a.join("demo")
        await b.join("demo")
        await a.expect("member_joined")
        await b.say("demo", "through the proxy")
        got = await a.expect("message")
        self.assertEqual(got["text"], "through the proxy")
        await a.ws_ping()
        await a.close()
        await b.close()

    def test_the_page_and_healthz_come_through_nginx(self):
        server, proxy = self.start(["--trusted-proxy", "127.0.0.1"])
        conn = http.client.HTTPConnection("127.0.0.1", proxy.port,
                                          timeout=TIMEOUT)
        conn.request("GET", "/healthz")
        res = conn.getresponse()
        self.assertEqual((res.status, res.read()), (200, b"ok\n"))
        conn.request("GET", "/")
        res = conn.getresponse()
        self.assertEqual(res.status, 200)
        self.assertIn(b"<html", res.read().lower())
        conn.close()

    async def test_per_network_limits_count_each_client_behind_the_proxy(self):
        server, proxy = self.start(["--trusted-proxy", "127.0.0.1",
                                    "--max-connections-per-network", "2"])
        first = [await connect_from(proxy, "127.0.0.5", "five-%d" % i)
                 for i in range(2)]
        await self.refused_with(503, proxy, "127.0.0.5")
        other = await connect_from(proxy, "127.0.0.6", "six")
        await other.hello()
        for c in first + [other]:
            await c.close()

    async def test_an_untrusted_proxy_is_one_network(self):
        # The same nginx, not named as trusted: all its clients count as its
        # own address, and the second network is refused too.
        server, proxy = self.start(["--max-connections-per-network", "2"])
        first = [await connect_from(proxy, "127.0.0.5", "five-%d" % i)
                 for i in range(2)]
        await self.refused_with(503, proxy, "127.0.0.6")
        for c in first:
            await c.close()


class BansThroughNginx(ProxyTestCase):
    PASSWORD = "harbour-lantern-tulip-42"

    async def test_an_address_ban_holds_the_clients_network_not_the_proxys(self):
        server, proxy = self.start(["--trusted-proxy", "127.0.0.1"],
                                   rooms=[{"slug": "circle", "title": "A circle"}],
                                   moderators=[{"name": "sara", "password": self.PASSWORD,
                                                "rooms": ["circle"]}])
        mod = await connect_from(proxy, "127.0.0.9", "sara")
        await mod.hello()
        await mod.send({"type": "login", "user": "sara", "password": self.PASSWORD, "ref": "login"})
        await mod.expect("logged_in")
        await mod.join("circle")
        troll = await connect_from(proxy, "127.0.0.5", "troll")
        await troll.hello(device="proxy-ban-device-0001-abcdefgh")
        troll_id = (await troll.join("circle"))["you"]["id"]
        await mod.expect("member_joined")
        await mod.send({"type": "ban", "room": "circle", "member": troll_id, "scope": "room",
                        "hours": 1, "address": True, "ref": "ban"})
        await mod.expect_frames(("ok", {"ref": "ban"}), ("banned", {"member": troll_id}))
        # A new device from the troll's network is refused...
        again = await connect_from(proxy, "127.0.0.5", "troll-again")
        await again.hello(device="proxy-ban-device-0002-different")
        await again.send({"type": "join", "room": "circle", "ref": "j"})
        await again.expect_error("banned", ref="j")
        # ...while someone from another network behind the same proxy joins.
        other = await connect_from(proxy, "127.0.0.6", "other")
        await other.hello()
        await other.join("circle")
        for c in (mod, troll, again, other):
            await c.close()


class ThroughCaddy(ProxyTestCase):
    """The same through Caddy, with deploy/caddy/Caddyfile's site block."""
    PROXY = (CaddyProxy, caddy_available, "caddy")

    test_clients_chat_through_caddy = ThroughNginx.test_clients_chat_through_nginx
    test_the_page_and_healthz_come_through_caddy = ThroughNginx.test_the_page_and_healthz_come_through_nginx
    test_per_network_limits_count_each_client_behind_caddy = \
        ThroughNginx.test_per_network_limits_count_each_client_behind_the_proxy
    test_an_untrusted_caddy_is_one_network = ThroughNginx.test_an_untrusted_proxy_is_one_network


class BansThroughCaddy(BansThroughNginx):
    PROXY = (CaddyProxy, caddy_available, "caddy")


class ForwardedHeaders(ProxyTestCase):
    """Kring alone, clients writing the headers a proxy would write."""

    async def test_a_client_that_is_no_trusted_proxy_cannot_claim_an_address(self):
        server, _ = self.start(["--trusted-proxy", "127.0.0.1",
                                "--max-connections-per-network", "1"],
                               proxied=False)
        held = await connect_from(server, "127.0.0.5", "five")
        # From 127.0.0.7, claiming to be a fresh network: still 127.0.0.7.
        claim = {"X-Forwarded-For": "198.51.100.1"}
        sneaky = await connect_from(server, "127.0.0.7", "seven",
                                    extra_headers=claim)
        with self.assertRaises(websockets.exceptions.InvalidStatusCode) as e:
            await connect_from(server, "127.0.0.7", "seven-again",
                               extra_headers={"X-Forwarded-For": "198.51.100.2"})
        self.assertEqual(e.exception.status_code, 503)
        await held.close()
        await sneaky.close()

    async def test_a_trusted_proxy_names_the_network_of_each_request(self):
        server, _ = self.start(["--trusted-proxy", "127.0.0.1",
                                "--max-connections-per-network", "1"],
                               proxied=False)
        a = await connect_from(server, "127.0.0.1", "a",
                               extra_headers={"X-Forwarded-For": "198.51.100.1"})
        with self.assertRaises(websockets.exceptions.InvalidStatusCode) as e:
            await connect_from(server, "127.0.0.1", "a-again",
                               extra_headers={"X-Forwarded-For": "198.51.100.1"})
        self.assertEqual(e.exception.status_code, 503)
        b = await connect_from(server, "127.0.0.1", "b",
                               extra_headers={"X-Forwarded-For": "198.51.100.2"})
        await b.hello()
        await a.close()
        await b.close()

    async def test_forwarded_is_read_only_when_configured(self):
        server, _ = self.start(["--trusted-proxy", "127.0.0.1",
                                "--forwarded-header", "forwarded",
                                "--max-connections-per-network", "1"],
                               proxied=False)
        a = await connect_from(server, "127.0.0.1", "a",
                               extra_headers={"Forwarded": "for=198.51.100.1",
                                              "X-Forwarded-For": "198.51.100.9"})
        # X-Forwarded-For is not what this server reads: same network.
        with self.assertRaises(websockets.exceptions.InvalidStatusCode) as e:
            await connect_from(server, "127.0.0.1", "a-again",
                               extra_headers={"Forwarded": "for=198.51.100.1",
                                              "X-Forwarded-For": "198.51.100.8"})
        self.assertEqual(e.exception.status_code, 503)
        b = await connect_from(server, "127.0.0.1", "b",
                               extra_headers={"Forwarded": 'for="198.51.100.2:4711"'})
        await a.close()
        await b.close()

    async def test_the_origin_follows_a_trusted_proxys_https(self):
        server, _ = self.start(["--trusted-proxy", "127.0.0.1"],
                               proxied=False)
        https_origin = "https://" + server.host
        https = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.1"}
        c = await connect_from(server, "127.0.0.1", "https-page",
                               origin=https_origin, extra_headers=https)
        await c.hello()
        await c.close()
        # The page's http origin, when the proxy says the page was https: no.
        with self.assertRaises(websockets.exceptions.InvalidStatusCode) as e:
            await connect_from(server, "127.0.0.1", "http-origin",
                               origin=server.own_origin, extra_headers=https)
        self.assertEqual(e.exception.status_code, 403)
        # An untrusted client saying https: its word is not taken.
        with self.assertRaises(websockets.exceptions.InvalidStatusCode) as e:
            await connect_from(server, "127.0.0.5", "claims-https",
                               origin=https_origin, extra_headers=https)
        self.assertEqual(e.exception.status_code, 403)


if __name__ == "__main__":
    unittest.main()
