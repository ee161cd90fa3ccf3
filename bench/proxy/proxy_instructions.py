#!/usr/bin/env python3
"""User-space instructions per proxied request: edgefetch serve vs nginx vs HAProxy.

The same proxies, origin and cells as proxy_bench.py (HTTPS origin with
verification, 1 KiB and 64 KiB, origin connections pooled or new), but each
proxy runs under `valgrind --tool=callgrind` and the figure is the number of
instructions it executes per request in user space (its own code and every
library it calls). Unlike CPU time on a shared machine this repeats to about
1%, so it shows small changes and compares the proxies' own work exactly. It
does not see the kernel: the socket calls' loopback TCP work, about two thirds
of every proxy's CPU time at 1 KiB (see proxy_bench.py's kernel column), is
outside it.

Per cell and proxy: the proxy starts under callgrind with instrumentation off,
wrk warms it up (pools, session caches), then instrumentation is switched on
for a measured wrk run, the counters are dumped, and instructions are divided
by the requests wrk completed. nginx runs with master_process off (the
worker's code in one process) and HAProxy with one thread, so one process
holds all the proxy's work. Under valgrind every proxy is about 50 times
slower; all of them are, and the count of instructions does not depend on it
except through how many events each wait for readiness returns.

Usage: proxy_instructions.py --edgefetch BUILD/edgefetch [--seconds 5] [--connections 8] [--json FILE]
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import proxy_bench as pb  # noqa: E402  (the proxies' configurations live there)


@dataclass
class Count:
    proxy: str
    size: str
    keepalive: bool
    requests: int = 0
    instructions: int = 0
    note: str = ""

    @property
    def per_request(self) -> float:
        return self.instructions / self.requests if self.requests else float("nan")


def callgrind_control(*args: str) -> None:
    subprocess.run(["callgrind_control", *args], capture_output=True, timeout=60)


def dumped_total(out_dir: Path, pid: int, seen: set[str]) -> int:
    """The instruction total of the newest dump of `pid` not in `seen`."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        fresh = [f for f in glob.glob(str(out_dir / f"cg.{pid}.*")) if f not in seen]
        for path in fresh:
            with open(path) as dump:
                totals = [line for line in dump if line.startswith(("totals:", "summary:"))]
            if totals:
                seen.add(path)
                return int(totals[-1].split()[1])
        time.sleep(0.2)
    raise RuntimeError(f"callgrind wrote no dump for pid {pid} in {out_dir}")


def measure(proxy: pb.Proxy, out_dir: Path, size: str, keepalive: bool, seconds: int, connections: int,
            seen: set[str]) -> Count:
    count = Count(proxy.name, size, keepalive)
    count.note = pb.sanity_problem(proxy, size, timeout=60)  # valgrind's first request is slow
    if count.note:
        return count
    pb.wrk(proxy.port, size, 2, connections)  # warm-up, not counted
    pid = str(proxy.proc.pid)
    callgrind_control("--zero", pid)
    callgrind_control("--instr=on", pid)
    result = pb.wrk(proxy.port, size, seconds, connections)
    callgrind_control("--instr=off", pid)
    callgrind_control("--dump", pid)
    count.instructions = dumped_total(out_dir, proxy.proc.pid, seen)
    count.requests = result["requests"]
    if result["errors"]:
        count.note = f"{result['errors']} errors"
    return count


def print_table(counts: list[Count]) -> None:
    header = ["origin conn", "size", "proxy", "requests", "instructions/req", "× nginx"]
    rows = []
    for c in counts:
        base = next((b for b in counts if b.proxy == "nginx" and (b.size, b.keepalive) == (c.size, c.keepalive)),
                    None)
        ratio = f"{c.per_request / base.per_request:.2f}" if base and base.requests and c.requests else "-"
        rows.append(["pool" if c.keepalive else "new conn", c.size, c.proxy, str(c.requests),
                     f"{c.per_request:,.0f}" if c.requests else "-", ratio + (f"  ({c.note})" if c.note else "")])
    widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]
    for r in [header] + rows:
        print("  ".join(v.rjust(w) if i >= 3 else v.ljust(w) for i, (v, w) in enumerate(zip(r, widths))))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--edgefetch", required=True, help="the edgefetch binary")
    ap.add_argument("--seconds", type=int, default=int(os.environ.get("PROXY_CG_SECONDS", "5")),
                    help="measured wrk run per cell (default 5)")
    ap.add_argument("--connections", type=int, default=8, help="wrk connections (default 8)")
    ap.add_argument("--proxies", default="nginx,haproxy,edgefetch", help="comma-separated subset to run")
    ap.add_argument("--json", help="also write the counts as JSON here")
    args = ap.parse_args()
    for tool in ("valgrind", "callgrind_control", "nginx", "haproxy", "wrk", "curl", "openssl"):
        if not shutil.which(tool) and not Path(f"/usr/sbin/{tool}").exists():
            print(f"proxy instructions: {tool} is not installed (make deps installs it)", file=sys.stderr)
            return 1
    if not Path(args.edgefetch).is_file():
        print(f"proxy instructions: no edgefetch binary at {args.edgefetch}; build it first", file=sys.stderr)
        return 1
    os.environ["PATH"] += ":/usr/sbin"
    wanted = args.proxies.split(",")
    counts: list[Count] = []
    with tempfile.TemporaryDirectory(prefix="edgefetch-proxy-cg-") as tmp:
        d = Path(tmp)
        os.chmod(d, 0o755)
        pb.make_pki(d)
        out_dir = d / "callgrind"
        out_dir.mkdir()
        wrap = ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out_dir}/cg.%p"]
        starters = {"nginx": lambda port: pb.start_nginx_proxy(d, port, wrap),
                    "haproxy": lambda port: pb.start_haproxy(d, port, wrap),
                    "edgefetch": lambda port: pb.start_edgefetch(d, args.edgefetch, port, wrap)}
        print(f"== proxy user-space instructions per request (callgrind): {args.seconds} s per cell, "
              f"{args.connections} viewer connections ==")
        seen: set[str] = set()
        for keepalive in (True, False):
            origin = pb.start_origin(d, keepalive)
            try:
                for name in (n for n in starters if n in wanted):
                    proxy = starters[name](origin.port)
                    try:
                        for size in pb.SIZES:
                            count = measure(proxy, out_dir, size, keepalive, args.seconds, args.connections, seen)
                            counts.append(count)
                            print(f"   {('pool' if keepalive else 'new conn'):8} {size:>3} {name:9} "
                                  f"{count.requests:6} requests  {count.per_request:10,.0f} instructions/req "
                                  f"{count.note}", flush=True)
                    finally:
                        proxy.stop()
            except RuntimeError as error:
                print(f"proxy instructions: {error}", file=sys.stderr)
                return 1
            finally:
                origin.stop()
        print()
        print_table(counts)
        if args.json:
            Path(args.json).write_text(json.dumps(
                [dict(c.__dict__, instructions_per_request=c.per_request) for c in counts], indent=2))
    return 0 if all(c.requests for c in counts) else 1


if __name__ == "__main__":
    sys.exit(main())
