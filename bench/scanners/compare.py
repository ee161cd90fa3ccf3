#!/usr/bin/env python3
"""edgefetch check vs sslscan vs testssl.sh on the same loopback origins, in one run.

For each origin (origins.py: modern RSA, legacy RC4/3DES, SSLv3-only, ECDSA
P-384-only), each tool scans it through its own counting relay (relay.py), so
the connection count is what the origin side saw. Prints wall time,
connections, a grade per fact against the origin's configuration (grade.py),
the ratios to edgefetch with the aims of issue 5, and every wrong or missing
fact in words. Not a test: the exit status only says whether the benchmark
could run (origins started, tools ran, output readable).

Usage: compare.py --edgefetch BUILD/edgefetch --work-dir DIR [--tools edgefetch,sslscan,testssl]
                  [--origins modern-rsa,...] [--runs-fast N] [--testssl-timeout S]
"""

import argparse
import json
import os
import pathlib
import shutil
import signal
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import grade  # noqa: E402
import names  # noqa: E402
import origins as origin_catalogue  # noqa: E402
import pki as bench_pki  # noqa: E402
import relay as counting_relay  # noqa: E402
import tools  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
JSSE_SOURCE = ROOT / "tests/support/java/JsseServer.java"

AIM_WALL_VS_SSLSCAN = 1.0  # edgefetch wall time <= 1x sslscan's
AIM_CONNECTIONS_VS_SSLSCAN = 1.0  # edgefetch connections <= 1x sslscan's
AIM_SPEEDUP_VS_TESTSSL = 30.0  # testssl.sh wall time >= 30x edgefetch's


def compile_jsse(work_dir):
    classes = work_dir / "java-classes"
    class_file = classes / "JsseServer.class"
    if class_file.exists() and class_file.stat().st_mtime >= JSSE_SOURCE.stat().st_mtime:
        return classes
    classes.mkdir(parents=True, exist_ok=True)
    subprocess.run(["javac", "-Xlint:all", "-Werror", "-d", str(classes), str(JSSE_SOURCE)], check=True,
                   timeout=180)
    return classes


def tool_plan(args, pki):
    """(name, runs, timeout_s, make(relay_port, out_dir) -> (command, stdout_path, read_path), reader)."""
    plan = []
    if "edgefetch" in args.tools:
        plan.append(("edgefetch", args.runs_fast, 120,
                     lambda port, out: (tools.edgefetch_command(args.edgefetch, port, pki.ca_file),
                                        out / "edgefetch.json", out / "edgefetch.json"),
                     tools.read_edgefetch))
    if "sslscan" in args.tools:
        plan.append(("sslscan", args.runs_fast, 300,
                     lambda port, out: (tools.sslscan_command(port), out / "sslscan.xml", out / "sslscan.xml"),
                     tools.read_sslscan))
    if "testssl" in args.tools:
        def testssl(port, out):
            json_path = out / "testssl.json"
            if json_path.exists():
                json_path.unlink()
            return tools.testssl_command(port, json_path), out / "testssl.txt", json_path
        plan.append(("testssl", 1, args.testssl_timeout, testssl, tools.read_testssl))
    return plan


def scan_origin(origin, plan, work_dir):
    """{tool: {"runs": [Run], "grades": {fact: (grade, details)}}}."""
    results = {}
    with counting_relay.CountingRelay(origin.port) as relay:
        # One untimed pass of the fast tools first: the origin (a JVM above all) is warm for
        # every measured run, whichever tool comes first.
        for name, runs, timeout_s, make, reader in plan:
            if runs > 1:
                out = work_dir / origin.key / f"{name}-warmup"
                out.mkdir(parents=True, exist_ok=True)
                command, stdout_path, read_path = make(relay.port, out)
                tools.run_tool(name, command, relay, stdout_path, read_path, timeout_s, reader)
        for name, runs, timeout_s, make, reader in plan:
            entries = []
            for index in range(runs):
                out = work_dir / origin.key / f"{name}-{index + 1}"
                out.mkdir(parents=True, exist_ok=True)
                command, stdout_path, read_path = make(relay.port, out)
                run = tools.run_tool(name, command, relay, stdout_path, read_path, timeout_s, reader)
                entries.append(run)
                print(f"  {origin.key:16} {name:9} run {index + 1}/{runs}: {run.wall_s:7.2f} s, "
                      f"{run.connections:4} connections, exit {run.exit_code}"
                      + (f", {run.error}" if run.error else ""), flush=True)
                if not origin.running():
                    raise RuntimeError(f"origin {origin.key} died during {name}; logs in {origin.log_dir}")
            results[name] = {"runs": entries, "grades": _grades_of(origin.truth, entries)}
    return results


