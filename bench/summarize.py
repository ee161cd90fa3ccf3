#!/usr/bin/env python3
"""Summary table for bench/run.sh: callgrind instruction counts and wall-clock
figures, edgefetch vs libssl, with the issue's aims (information only: the
exit status never depends on an aim).

Input: RESULTS_DIR with wall.tsv (written by the benchmarks' --tsv) and
callgrind/*.out.N (one dump per measured stretch, labelled in "desc: Trigger").
"""

import pathlib
import re
import sys

AIM_FIRST = 0.80  # <= x libssl instructions per full handshake, first connection
AIM_REPEAT = 0.50  # <= x libssl on a repeat connection to the same origin
AIM_THROUGHPUT = 0.95  # >= x libssl bulk throughput
AIM_CPU_PER_GB = 1.00  # <= x libssl CPU per GB


def read_dumps(directory):
    """{label: instructions} from every callgrind dump under directory."""
    dumps = {}
    # In the order written (the order run.sh ran the scenarios), parts in dump order.
    def written(path):
        return (path.stat().st_mtime_ns, int(path.name.rsplit(".", 1)[1]))

    for path in sorted(directory.glob("*.out.*"), key=written):
        label, total = None, None
        with path.open(errors="replace") as f:
            for line in f:
                if line.startswith("desc: Trigger: Client Request: "):
                    label = line.split("Client Request: ", 1)[1].strip()
                elif line.startswith("totals:") or (total is None and line.startswith("summary:")):
                    total = int(line.split()[1])
        if label is not None and total is not None:
            dumps[(path.name.split(".out")[0], label)] = total
    return dumps


def fields(label):
    kind, _, rest = label.partition(" ")
    return kind, dict(item.split("=", 1) for item in rest.split())


def read_wall(path):
    """({(cell, run): client CPU us per handshake}, {(cell, run): loop wall us per handshake}, bulk)."""
    handshakes, loop, bulk = {}, {}, {}
    if not path.exists():
        return handshakes, loop, bulk
    for line in path.read_text().splitlines():
        parts = line.split("\t")
        if parts[0] == "handshake" and len(parts) == 6:
            _, cell, run, count, cpu, wall = parts
            if int(count) > 0:
                handshakes[(cell, run)] = int(cpu) / int(count) / 1e3  # us per handshake
                loop[(cell, run)] = int(wall) / int(count) / 1e3
        elif parts[0] == "bulk" and len(parts) == 8:
            _, cell, client, nbytes, cpu, wall, conns, hs_cpu = parts
            nbytes, cpu, wall, conns = int(nbytes), int(cpu), int(wall), int(conns)
            if nbytes > 0 and wall > 0:
                bulk[(cell, client)] = {
                    "mb_s": nbytes / 1e6 / (wall / 1e9),
                    "cpu_gb": (cpu / 1e9) / (nbytes / 1e9),
                    "hs_us": int(hs_cpu) / conns / 1e3 if conns else 0.0,
                }
    return handshakes, loop, bulk


