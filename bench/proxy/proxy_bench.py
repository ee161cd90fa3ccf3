#!/usr/bin/env python3
"""edgefetch serve vs nginx vs HAProxy as reverse proxies to one HTTPS origin.

Every proxy is configured the same way: plain-HTTP viewers on loopback, one
HTTPS origin (nginx, TLS 1.2, ECDHE-RSA-AES128-GCM-SHA256, RSA 2048) reached as
"origin.test" with certificate and name verification on, SNI set,
X-Forwarded-For added. nginx keeps its default response buffering, with
buffers large enough that a 64 KiB response never goes to a temp file;
HAProxy and edgefetch stream. wrk drives each
proxy in turn, in the same run, for 1 KiB and 64 KiB responses:

  keepalive  the origin keeps connections open: each proxy reuses pooled
             origin connections;
  no-keepalive  the origin closes after every response: each request opens a
             new TCP + TLS connection (resumed where the proxy caches sessions).

Per cell: requests/s, p50/p99 latency (wrk --latency), proxy CPU time per
request (utime+stime of every proxy process from /proc over the measured run;
on a shared 2-core machine this is the stable figure), split into user and
kernel time, and proxy RSS. The kernel part is the loopback TCP work of the
socket calls every proxy makes (a read and a write on each side per request),
so it is about the same for all three; user time is where proxies differ. Ratios
are against nginx measured in the same run. Not a test: missed aims never fail.

Rounds (--rounds, PROXY_ROUNDS, default 3): every cell is measured that many
times, the proxies' order rotating each round, since the machine's background
load moves from one measurement to the next. The table shows each proxy's
median cell, and the median and range of its per-round ratios to nginx (each
round's ratio compares measurements taken a few seconds apart).

Usage: proxy_bench.py --edgefetch BUILD/edgefetch [--seconds 10] [--connections 32] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

CLK_TCK = os.sysconf("SC_CLK_TCK")
SUITE = "ECDHE-RSA-AES128-GCM-SHA256"
ORIGIN_NAME = "origin.test"
SIZES = {"1k": 1024, "64k": 65536}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, proc: subprocess.Popen, what: str, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode} before listening on {port}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{what} did not listen on {port} within {timeout} s")


def run(cmd: list[str], **kw) -> None:
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)


def make_pki(d: Path) -> None:
    run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30", "-subj", "/CN=bench CA",
         "-keyout", str(d / "ca.key"), "-out", str(d / "ca.pem"),
         "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
    run(["openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", f"/CN={ORIGIN_NAME}",
         "-keyout", str(d / "origin.key"), "-out", str(d / "origin.csr")])
    (d / "ext.cnf").write_text(f"subjectAltName=DNS:{ORIGIN_NAME}\nbasicConstraints=CA:FALSE\n"
                               "keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n")
    run(["openssl", "x509", "-req", "-in", str(d / "origin.csr"), "-CA", str(d / "ca.pem"), "-CAkey",
         str(d / "ca.key"), "-CAcreateserial", "-days", "30", "-extfile", str(d / "ext.cnf"),
         "-out", str(d / "origin.pem")])


def process_tree(pid: int) -> list[int]:
    """The pid and its descendants (nginx master + workers)."""
    pids = [pid]
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    for child in out:
        pids.extend(process_tree(int(child)))
    return pids


def cpu_seconds(pids: list[int]) -> tuple[float, float]:
    """(user, kernel) CPU seconds of the processes."""
    user = kernel = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        user += int(fields[11])  # utime (field 14)
        kernel += int(fields[12])  # stime (field 15)
    return user / CLK_TCK, kernel / CLK_TCK


def rss_kib(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total


@dataclass
class Proxy:
    name: str
    port: int
    proc: subprocess.Popen | None = None

    def pids(self) -> list[int]:
        assert self.proc is not None
        return process_tree(self.proc.pid)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def nginx_common(d: Path, name: str, master: bool = True) -> str:
    """`master`: False runs the worker's code in one process (for callgrind)."""
    tmp = d / f"{name}-tmp"
    tmp.mkdir(exist_ok=True)
    return (f"worker_processes 1;\ndaemon off;\nmaster_process {'on' if master else 'off'};\npid {d}/{name}.pid;\n"
            f"error_log {d}/{name}-error.log warn;\nevents {{ worker_connections 4096; }}\n"
            f"http {{\n  access_log off;\n  client_body_temp_path {tmp}/body;\n  proxy_temp_path {tmp}/proxy;\n"
            f"  fastcgi_temp_path {tmp}/fcgi;\n  uwsgi_temp_path {tmp}/uwsgi;\n  scgi_temp_path {tmp}/scgi;\n")


