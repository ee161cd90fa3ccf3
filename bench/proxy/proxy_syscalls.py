#!/usr/bin/env python3
"""System calls per proxied request: edgefetch serve vs nginx, pooled 1 KiB.

The same proxies, origin and cell as proxy_bench.py (HTTPS origin with
verification, origin connections pooled, 1 KiB responses), each run under
`strace -f -c`: the table is each system call's count divided by the requests
wrk completed, warm-up included (strace counts the whole process, so the
requests of the warm-up run are counted too). It answers whether a proxy makes
more socket calls per request than nginx, which CPU time cannot tell apart
from the kernel's TCP work in each call. strace slows every call, so the
request rates here mean nothing; the counts per request do not depend on them
except through how many events each wait for readiness returns.

Usage: proxy_syscalls.py --edgefetch BUILD/edgefetch [--seconds 5] [--connections 8]
Needs strace (Debian package strace; scripts/install-deps.sh installs it).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import proxy_bench as pb  # noqa: E402  (the shared harness)


def strace_counts(path: Path) -> dict[str, tuple[int, int]]:
    """{syscall: (calls, errors)} from `strace -c` output."""
    counts: dict[str, tuple[int, int]] = {}
    for line in path.read_text().splitlines():
        # "% time  seconds  usecs/call  calls  errors  syscall"; errors may be blank.
        m = re.match(r"\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(\d+\s+)?(\w+)\s*$", line)
        if m and m.group(3) != "total":
            counts[m.group(3)] = (int(m.group(1)), int(m.group(2) or 0))
    return counts


def measure(name: str, start, d: Path, seconds: int, connections: int) -> tuple[int, dict]:
    out = d / f"{name}.strace"
    proxy = start(["strace", "-f", "-c", "-o", str(out)])
    problem = pb.sanity_problem(proxy, "1k")
    warm = pb.wrk(proxy.port, "1k", 2, connections)
    run = pb.wrk(proxy.port, "1k", seconds, connections)
    # strace writes its summary when the traced processes end: stop them, not strace.
    for pid in proxy.pids():
        if pid != proxy.proc.pid:
            os.kill(pid, signal.SIGTERM)
    proxy.proc.wait(timeout=60)
    if problem:
        raise SystemExit(f"{name}: {problem}")
    return warm["requests"] + run["requests"] + 1, strace_counts(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--edgefetch", required=True, help="the edgefetch binary")
    ap.add_argument("--seconds", type=int, default=5)
    ap.add_argument("--connections", type=int, default=8)
    args = ap.parse_args()
    if shutil.which("strace") is None:
        print("strace is not installed (apt-get install strace)", file=sys.stderr)
        return 2
    d = Path(tempfile.mkdtemp(prefix="proxy-syscalls-"))
    pb.make_pki(d)
    origin = pb.start_origin(d, keepalive=True)
    try:
        results = {
            "nginx": measure("nginx", lambda wrap: pb.start_nginx_proxy(d, origin.port, wrap), d, args.seconds,
                             args.connections),
            "edgefetch": measure("edgefetch", lambda wrap: pb.start_edgefetch(d, args.edgefetch, origin.port, wrap),
                                 d, args.seconds, args.connections),
        }
    finally:
        origin.stop()
    names = sorted({n for _, counts in results.values() for n, (calls, _) in counts.items()
                    if calls / results["nginx"][0] >= 0.01 or calls / results["edgefetch"][0] >= 0.01})
    print(f"{'syscall':<14}{'nginx calls/req':>17}{'(errors)':>10}{'edgefetch calls/req':>21}{'(errors)':>10}")
    totals = {}
    for proxy, (requests, counts) in results.items():
        totals[proxy] = sum(calls for calls, _ in counts.values()) / requests
    for name in names:
        row = f"{name:<14}"
        for proxy in ("nginx", "edgefetch"):
            requests, counts = results[proxy]
            calls, errors = counts.get(name, (0, 0))
            row += f"{calls / requests:>17.2f}{errors / requests:>10.2f}" if proxy == "nginx" else \
                f"{calls / requests:>21.2f}{errors / requests:>10.2f}"
        print(row)
    print(f"{'all calls':<14}{totals['nginx']:>17.2f}{'':>10}{totals['edgefetch']:>21.2f}")
    print(f"requests: nginx {results['nginx'][0]}, edgefetch {results['edgefetch'][0]} (warm-up included)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