class Table:
    def __init__(self):
        self.rows = []

    def section(self, title):
        self.rows.append(("section", title))

    def row(self, scenario, ours, theirs, unit_fmt, aim=None, higher_is_better=False):
        ratio = ours / theirs if ours is not None and theirs else None
        met = ""
        aim_text = ""
        if aim is not None and ratio is not None:
            aim_text = (">=" if higher_is_better else "<=") + f"{aim:.2f}x"
            met = "yes" if (ratio >= aim if higher_is_better else ratio <= aim) else "NO"
        elif aim is not None:
            aim_text = (">=" if higher_is_better else "<=") + f"{aim:.2f}x"
            met = "n/a"
        self.rows.append(("row", scenario, unit_fmt(ours) if ours is not None else "-",
                          unit_fmt(theirs) if theirs is not None else "no libssl peer",
                          f"{ratio:.2f}x" if ratio is not None else "-", aim_text, met))

    def note(self, text):
        self.rows.append(("note", text))

    def print(self):
        header = ("scenario", "edgefetch", "libssl", "ratio", "aim", "met")
        widths = [44, 12, 15, 7, 9, 4]
        line = "  ".join(h.ljust(w) if i == 0 else h.rjust(w) for i, (h, w) in enumerate(zip(header, widths)))
        print(line)
        print("-" * len(line))
        for r in self.rows:
            if r[0] == "section":
                print(f"-- {r[1]}")
            elif r[0] == "note":
                print(f"   {r[1]}")
            else:
                cells = r[1:]
                print("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths))))


def millions(v):
    return f"{v / 1e6:.2f} M"


def main():
    results = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "build/bench-results")
    dumps = read_dumps(results / "callgrind")
    wall_hs, loop_hs, wall_bulk = read_wall(results / "wall.tsv")

    baseline = {}
    per_handshake = {}  # (cell, run) -> instructions
    tcp_handshake = {}  # (cell, client) -> instructions
    per_byte = {}  # (cell, client) -> instructions per byte
    for (source, label), total in dumps.items():
        kind, f = fields(label)
        if kind == "hs":
            n = int(f["n"])
            if source == "baseline" or n == 0:
                baseline[f["run"]] = total
            else:
                per_handshake[(f["cell"], f["run"])] = (total, n)
        elif kind == "tcp-hs":
            tcp_handshake[(f["cell"], f["client"])] = total
        elif kind == "bulk" and int(f["bytes"]) > 0:
            per_byte[(f["cell"], f["client"])] = total / int(f["bytes"])
    per_handshake = {k: (t - baseline.get(k[1], 0)) / n for k, (t, n) in per_handshake.items()}

    table = Table()
    hs_cells = list(dict.fromkeys([c for c, _ in per_handshake] + [c for c, _ in wall_hs]))
    if per_handshake:
        table.section("instructions per full handshake (callgrind, client only, in-process libssl server)")
        for cell in hs_cells:
            libssl = per_handshake.get((cell, "libssl-full"))
            table.row(f"{cell} first", per_handshake.get((cell, "edgefetch-first")), libssl, millions, AIM_FIRST)
            table.row(f"{cell} repeat (same origin)", per_handshake.get((cell, "edgefetch-repeat")), libssl,
                      millions, AIM_REPEAT)
        table.note("TLS 1.3 cells (tls13-*, issue 7): CloudFront-Upstream-TLS-1-3-2025 narrowed to the cell, one key "
                   "share for the cell's group (tls13-rsa-hrr-x25519: a P-256 share to an X25519-only server, so a "
                   "HelloRetryRequest), no tickets; aims are issue 3/4's TLS 1.2 aims, shown for comparison")
        table.note("libssl session-ticket resumption, for reference (edgefetch has no resumption; not in issues 3/4): " +
                   ", ".join(f"{c} {millions(per_handshake[(c, 'libssl-resumed')])}" for c in hs_cells
                             if (c, "libssl-resumed") in per_handshake))
        if baseline:
            table.note("0-handshake baseline subtracted (instructions): " +
                       ", ".join(f"{r} {v}" for r, v in sorted(baseline.items())))
    if tcp_handshake:
        table.section("instructions per handshake over TCP against gnutls-serv (callgrind, first connection)")
        for cell in dict.fromkeys(c for c, _ in tcp_handshake):
            table.row(cell, tcp_handshake.get((cell, "edgefetch")), tcp_handshake.get((cell, "libssl")),
                      millions, AIM_FIRST)
    if per_byte:
        table.section("bulk receive instructions per byte (callgrind, client receive path only)")
        for cell in dict.fromkeys(c for c, _ in per_byte):
            table.row(cell, per_byte.get((cell, "edgefetch")), per_byte.get((cell, "libssl")),
                      lambda v: f"{v:.2f}", AIM_CPU_PER_GB)
    if wall_hs:
        table.section("client CPU us per handshake (wall-clock run, thread CPU; noisy)")
        for cell in hs_cells:
            libssl = wall_hs.get((cell, "libssl-full"))
            table.row(f"{cell} first", wall_hs.get((cell, "edgefetch-first")), libssl, lambda v: f"{v:.0f}",
                      AIM_FIRST)
            table.row(f"{cell} repeat (same origin)", wall_hs.get((cell, "edgefetch-repeat")), libssl,
                      lambda v: f"{v:.0f}", AIM_REPEAT)
    if loop_hs:
        table.section("wall-clock us per handshake, client + in-process server (loop; noisy)")
        for cell in hs_cells:
            libssl = loop_hs.get((cell, "libssl-full"))
            table.row(f"{cell} first", loop_hs.get((cell, "edgefetch-first")), libssl, lambda v: f"{v:.0f}")
            table.row(f"{cell} repeat (same origin)", loop_hs.get((cell, "edgefetch-repeat")), libssl,
                      lambda v: f"{v:.0f}")
    if wall_bulk:
        cells = list(dict.fromkeys(c for c, _ in wall_bulk))
        table.section("bulk receive CPU seconds per GB (wall-clock run, thread CPU incl. recv; noisy)")
        for cell in cells:
            ours, theirs = wall_bulk.get((cell, "edgefetch")), wall_bulk.get((cell, "libssl"))
            table.row(cell, ours and ours["cpu_gb"], theirs and theirs["cpu_gb"], lambda v: f"{v:.3f}",
                      AIM_CPU_PER_GB)
        table.section("bulk receive MB/s (wall clock; server and client share 2 busy cores; noisy)")
        for cell in cells:
            ours, theirs = wall_bulk.get((cell, "edgefetch")), wall_bulk.get((cell, "libssl"))
            table.row(cell, ours and ours["mb_s"], theirs and theirs["mb_s"], lambda v: f"{v:.1f}",
                      AIM_THROUGHPUT, higher_is_better=True)
    print("== summary: edgefetch vs libssl (aims from issues 3/4; information, not pass/fail) ==")
    table.print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