def start_nginx(d: Path, name: str, conf: str, port: int, wrap: list[str] | None = None) -> Proxy:
    """`wrap`: a command the proxy runs under (valgrind), if any."""
    path = d / f"{name}.conf"
    user = "user root;\n" if os.geteuid() == 0 else ""
    path.write_text(user + conf)
    proc = subprocess.Popen((wrap or []) + ["nginx", "-p", str(d), "-c", str(path)], stdout=subprocess.DEVNULL,
                            stderr=open(d / f"{name}.stderr", "w"))
    wait_port(port, proc, name, 60.0 if wrap else 10.0)
    return Proxy(name, port, proc)


def start_origin(d: Path, keepalive: bool) -> Proxy:
    www = d / "www"
    www.mkdir(exist_ok=True)
    for label, size in SIZES.items():
        (www / label).write_bytes(b"x" * size)
    port = free_port()
    conf = nginx_common(d, "origin") + (
        f"  keepalive_requests 1000000;\n  keepalive_timeout {'75' if keepalive else '0'};\n"
        f"  ssl_session_cache shared:SSL:10m;\n  ssl_session_tickets on;\n"
        f"  server {{\n    listen 127.0.0.1:{port} ssl;\n    server_name {ORIGIN_NAME};\n"
        f"    ssl_certificate {d}/origin.pem;\n    ssl_certificate_key {d}/origin.key;\n"
        f"    ssl_protocols TLSv1.2;\n    ssl_ciphers {SUITE};\n    root {www};\n"
        f"    location / {{ default_type application/octet-stream; }}\n  }}\n}}\n")
    return start_nginx(d, "origin", conf, port)


def start_nginx_proxy(d: Path, origin_port: int, wrap: list[str] | None = None) -> Proxy:
    port = free_port()
    conf = nginx_common(d, "nginx", master=not wrap) + (
        f"  upstream origin {{ server 127.0.0.1:{origin_port}; keepalive 64; keepalive_timeout 60s; }}\n"
        f"  server {{\n    listen 127.0.0.1:{port};\n    keepalive_requests 1000000;\n"
        f"    location / {{\n      proxy_pass https://origin;\n      proxy_http_version 1.1;\n"
        f"      proxy_set_header Connection \"\";\n      proxy_set_header Host {ORIGIN_NAME};\n"
        f"      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n"
        f"      proxy_buffers 32 4k;\n      proxy_busy_buffers_size 16k;\n      proxy_ssl_verify on;\n"
        f"      proxy_ssl_trusted_certificate {d}/ca.pem;\n      proxy_ssl_name {ORIGIN_NAME};\n"
        f"      proxy_ssl_server_name on;\n      proxy_ssl_protocols TLSv1.2;\n"
        f"      proxy_ssl_session_reuse on;\n    }}\n  }}\n}}\n")
    return start_nginx(d, "nginx", conf, port, wrap)


