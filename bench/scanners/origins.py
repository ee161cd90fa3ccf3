"""The benchmark's loopback origins and their ground truth.

Each origin is a real TLS server started here, pinned by its configuration;
the ground truth is that configuration (versions, suites per version in the
server's order, whether it enforces that order, ECDHE groups for TLS <= 1.2 and
TLS 1.3, TLS 1.2 signature schemes), expressed as IANA code points. Suite
lists and orders are read back from the server library's own tools where it
has one (`openssl ciphers -V`, `gnutls-cli -l --priority`), so the truth is
what the library makes of the configuration, not a hand-written guess."""

import os
import pathlib
import re
import signal
import socket
import subprocess
import time

import names

START_TIMEOUT_S = 30


class Truth:
    """What the origin was configured with. None for a fact that does not apply
    (no TLS 1.2 signature schemes on an SSLv3-only server)."""

    def __init__(self, versions, suites, server_order, groups, tls13_groups, signature_schemes):
        self.versions = versions  # ["TLSv1.2", "TLSv1.3"], lowest first
        self.suites = suites  # {"TLSv1.2": [code, ...]} in server order when server_order[v]
        self.server_order = server_order  # {"TLSv1.2": True}
        self.groups = groups  # ECDHE groups in TLS <= 1.2 (set of codes), None: no ECDHE suite
        self.tls13_groups = tls13_groups  # set of codes, None: no TLS 1.3
        self.signature_schemes = signature_schemes  # TLS 1.2 ServerKeyExchange schemes (set), or None


class Origin:
    def __init__(self, key, title, config_text, start, truth):
        self.key = key
        self.title = title
        self.config_text = config_text  # one line: what the server runs with
        self._start = start
        self.truth = truth
        self.process = None
        self.port = 0
        self.log_dir = None

    def start(self, work_dir):
        self.log_dir = pathlib.Path(work_dir) / f"origin-{self.key}"
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.process, self.port = self._start(self.log_dir)
        return self

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
        self.process = None

    def running(self):
        return self.process is not None and self.process.poll() is None


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _spawn(argv, log_dir, env=None):
    out = open(log_dir / "stdout.log", "wb")
    err = open(log_dir / "stderr.log", "wb")
    (log_dir / "command.txt").write_text(" ".join(map(str, argv)) + "\n")
    # Own process group: stop() ends the server and nothing else.
    return subprocess.Popen([str(a) for a in argv], stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                            env=env, start_new_session=True)


def _wait_listening(process, port, log_dir):
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"server did not listen on {port} within {START_TIMEOUT_S}s; logs in {log_dir}")


def _launch_on_free_port(make_argv, log_dir):
    """Starts the server on a free port; retries when another process took the port first."""
    for _ in range(5):
        port = _free_port()
        process = _spawn(make_argv(port), log_dir)
        if _wait_listening(process, port, log_dir):
            return process, port
    raise RuntimeError(f"server would not start; logs in {log_dir}: "
                       + (log_dir / "stderr.log").read_text(errors="replace")[-2000:])


def _openssl_codes(cipher_list, version_flag):
    """Codes of an OpenSSL cipher string in OpenSSL's order (`openssl ciphers -V`)."""
    out = subprocess.run(["openssl", "ciphers", "-V", version_flag, "-ciphersuites", "", cipher_list], check=True,
                         capture_output=True, text=True, timeout=30).stdout
    codes = []
    for line in out.splitlines():
        m = re.match(r"\s*0x([0-9A-F]{2}),0x([0-9A-F]{2})", line)
        if m:
            codes.append(int(m.group(1) + m.group(2), 16))
    return codes


def _openssl_tls13_codes(ciphersuites):
    return [names.TLS13_SUITES[name] for name in ciphersuites.split(":")]


