"""The scanner benchmark's PKI, made with the openssl command line: a root CA,
an intermediate, and two leaves for ORIGIN_NAME (RSA-2048 and ECDSA P-384)
signed by the intermediate. Servers send leaf + intermediate; edgefetch trusts
the root (--ca-file), so its verdict handshake verifies a two-link chain.
Keys are PKCS#8 PEM (what the JSSE server reads)."""

import pathlib
import subprocess

ORIGIN_NAME = "origin.bench.test"


class Leaf:
    def __init__(self, key_type, key, chain):
        self.key_type = key_type  # "RSA" or "EC" (the JSSE server's --identity type)
        self.key = key  # PKCS#8 PEM
        self.chain = chain  # leaf then intermediate
        self.cert = chain.with_name(chain.stem + "-leaf.pem")  # the leaf alone


class Pki:
    def __init__(self, directory):
        self.dir = pathlib.Path(directory)
        self.ca_file = self.dir / "root.pem"
        self.intermediate = self.dir / "intermediate.pem"
        self.rsa = Leaf("RSA", self.dir / "rsa.key", self.dir / "rsa-chain.pem")
        self.ecdsa_p384 = Leaf("EC", self.dir / "p384.key", self.dir / "p384-chain.pem")

    def generate(self):
        self.dir.mkdir(parents=True, exist_ok=True)
        d = self.dir
        _genkey(d / "root.key", "RSA", ["-pkeyopt", "rsa_keygen_bits:2048"])
        _openssl("req", "-x509", "-new", "-key", d / "root.key", "-subj", "/CN=edgefetch bench root",
                 "-days", "365", "-sha256", "-out", self.ca_file,
                 "-addext", "basicConstraints=critical,CA:TRUE",
                 "-addext", "keyUsage=critical,keyCertSign,cRLSign")
        _genkey(d / "intermediate.key", "RSA", ["-pkeyopt", "rsa_keygen_bits:2048"])
        _sign(d, d / "intermediate.key", "/CN=edgefetch bench intermediate", self.ca_file, d / "root.key",
              self.intermediate, ["basicConstraints=critical,CA:TRUE,pathlen:0",
                                  "keyUsage=critical,keyCertSign,cRLSign"])
        leaf_ext = [f"subjectAltName=DNS:{ORIGIN_NAME},IP:127.0.0.1", "basicConstraints=CA:FALSE",
                    "extendedKeyUsage=serverAuth"]
        _genkey(self.rsa.key, "RSA", ["-pkeyopt", "rsa_keygen_bits:2048"])
        _genkey(self.ecdsa_p384.key, "EC", ["-pkeyopt", "ec_paramgen_curve:P-384"])
        for leaf, usage in ((self.rsa, "digitalSignature,keyEncipherment"),
                            (self.ecdsa_p384, "digitalSignature")):
            _sign(d, leaf.key, f"/CN={ORIGIN_NAME}", self.intermediate, d / "intermediate.key", leaf.cert,
                  leaf_ext + [f"keyUsage=critical,{usage}"])
            leaf.chain.write_text(leaf.cert.read_text() + self.intermediate.read_text())
        return self

    def exists(self):
        return all(p.exists() for p in (self.ca_file, self.rsa.chain, self.ecdsa_p384.chain))


def _openssl(*args):
    subprocess.run(["openssl", *map(str, args)], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.PIPE, timeout=60)


def _genkey(path, algorithm, options):
    _openssl("genpkey", "-algorithm", algorithm, *options, "-out", path)


def _sign(directory, key, subject, issuer_cert, issuer_key, out, extensions):
    csr = directory / (out.stem + ".csr")
    ext = directory / (out.stem + ".ext")
    ext.write_text("".join(line + "\n" for line in extensions))
    _openssl("req", "-new", "-key", key, "-subj", subject, "-out", csr)
    _openssl("x509", "-req", "-in", csr, "-CA", issuer_cert, "-CAkey", issuer_key, "-CAcreateserial",
             "-days", "365", "-sha256", "-extfile", ext, "-out", out)