def start_haproxy(d: Path, origin_port: int, wrap: list[str] | None = None) -> Proxy:
    port = free_port()
    conf = (f"global\n  nbthread 1\n  maxconn 8192\n  pidfile {d}/haproxy.pid\n"
            f"defaults\n  mode http\n  timeout connect 10s\n  timeout client 30s\n  timeout server 30s\n"
            f"  timeout http-keep-alive 60s\n  http-reuse always\n  option forwardfor\n"
            f"frontend viewers\n  bind 127.0.0.1:{port}\n  default_backend origin\n"
            f"backend origin\n  http-request set-header Host {ORIGIN_NAME}\n"
            f"  server o 127.0.0.1:{origin_port} ssl verify required ca-file {d}/ca.pem "
            f"verifyhost {ORIGIN_NAME} sni str({ORIGIN_NAME}) ssl-min-ver TLSv1.2 ssl-max-ver TLSv1.2 "
            f"ciphers {SUITE} pool-max-conn 64\n")
    (d / "haproxy.cfg").write_text(conf)
    proc = subprocess.Popen((wrap or []) + ["haproxy", "-db", "-f", str(d / "haproxy.cfg")],
                            stdout=subprocess.DEVNULL, stderr=open(d / "haproxy.stderr", "w"))
    wait_port(port, proc, "haproxy", 60.0 if wrap else 10.0)
    return Proxy("haproxy", port, proc)


def start_edgefetch(d: Path, binary: str, origin_port: int, wrap: list[str] | None = None) -> Proxy:
    port = free_port()
    config = {
        "Origins": {"Quantity": 1, "Items": [{
            "Id": "origin", "DomainName": ORIGIN_NAME,
            "CustomOriginConfig": {
                "HTTPPort": 80, "HTTPSPort": origin_port, "OriginProtocolPolicy": "https-only",
                "OriginSslProtocols": {"Quantity": 1, "Items": ["TLSv1.2"]},
                "OriginReadTimeout": 30, "OriginKeepaliveTimeout": 60}}]},
        "DefaultCacheBehavior": {"TargetOriginId": "origin", "ViewerProtocolPolicy": "allow-all"},
    }
    (d / "distribution.json").write_text(json.dumps(config, indent=2))
    proc = subprocess.Popen((wrap or []) + [binary, "serve", "--config", str(d / "distribution.json"), "--listen",
                             f"127.0.0.1:{port}", "--resolve", f"{ORIGIN_NAME}:{origin_port}:127.0.0.1",
                             "--ca-file", str(d / "ca.pem")],
                            stdout=open(d / "edgefetch.stdout", "w"), stderr=open(d / "edgefetch.stderr", "w"))
    wait_port(port, proc, "edgefetch serve", 60.0 if wrap else 10.0)
    return Proxy("edgefetch", port, proc)


@dataclass
class Cell:
    proxy: str
    size: str
    keepalive: bool
    round: int = 0
    requests: int = 0
    errors: int = 0
    rps: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    cpu_us_per_request: float = 0.0
    user_us_per_request: float = 0.0  # of which user space
    kernel_us_per_request: float = 0.0  # of which kernel (the socket calls: the same work for every proxy)
    rss_kib: int = 0
    note: str = ""


def to_ms(text: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s)", text)
    if not m:
        return float("nan")
    value, unit = float(m.group(1)), m.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def wrk(port: int, path: str, seconds: int, connections: int) -> dict:
    out = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s",
                          f"http://127.0.0.1:{port}/{path}"], capture_output=True, text=True, timeout=seconds + 60).stdout
    result = {"requests": 0, "errors": 0, "rps": 0.0, "p50": float("nan"), "p99": float("nan"), "raw": out}
    if m := re.search(r"(\d+) requests in", out):
        result["requests"] = int(m.group(1))
    if m := re.search(r"Requests/sec:\s+([\d.]+)", out):
        result["rps"] = float(m.group(1))
    if m := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out):
        result["errors"] += int(m.group(1))
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        result["errors"] += sum(int(g) for g in m.groups())
    if m := re.search(r"^\s+50%\s+(\S+)", out, re.M):
        result["p50"] = to_ms(m.group(1))
    if m := re.search(r"^\s+99%\s+(\S+)", out, re.M):
        result["p99"] = to_ms(m.group(1))
    return result


