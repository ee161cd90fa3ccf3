"""The three scanners: how each is run (the option set that matches what
`edgefetch check` reports) and how its output is read into Findings, the common
form the grader compares with the ground truth.

Findings fields are None when the tool does not report that fact at all; an
empty collection means it reported "none"."""

import json
import pathlib
import re
import subprocess
import time
import xml.etree.ElementTree as ElementTree

import names
from pki import ORIGIN_NAME

TESTSSL_MAPPING = pathlib.Path("/etc/testssl/cipher-mapping.txt")


class Findings:
    def __init__(self):
        self.versions = None  # set of names in names.VERSION_ORDER (+ "SSLv2")
        self.suites = None  # {version: [codes]} in the order the tool lists them
        self.order_flag = {}  # {version: True (server's order) / False (client's) }; absent: not said
        self.order_claim = {}  # {version: [codes]} the tool presents as the server's order
        self.groups = None  # TLS <= 1.2 ECDHE groups (set of codes)
        self.tls13_groups = None  # TLS 1.3 groups (set of codes)
        self.groups_any = None  # one list for every version (a tool that does not split them)
        self.signature_schemes = None  # TLS 1.2 ServerKeyExchange schemes (set of codes)
        self.notes = []


class Run:
    def __init__(self, tool, command):
        self.tool = tool
        self.command = command
        self.wall_s = None
        self.connections = None
        self.exit_code = None
        self.error = None  # why there are no findings (timeout, unreadable output)
        self.findings = None
        self.raw = None  # path of the tool's output


def run_tool(tool, command, relay, stdout_path, read_path, timeout_s, read):
    """Runs `command` against the relay, times it on the wall clock, counts the relay's
    accepted connections, and reads the findings with `read(read_path)`."""
    run = Run(tool, command)
    run.raw = read_path
    relay.reset()
    start = time.monotonic()
    try:
        with open(stdout_path, "wb") as out, open(str(stdout_path) + ".stderr", "wb") as err:
            completed = subprocess.run([str(c) for c in command], stdout=out, stderr=err,
                                       stdin=subprocess.DEVNULL, timeout=timeout_s, cwd=stdout_path.parent)
        run.exit_code = completed.returncode
    except subprocess.TimeoutExpired:
        run.error = f"did not finish within {timeout_s} s"
    run.wall_s = time.monotonic() - start
    time.sleep(0.05)  # a connection the tool opened just before exiting is still counted
    run.connections = relay.connections
    if run.error is None:
        try:
            run.findings = read(read_path)
        except (OSError, ValueError, KeyError, ElementTree.ParseError) as error:
            run.error = f"unreadable output ({type(error).__name__}: {error}); see {read_path}"
    return run


# ---------------------------------------------------------------- edgefetch

def edgefetch_command(binary, relay_port, ca_file):
    target = f"{ORIGIN_NAME}:{relay_port}"
    # One profile, as the scanners judge one: the second verdict (cloudfront-2025)
    # would add a handshake the other tools do not make.
    return [str(binary), "check", target, "--resolve", f"{target}:127.0.0.1", "--ca-file", str(ca_file),
            "--json", "--no-compare"]


def _code(text):
    return int(text, 16)


def read_edgefetch(path):
    report = json.loads(path.read_text())
    supported = report.get("supported")
    f = Findings()
    if supported is None:
        f.notes.append("no enumeration")
        return f
    f.versions = {v["name"] for v in supported["versions"] if v["accepted"]}
    f.suites = {version: [_code(s["code"]) for s in suites]
                for version, suites in supported["suites_by_version"].items()}
    for version, preference in supported["server_preference"].items():
        if preference in ("yes", "no"):
            f.order_flag[version] = preference == "yes"
        if preference == "yes":
            f.order_claim[version] = f.suites.get(version, [])
    f.groups = {_code(g["code"]) for g in supported["groups"]}
    if "TLSv1.3" in f.versions:
        f.tls13_groups = {_code(g["code"]) for g in supported["tls13_groups"]}
    f.signature_schemes = {_code(s["code"]) for s in supported["signature_schemes"]}
    if not supported.get("complete", True):
        f.notes.append("edgefetch marked its lists incomplete")
    f.notes.append(f"verdict {report['verdict']}, edgefetch counted {report['probes']} connections, "
                   f"{report['elapsed_ms']} ms")
    return f


# ---------------------------------------------------------------- sslscan

# Everything sslscan does by default that edgefetch check also reports (versions, suites per
# version in server order, groups, certificate, renegotiation), plus --show-sigs for the
# signature schemes; its checks for things edgefetch does not test are off.
SSLSCAN_OPTIONS = ["--show-sigs", "--no-heartbleed", "--no-compression", "--no-fallback", "--no-colour"]


def sslscan_command(relay_port):
    return ["sslscan", *SSLSCAN_OPTIONS, f"--sni-name={ORIGIN_NAME}", "--xml=-", f"127.0.0.1:{relay_port}"]


def _sslscan_version(text):
    return {"SSLv2": "SSLv2", "SSLv3": "SSLv3", "TLSv1.0": "TLSv1", "TLSv1.1": "TLSv1.1",
            "TLSv1.2": "TLSv1.2", "TLSv1.3": "TLSv1.3"}[text]


