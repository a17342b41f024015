"""Certificates for Kring's TLS tests, made with the openssl command.

A test gets a throwaway certificate authority and, from it, server
certificates for 127.0.0.1 and localhost; a client trusts only that
authority (ssl.SSLContext with cafile=ca), so a handshake that succeeds
proves the server presented the certificate it was given.
"""

import os
import ssl
import subprocess


def _openssl(*args, cwd):
    res = subprocess.run(["openssl"] + list(args), cwd=cwd,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         timeout=60)
    if res.returncode != 0:
        raise RuntimeError("openssl %s failed: %s"
                           % (" ".join(args), res.stderr.decode()))


class Authority:
    """A CA in `folder` (ca.pem, ca.key) that issues server certificates."""

    def __init__(self, folder):
        self.folder = folder
        self.ca = os.path.join(folder, "ca.pem")
        self.ca_key = os.path.join(folder, "ca.key")
        _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes",
                 "-keyout", self.ca_key, "-out", self.ca, "-days", "2",
                 "-subj", "/CN=Kring test CA", cwd=folder)

    def issue(self, name):
        """Writes NAME.pem (the chain: server certificate, then the CA's)
        and NAME.key; returns (certificate path, key path)."""
        key = os.path.join(self.folder, name + ".key")
        csr = os.path.join(self.folder, name + ".csr")
        cert = os.path.join(self.folder, name + ".crt")
        ext = os.path.join(self.folder, name + ".ext")
        with open(ext, "w") as f:
            f.write("subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                    "extendedKeyUsage=serverAuth\n")
        _openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                 "-out", csr, "-subj", "/CN=" + name, cwd=self.folder)
        _openssl("x509", "-req", "-in", csr, "-CA", self.ca, "-CAkey",
                 self.ca_key, "-CAcreateserial", "-out", cert, "-days", "2",
                 "-extfile", ext, cwd=self.folder)
        chain = os.path.join(self.folder, name + ".pem")
        with open(chain, "wb") as out:
            for part in (cert, self.ca):
                with open(part, "rb") as f:
                    out.write(f.read())
        return chain, key

    def client_context(self):
        """What a careful client uses: this CA only, names checked."""
        ctx = ssl.create_default_context(cafile=self.ca)
        return ctx


def der_of(pem_chain):
    """The DER bytes of the first certificate in a PEM file."""
    with open(pem_chain) as f:
        text = f.read()
    end = "-----END CERTIFICATE-----"
    return ssl.PEM_cert_to_DER_cert(text[:text.index(end) + len(end)] + "\n")