def _gnutls_suites(priority):
    """{version: [codes]} of a GnuTLS priority string, in its priority order (`gnutls-cli -l`)."""
    out = subprocess.run(["gnutls-cli", "-l", "--priority", priority], check=True, capture_output=True,
                         text=True, timeout=30).stdout
    by_version = {}
    versions = []
    for line in out.splitlines():
        m = re.match(r"Protocols: (.*)", line)
        if m:
            versions = [names.GNUTLS_VERSIONS[v.strip()] for v in m.group(1).split(",") if v.strip()]
    order = names.VERSION_ORDER
    for line in out.splitlines():
        m = re.match(r"TLS_\S+\s+0x([0-9a-f]{2}), 0x([0-9a-f]{2})\s+(\S+)", line)
        if not m:
            continue
        code = int(m.group(1) + m.group(2), 16)
        minimum = names.GNUTLS_VERSIONS[m.group(3)]
        for version in versions:
            if order.index(version) >= order.index(minimum):
                by_version.setdefault(version, []).append(code)
    return by_version


def modern_rsa(pki):
    """openssl s_server, RSA-2048: TLS 1.2 and 1.3, ECDHE and RSA key exchange, GCM, CHACHA20 and
    CBC, X25519/P-256/P-384, server preference on."""
    tls12 = ("ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-CHACHA20-POLY1305:ECDHE-RSA-AES256-GCM-SHA384:"
             "ECDHE-RSA-AES128-SHA256:ECDHE-RSA-AES128-SHA:AES128-GCM-SHA256:AES128-SHA")
    tls13 = "TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_256_GCM_SHA384"
    groups = "X25519:P-256:P-384"
    sigalgs = "rsa_pss_rsae_sha256:rsa_pkcs1_sha256:rsa_pss_rsae_sha384:rsa_pkcs1_sha384"
    argv = lambda port: ["openssl", "s_server", "-accept", f"127.0.0.1:{port}", "-www", "-quiet",
                         "-min_protocol", "TLSv1.2", "-cipher", tls12, "-ciphersuites", tls13,
                         "-groups", groups, "-sigalgs", sigalgs, "-serverpref",
                         "-cert", pki.rsa.cert, "-key", pki.rsa.key, "-cert_chain", pki.intermediate]
    group_codes = {names.GROUPS[g] for g in ("x25519", "secp256r1", "secp384r1")}
    truth = Truth(versions=["TLSv1.2", "TLSv1.3"],
                  suites={"TLSv1.2": _openssl_codes(tls12, "-tls1_2"), "TLSv1.3": _openssl_tls13_codes(tls13)},
                  server_order={"TLSv1.2": True, "TLSv1.3": True},
                  groups=group_codes, tls13_groups=group_codes,
                  signature_schemes={names.SCHEMES[s] for s in sigalgs.split(":")})
    return Origin("modern-rsa", "modern RSA (openssl s_server)",
                  f"TLS1.2+1.3 -serverpref -cipher {tls12} -ciphersuites {tls13} -groups {groups} "
                  f"-sigalgs {sigalgs}",
                  lambda log_dir: _launch_on_free_port(argv, log_dir), truth)


def legacy_rc4_3des(pki):
    """gnutls-serv, RSA-2048: TLS 1.0 to 1.2 with RC4 and 3DES next to AES-CBC, RSA and ECDHE_RSA key
    exchange, P-256/P-384, SHA-256 and SHA-1 signatures, server precedence."""
    priority = ("NONE:+VERS-TLS1.2:+VERS-TLS1.1:+VERS-TLS1.0:+ECDHE-RSA:+RSA:+AES-128-CBC:+3DES-CBC:"
                "+ARCFOUR-128:+SHA1:+MD5:+GROUP-SECP256R1:+GROUP-SECP384R1:+SIGN-RSA-SHA256:"
                "+SIGN-RSA-SHA1:+COMP-NULL:+CTYPE-X509:%SERVER_PRECEDENCE")
    argv = lambda port: ["gnutls-serv", "--http", "--port", port, "--priority", priority,
                         "--x509certfile", pki.rsa.chain, "--x509keyfile", pki.rsa.key]
    suites = _gnutls_suites(priority)
    truth = Truth(versions=["TLSv1", "TLSv1.1", "TLSv1.2"], suites=suites,
                  server_order={v: True for v in suites},
                  groups={names.GROUPS["secp256r1"], names.GROUPS["secp384r1"]}, tls13_groups=None,
                  signature_schemes={names.SCHEMES["rsa_pkcs1_sha256"], names.SCHEMES["rsa_pkcs1_sha1"]})
    return Origin("legacy-rc4-3des", "legacy RC4/3DES (gnutls-serv)", f"--priority {priority}",
                  lambda log_dir: _launch_on_free_port(argv, log_dir), truth)