def sanity_problem(proxy: Proxy, size: str, timeout: float = 30) -> str:
    """Why one curl request through `proxy` did not get the whole file, or ""."""
    check = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code} %{size_download}",
                            f"http://127.0.0.1:{proxy.port}/{size}"], capture_output=True, text=True, timeout=timeout)
    if check.stdout.strip() == f"200 {SIZES[size]}":
        return ""
    return f"sanity request failed: {check.stdout.strip() or check.stderr.strip()}"


def measure(proxy: Proxy, size: str, keepalive: bool, seconds: int, connections: int) -> Cell:
    cell = Cell(proxy.name, size, keepalive)
    cell.note = sanity_problem(proxy, size)
    if cell.note:
        return cell
    wrk(proxy.port, size, 2, connections)  # warm-up: pools, session caches, page cache
    pids = proxy.pids()
    before = cpu_seconds(pids)
    result = wrk(proxy.port, size, seconds, connections)
    after = cpu_seconds(pids)
    cell.requests, cell.errors, cell.rps = result["requests"], result["errors"], result["rps"]
    cell.p50_ms, cell.p99_ms = result["p50"], result["p99"]
    cell.rss_kib = rss_kib(pids)
    if cell.requests:
        cell.user_us_per_request = (after[0] - before[0]) * 1e6 / cell.requests
        cell.kernel_us_per_request = (after[1] - before[1]) * 1e6 / cell.requests
        cell.cpu_us_per_request = cell.user_us_per_request + cell.kernel_us_per_request
    return cell


def median(values: list[float]) -> float:
    ordered = sorted(v for v in values if v == v)
    if not ordered:
        return float("nan")
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def per_round_ratios(cells: list[Cell], cell: Cell, field: str) -> list[float]:
    """`field` of each of this proxy's rounds over nginx's in the same round."""
    ratios = []
    for mine in cells:
        if (mine.proxy, mine.size, mine.keepalive) != (cell.proxy, cell.size, cell.keepalive):
            continue
        base = next((c for c in cells if c.proxy == "nginx" and c.size == mine.size and
                     c.keepalive == mine.keepalive and c.round == mine.round), None)
        a, b = getattr(mine, field), getattr(base, field) if base else float("nan")
        if base and b and a == a and b == b:
            ratios.append(a / b)
    return ratios


