"""A real PostgreSQL server for the tests, started in a scratch folder.

initdb and pg_ctl from Debian's postgresql package (/usr/lib/postgresql/N/bin,
or $KRING_PG_BIN); the server listens on a Unix socket in the folder and,
when asked, on a loopback TCP port. As root it runs as the "postgres"
account (PostgreSQL refuses to run as root).
"""

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile


def _binaries():
    given = os.environ.get("KRING_PG_BIN")
    if given:
        return given
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0)
    if not found:
        raise RuntimeError("PostgreSQL's server is not installed (Debian's package "
                           "postgresql; deploy/install-deps.sh --test installs it)")
    return os.path.dirname(found[-1])


def _account():
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            pass
    raise RuntimeError("as root, the PostgreSQL tests need a postgres or nobody account")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresCluster:
    def __init__(self, tcp=False):
        self.bin = _binaries()
        self.account = _account()
        self.dir = tempfile.mkdtemp(prefix="kring-pg-")
        self.data = os.path.join(self.dir, "data")
        self.log_path = os.path.join(self.dir, "server.log")
        self.port = free_port() if tcp else 5432
        self.tcp = tcp
        self.databases = 0
        if self.account is not None:
            os.chown(self.dir, self.account.pw_uid, self.account.pw_gid)
        self._run("initdb", "-D", self.data, "-U", "kring", "-A", "trust", "-E", "UTF8",
                  "--locale=C", "--no-sync")
        self.start()

    def _as_account(self):
        if self.account is None:
            return None
        account = self.account

        def drop():
            os.setgroups([])
            os.setgid(account.pw_gid)
            os.setuid(account.pw_uid)
        return drop

    def _run(self, program, *args):
        res = subprocess.run([os.path.join(self.bin, program)] + list(args),
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             preexec_fn=self._as_account(), timeout=60)
        if res.returncode != 0:
            raise RuntimeError("%s failed: %s" % (program, res.stdout.decode("utf-8", "replace")))
        return res.stdout.decode("utf-8", "replace")

    def start(self):
        listen = "127.0.0.1" if self.tcp else ""
        self._run("pg_ctl", "-D", self.data, "-l", self.log_path, "-w", "-s", "-o",
                  "-c listen_addresses=%s -p %d -k %s -c fsync=off -c full_page_writes=off"
                  % (listen, self.port, self.dir), "start")

    def stop(self, mode="fast"):
        self._run("pg_ctl", "-D", self.data, "-m", mode, "-w", "-s", "stop")

    def uri(self, name="postgres", tcp=False, password=None):
        if tcp:
            who = "kring" + (":" + password if password else "")
            return "postgresql://%s@127.0.0.1:%d/%s" % (who, self.port, name)
        return "postgresql:///%s?host=%s&port=%d&user=kring" % (name, self.dir, self.port)

    def psql(self, sql, name="postgres"):
        """Runs SQL with psql; returns its unaligned output."""
        res = subprocess.run([os.path.join(self.bin, "psql"), "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                              "-d", self.uri(name), "-c", sql],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
        if res.returncode != 0:
            raise RuntimeError("psql failed: %s" % res.stderr.decode("utf-8", "replace"))
        return res.stdout.decode("utf-8", "replace").strip()

    def fresh_database(self):
        self.databases += 1
        name = "kring_test_%d" % self.databases
        self.psql("CREATE DATABASE %s" % name)
        return name

    def cleanup(self):
        try:
            self.stop("immediate")
        except (RuntimeError, subprocess.TimeoutExpired):
            pass
        shutil.rmtree(self.dir, ignore_errors=True)