def sslv3_only(pki, java_classes):
    """SunJSSE (tests/support/java/JsseServer.java, every legacy algorithm re-enabled), RSA-2048:
    SSLv3 only, ECDHE_RSA and RSA key exchange with AES-CBC and 3DES, P-256/P-384. JSSE server
    sockets honour their own suite order by default (SSLParameters.getUseCipherSuitesOrder())."""
    suites = ["TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
              "TLS_RSA_WITH_AES_128_CBC_SHA", "SSL_RSA_WITH_3DES_EDE_CBC_SHA"]
    groups = "secp256r1,secp384r1"

    def start(log_dir):
        argv = ["java", "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                f"-Djdk.tls.namedGroups={groups}", "-cp", java_classes, "JsseServer",
                "--identity", pki.rsa.key_type, pki.rsa.key, pki.rsa.chain, "--listen", "SSLv3", ",".join(suites)]
        process = _spawn(argv, log_dir)
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline and process.poll() is None:
            m = re.search(r"LISTENING 0 (\d+)\s+READY", (log_dir / "stdout.log").read_text())
            if m:
                return process, int(m.group(1))
            time.sleep(0.1)
        raise RuntimeError(f"JSSE server did not start; logs in {log_dir}")

    truth = Truth(versions=["SSLv3"], suites={"SSLv3": [names.JSSE_SUITES[s] for s in suites]},
                  server_order={"SSLv3": True},
                  groups={names.GROUPS["secp256r1"], names.GROUPS["secp384r1"]}, tls13_groups=None,
                  signature_schemes=None)
    return Origin("sslv3-only", "SSLv3-only (Java JSSE)",
                  f"SSLv3 only, suites {','.join(suites)} (server order), jdk.tls.namedGroups={groups}",
                  start, truth)


def ecdsa_p384(pki):
    """openssl s_server, ECDSA P-384 certificate: TLS 1.2 only, ECDHE_ECDSA suites, P-384 the only
    group (so the certificate's curve is the only usable one), one signature scheme, client order."""
    tls12 = ("ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305:"
             "ECDHE-ECDSA-AES128-SHA")
    groups = "P-384"
    sigalgs = "ecdsa_secp384r1_sha384"
    argv = lambda port: ["openssl", "s_server", "-accept", f"127.0.0.1:{port}", "-www", "-quiet", "-tls1_2",
                         "-cipher", tls12, "-groups", groups, "-sigalgs", sigalgs,
                         "-cert", pki.ecdsa_p384.cert, "-key", pki.ecdsa_p384.key,
                         "-cert_chain", pki.intermediate]
    truth = Truth(versions=["TLSv1.2"], suites={"TLSv1.2": _openssl_codes(tls12, "-tls1_2")},
                  server_order={"TLSv1.2": False}, groups={names.GROUPS["secp384r1"]}, tls13_groups=None,
                  signature_schemes={names.SCHEMES[sigalgs]})
    return Origin("ecdsa-p384", "ECDSA P-384-only (openssl s_server)",
                  f"TLS1.2 only, client order, -cipher {tls12} -groups {groups} -sigalgs {sigalgs}",
                  lambda log_dir: _launch_on_free_port(argv, log_dir), truth)


def all_origins(pki, java_classes):
    return [modern_rsa(pki), legacy_rc4_3des(pki), sslv3_only(pki, java_classes), ecdsa_p384(pki)]