def _grades_of(truth, runs):
    """The worst grade of each fact over the runs (a fact right once but wrong once is wrong)."""
    rank = {grade.WRONG: 0, grade.MISSING: 1, grade.PARTIAL: 2, grade.RIGHT: 3, grade.NA: 4}
    combined = {}
    for run in runs:
        if run.findings is None:
            graded = {fact: (grade.MISSING, [f"no findings: {run.error}"]) for fact in grade.FACTS}
        else:
            graded = grade.grade(truth, run.findings)
        for fact, (g, details) in graded.items():
            if fact not in combined or rank[g] < rank[combined[fact][0]]:
                combined[fact] = (g, details)
    return combined


def _median_run(runs):
    timed = sorted(runs, key=lambda r: r.wall_s)
    return timed[len(timed) // 2]


def _connections_text(runs):
    counts = sorted({r.connections for r in runs})
    return str(counts[0]) if len(counts) == 1 else f"{counts[0]}-{counts[-1]}"


def print_report(selected, results, plan_names):
    fact_width = {fact: max(len(fact), 7) for fact in grade.FACTS}
    print()
    print("== scanners vs ground truth (loopback origins; connections counted by a relay in front of each) ==")
    header = (f"{'origin':17} {'tool':10} {'wall s':>8} {'conns':>6}  "
              + "  ".join(f"{fact:{fact_width[fact]}}" for fact in grade.FACTS) + "  exit")
    print(header)
    print("-" * len(header))
    for origin in selected:
        first = True
        for name in plan_names:
            entry = results[origin.key][name]
            median = _median_run(entry["runs"])
            runs_note = f" (median of {len(entry['runs'])})" if len(entry["runs"]) > 1 else ""
            print(f"{origin.key if first else '':17} {name:10} {median.wall_s:8.2f} "
                  f"{_connections_text(entry['runs']):>6}  "
                  + "  ".join(f"{entry['grades'][fact][0]:{fact_width[fact]}}" for fact in grade.FACTS)
                  + f"  {median.exit_code if median.exit_code is not None else 'timeout'}{runs_note}")
            first = False
    if "edgefetch" in plan_names:
        print_ratios(selected, results, plan_names)
    print_details(selected, results, plan_names)


def _fact_summary(grades):
    wrong = sum(1 for g, _ in grades.values() if g == grade.WRONG)
    short = sum(1 for g, _ in grades.values() if g in (grade.MISSING, grade.PARTIAL))
    if not wrong and not short:
        return "all right"
    return ", ".join(p for p in (f"{wrong} wrong" if wrong else "", f"{short} missing" if short else "")
                     if p)


def print_ratios(selected, results, plan_names):
    print()
    print(f"== ratios to edgefetch (aims: wall <= {AIM_WALL_VS_SSLSCAN:g}x sslscan, connections <= "
          f"{AIM_CONNECTIONS_VS_SSLSCAN:g}x sslscan, testssl.sh >= {AIM_SPEEDUP_VS_TESTSSL:g}x slower, "
          "right on every fact) ==")
    header = (f"{'origin':17} {'ef/sslscan wall':>16} {'ef/sslscan conns':>17} {'testssl/ef wall':>16} "
              f"{'ef/testssl conns':>17}  {'edgefetch facts':16} {'sslscan facts':20} testssl facts")
    print(header)
    print("-" * len(header))
    totals = {name: [0.0, 0] for name in plan_names}
    for origin in selected + [None]:
        if origin is None:
            if len(selected) < 2:
                break
            wall = {name: totals[name][0] for name in plan_names}
            conns = {name: totals[name][1] for name in plan_names}
            facts = {name: "" for name in plan_names}
            label = "all origins"
        else:
            wall, conns, facts = {}, {}, {}
            for name in plan_names:
                entry = results[origin.key][name]
                wall[name] = _median_run(entry["runs"]).wall_s
                conns[name] = max(r.connections for r in entry["runs"])
                facts[name] = _fact_summary(entry["grades"])
                totals[name][0] += wall[name]
                totals[name][1] += conns[name]
            label = origin.key
        cells = ["-", "-", "-", "-"]
        if "sslscan" in plan_names:
            w = wall["edgefetch"] / wall["sslscan"]
            c = conns["edgefetch"] / max(conns["sslscan"], 1)
            cells[0] = f"{w:.2f}x {'ok' if w <= AIM_WALL_VS_SSLSCAN else 'MISSED'}"
            cells[1] = f"{c:.2f}x {'ok' if c <= AIM_CONNECTIONS_VS_SSLSCAN else 'MISSED'}"
        if "testssl" in plan_names:
            speedup = wall["testssl"] / wall["edgefetch"]
            cells[2] = f"{speedup:.0f}x {'ok' if speedup >= AIM_SPEEDUP_VS_TESTSSL else 'MISSED'}"
            cells[3] = f"{conns['edgefetch'] / max(conns['testssl'], 1):.2f}x"
        print(f"{label:17} {cells[0]:>16} {cells[1]:>17} {cells[2]:>16} {cells[3]:>17}  "
              f"{facts['edgefetch']:16} {facts.get('sslscan', '-'):20} {facts.get('testssl', '-')}")
    print("(a ratio against a tool that got facts wrong or left them out compares with less work than "
          "the full answer)")


def print_details(selected, results, plan_names):
    print()
    print("== what each tool got wrong or did not report (truth = the origin's configuration) ==")
    for origin in selected:
        print(f"{origin.key}: {origin.title}")
        print(f"  configured: {origin.config_text}")
        t = origin.truth
        for version in t.versions:
            order = "server's order" if t.server_order.get(version) else "client's order"
            print(f"  truth {version}: {', '.join(names.suite_label(c) for c in t.suites.get(version, []))}"
                  f" ({order})")
        print(f"  truth groups: TLS<=1.2 {grade._groups(t.groups)}; TLS1.3 "
              f"{grade._groups(t.tls13_groups) if t.tls13_groups is not None else 'n/a'}; TLS1.2 signature "
              f"schemes {grade._schemes(t.signature_schemes) if t.signature_schemes is not None else 'n/a'}")
        for name in plan_names:
            entry = results[origin.key][name]
            lines = [d for fact in grade.FACTS for d in entry["grades"][fact][1]]
            for fact in grade.FACTS:
                if entry["grades"][fact][0] == grade.MISSING and not entry["grades"][fact][1]:
                    lines.append(f"{fact}: not reported")
            for run in entry["runs"]:
                if run.error:
                    lines.append(f"run failed: {run.error}")
            notes = entry["runs"][0].findings.notes if entry["runs"][0].findings else []
            print(f"  {name}: " + ("everything right" if not lines else ""))
            for line in lines:
                print(f"    - {line}")
            for note in notes:
                print(f"    (note) {note}")


def write_results(path, selected, results, plan_names):
    out = []
    for origin in selected:
        for name in plan_names:
            entry = results[origin.key][name]
            out.append({
                "origin": origin.key, "tool": name,
                "runs": [{"wall_s": round(r.wall_s, 4), "connections": r.connections, "exit": r.exit_code,
                          "error": r.error, "command": [str(c) for c in r.command], "output": str(r.raw)}
                         for r in entry["runs"]],
                "grades": {fact: {"grade": g, "details": d} for fact, (g, d) in entry["grades"].items()},
            })
    path.write_text(json.dumps(out, indent=1) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--edgefetch", type=pathlib.Path, required=True)
    parser.add_argument("--work-dir", type=pathlib.Path, required=True)
    parser.add_argument("--tools", default="edgefetch,sslscan,testssl")
    parser.add_argument("--origins", default="")
    parser.add_argument("--runs-fast", type=int, default=3, help="runs of edgefetch and sslscan (median)")
    parser.add_argument("--testssl-timeout", type=int, default=300)
    args = parser.parse_args()
    args.tools = [t for t in args.tools.split(",") if t]
    for tool, binary in (("sslscan", "sslscan"), ("testssl", "testssl")):
        if tool in args.tools and shutil.which(binary) is None:
            print(f"{binary} is not installed (make deps): skipped", file=sys.stderr)
            args.tools.remove(tool)
    plan_names = [t for t in ("edgefetch", "sslscan", "testssl") if t in args.tools]

    args.edgefetch = args.edgefetch.resolve()  # the tools run with their output directory as cwd
    work_dir = args.work_dir.resolve()
    work_dir.mkdir(parents=True, exist_ok=True)
    pki = bench_pki.Pki(work_dir / "pki")
    if not pki.exists():
        pki.generate()
    java_classes = compile_jsse(work_dir)
    catalogue = origin_catalogue.all_origins(pki, java_classes)
    wanted = [o for o in args.origins.split(",") if o]
    selected = [o for o in catalogue if not wanted or o.key in wanted]
    plan = tool_plan(args, pki)

    results = {}
    try:
        for origin in selected:
            origin.start(work_dir)
            print(f"origin {origin.key} on 127.0.0.1:{origin.port}", flush=True)
            try:
                results[origin.key] = scan_origin(origin, plan, work_dir)
            finally:
                origin.stop()
    finally:
        for origin in selected:
            origin.stop()
    print_report(selected, results, plan_names)
    write_results(work_dir / "scanners.json", selected, results, plan_names)
    print(f"\nraw outputs and scanners.json in {work_dir}")
    failed = [r for o in selected for t in plan_names for r in results[o.key][t]["runs"] if r.findings is None]
    return 1 if failed else 0


def _exit_on_signal(signum, _frame):
    raise SystemExit(128 + signum)  # runs the finally blocks that stop the origins


if __name__ == "__main__":
    os.environ.setdefault("LC_ALL", "C")
    signal.signal(signal.SIGTERM, _exit_on_signal)
    signal.signal(signal.SIGHUP, _exit_on_signal)
    sys.exit(main())