def print_table(cells: list[Cell]) -> None:
    rounds = max((c.round for c in cells), default=0) + 1
    header = ["origin conn", "size", "proxy", "req/s", "p50 ms", "p99 ms", "CPU µs/req", "user", "kernel",
              "RSS MiB", "errors", "req/s ×nginx", "CPU ×nginx", "user ×nginx", "p99 ×nginx"]
    if rounds > 1:
        header[12] = "CPU ×nginx (range)"
    rows = []
    shown: list[Cell] = []
    for cell in cells:
        key = (cell.proxy, cell.size, cell.keepalive)
        if any((c.proxy, c.size, c.keepalive) == key for c in shown):
            continue
        mine = [c for c in cells if (c.proxy, c.size, c.keepalive) == key]
        # The median cell by CPU per request stands for the proxy (its other columns come with it).
        mine.sort(key=lambda c: c.cpu_us_per_request)
        cell = mine[len(mine) // 2]
        shown.append(cell)

        def ratio(field: str, with_range: bool = False) -> str:
            values = per_round_ratios(cells, cell, field)
            if not values:
                return "-"
            text = f"{median(values):.2f}"
            if with_range and len(values) > 1:
                text += f" ({min(values):.2f}-{max(values):.2f})"
            return text

        rows.append(["pool" if cell.keepalive else "new conn", cell.size, cell.proxy, f"{cell.rps:.0f}",
                     f"{cell.p50_ms:.2f}", f"{cell.p99_ms:.2f}", f"{cell.cpu_us_per_request:.1f}",
                     f"{cell.user_us_per_request:.1f}", f"{cell.kernel_us_per_request:.1f}",
                     f"{cell.rss_kib / 1024:.1f}", str(sum(c.errors for c in mine)),
                     ratio("rps"), ratio("cpu_us_per_request", True), ratio("user_us_per_request"),
                     ratio("p99_ms")])
        if cell.note:
            rows[-1][-1] += f"  ({cell.note})"
    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
    for r in [header] + rows:
        print("  ".join(str(v).rjust(w) if i >= 3 else str(v).ljust(w) for i, (v, w) in enumerate(zip(r, widths))))
    if rounds > 1:
        print(f"(median of {rounds} rounds; ratios: median and range of the per-round ratios to nginx)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--edgefetch", required=True, help="the edgefetch binary")
    ap.add_argument("--seconds", type=int, default=int(os.environ.get("PROXY_SECONDS", "10")))
    ap.add_argument("--connections", type=int, default=int(os.environ.get("PROXY_CONNECTIONS", "32")))
    ap.add_argument("--json", help="also write the cells as JSON here")
    ap.add_argument("--proxies", default="nginx,haproxy,edgefetch", help="comma-separated subset to run")
    ap.add_argument("--rounds", type=int, default=int(os.environ.get("PROXY_ROUNDS", "3")),
                    help="measurements per cell and proxy, the proxies' order rotating (default 3)")
    args = ap.parse_args()
    for tool in ("nginx", "haproxy", "wrk", "curl", "openssl"):
        if not shutil.which(tool) and not Path(f"/usr/sbin/{tool}").exists():
            print(f"proxy bench: {tool} is not installed (make deps installs it)", file=sys.stderr)
            return 1
    os.environ["PATH"] += ":/usr/sbin"
    cells: list[Cell] = []
    with tempfile.TemporaryDirectory(prefix="edgefetch-proxy-bench-") as tmp:
        d = Path(tmp)
        os.chmod(d, 0o755)
        make_pki(d)
        print(f"== proxy benchmark: {args.seconds} s per cell, {args.rounds} rounds, "
              f"{args.connections} viewer connections, "
              f"{os.cpu_count()} cores, load {open('/proc/loadavg').read().split()[0]} ==")
        print(f"   origin: nginx TLS 1.2 {SUITE}, verification on at every proxy; proxies single-threaded")
        for keepalive in (True, False):
            origin = start_origin(d, keepalive)
            proxies: list[Proxy] = []
            try:
                wanted = args.proxies.split(",")
                if "nginx" in wanted:
                    proxies.append(start_nginx_proxy(d, origin.port))
                if "haproxy" in wanted:
                    proxies.append(start_haproxy(d, origin.port))
                if "edgefetch" in wanted:
                    proxies.append(start_edgefetch(d, args.edgefetch, origin.port))
                for size in SIZES:
                    for round_index in range(max(1, args.rounds)):
                        shift = round_index % len(proxies)
                        for proxy in proxies[shift:] + proxies[:shift]:
                            cell = measure(proxy, size, keepalive, args.seconds, args.connections)
                            cell.round = round_index
                            cells.append(cell)
                            print(f"   {('pool' if keepalive else 'new conn'):8} {size:>3} {proxy.name:9} "
                                  f"round {round_index + 1}  {cell.rps:8.0f} req/s  "
                                  f"{cell.cpu_us_per_request:6.1f} µs CPU/req {cell.note}", flush=True)
            except RuntimeError as error:
                print(f"proxy bench: {error}", file=sys.stderr)
                for name in ("edgefetch.stderr", "nginx-error.log", "haproxy.stderr", "origin-error.log"):
                    if (d / name).exists():
                        print(f"--- {name}\n{(d / name).read_text()[-2000:]}", file=sys.stderr)
                return 1
            finally:
                for proxy in proxies:
                    proxy.stop()
                origin.stop()
        print()
        print_table(cells)
        print("\naims (issue 6): CPU/req ≤ 0.8× nginx with a pool, ≤ 1× without; req/s ≥ nginx; p99 no worse")
        if args.json:
            Path(args.json).write_text(json.dumps([c.__dict__ for c in cells], indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