def read_sslscan(path):
    text = path.read_text(errors="replace")
    start = text.find("<?xml")
    if start < 0:
        raise ValueError("no XML document in sslscan's output")
    root = ElementTree.fromstring(text[start:])
    test = root.find("ssltest")
    if test is None:
        raise ValueError("no <ssltest> in sslscan's XML")
    f = Findings()
    f.versions = set()
    for protocol in test.findall("protocol"):
        if protocol.get("enabled") == "1":
            prefix = "SSLv" if protocol.get("type") == "ssl" else "TLSv"
            version = prefix + protocol.get("version")
            f.versions.add("TLSv1" if version == "TLSv1.0" else version)
    f.suites = {}
    for cipher in test.findall("cipher"):
        f.suites.setdefault(_sslscan_version(cipher.get("sslversion")), []).append(_code(cipher.get("id")))
    # sslscan documents its cipher listing as "in order of server preference" but never says
    # whether the server has a preference: the order is a claim, the flag is not reported.
    f.order_claim = {version: list(codes) for version, codes in f.suites.items()}
    groups = {}
    for group in test.findall("group"):
        groups.setdefault(_sslscan_version(group.get("sslversion")), set()).add(_code(group.get("id")))
    if groups:
        tls12_style = set().union(*(g for v, g in groups.items() if v != "TLSv1.3"))
        f.groups = tls12_style if tls12_style else None
        f.tls13_groups = groups.get("TLSv1.3")
    schemes = [s for s in test.findall("connection-signature-algorithm") if s.get("sslversion") == "TLSv1.2"]
    if schemes:
        f.signature_schemes = {_code(s.get("id")) for s in schemes}
    return f


# ---------------------------------------------------------------- testssl.sh

# -p protocols, -E suites per protocol (edgefetch reports suites_by_version; -e would merge the
# versions), -P server preference and the order per protocol, -f forward secrecy incl. the
# ECDHE curves, -S certificate(s) and SNI behaviour. No vulnerability, header or client
# simulation checks: edgefetch check does not make them. testssl.sh 3.0 has no TLS 1.2
# signature scheme enumeration.
TESTSSL_OPTIONS = ["-p", "-E", "-P", "-f", "-S"]


def testssl_command(relay_port, json_path):
    return ["testssl", "--quiet", "--color", "0", "--warnings", "off", "--nodns", "none",
            "--connect-timeout", "10", "--openssl-timeout", "10", "--jsonfile", str(json_path),
            *TESTSSL_OPTIONS, f"127.0.0.1:{relay_port}"]


_TESTSSL_VERSION_IDS = {"SSLv2": "SSLv2", "SSLv3": "SSLv3", "TLS1": "TLSv1", "TLS1_1": "TLSv1.1",
                        "TLS1_2": "TLSv1.2", "TLS1_3": "TLSv1.3"}
_TESTSSL_CIPHER_VERSIONS = {"ssl3": "SSLv3", "tls1": "TLSv1", "tls1_1": "TLSv1.1", "tls1_2": "TLSv1.2",
                            "tls1_3": "TLSv1.3", "ssl2": "SSLv2"}


def _testssl_name_map():
    by_name = {}
    for line in TESTSSL_MAPPING.read_text().splitlines():
        m = re.match(r"\s*0x([0-9A-F]{2}),0x([0-9A-F]{2}) - (\S+)\s+(\S+)", line)
        if m:
            code = int(m.group(1) + m.group(2), 16)
            by_name.setdefault(m.group(3), code)
            by_name.setdefault(m.group(4), code)
    return by_name


def read_testssl(path):
    findings = json.loads(path.read_text())
    by_id = {item["id"]: item["finding"] for item in findings}
    f = Findings()
    f.versions = {version for key, version in _TESTSSL_VERSION_IDS.items()
                  if key in by_id and "offered" in by_id[key] and "not offered" not in by_id[key]}
    f.suites = {}
    for item in findings:
        m = re.match(r"cipher-(\w+?)_x([0-9a-f]+)$", item["id"])
        if m and m.group(1) in _TESTSSL_CIPHER_VERSIONS:
            f.suites.setdefault(_TESTSSL_CIPHER_VERSIONS[m.group(1)], []).append(int(m.group(2), 16))
    order = by_id.get("cipher_order", "")
    # "server" / "NOT a cipher order configured"; anything else ("Could not determine server
    # cipher order ...") says nothing about the server's order.
    enforced = True if order.startswith("server") else False if order.startswith("NOT a cipher order") else None
    if enforced is not None:
        for version in f.suites:
            f.order_flag[version] = enforced
    if order:
        f.notes.append(f"cipher_order: {order[:160]}")
    name_map = _testssl_name_map()
    for item in findings:
        m = re.match(r"cipherorder_(\S+)$", item["id"])
        if m:
            version = m.group(1).replace("_", ".").replace("TLSv1.0", "TLSv1")
            codes = [name_map[n] for n in item["finding"].split() if n in name_map]
            unknown = [n for n in item["finding"].split() if n not in name_map]
            if unknown:
                f.notes.append(f"cipherorder_{m.group(1)}: unknown names {unknown}")
            if f.order_flag.get(version, False):
                f.order_claim[version] = codes
    curves = by_id.get("PFS_ECDHE_curves")
    if curves is not None:
        f.groups_any = {names.GROUPS[c] for c in curves.split() if c in names.GROUPS}
    return f
