#!/usr/bin/env bash
# make bench: builds the benchmarks if needed, runs the wall-clock benchmarks
# (bounded: fixed iterations / seconds / megabytes), then counts client
# instructions with callgrind (repeatable on a noisy machine), and prints one
# summary table with the issue's aims. Benchmarks are not tests: missed aims do
# not change the exit status; only a benchmark that cannot run does.
#
# Usage: bench/run.sh [BUILD_DIR]   (default: build, relative to the repository)
# Knobs (environment): HS_ITERATIONS (300) HS_SECONDS (5) per handshake run;
#   BULK_MB (256) per client and cell, BULK_FILE_MB (32) per response;
#   CG_HANDSHAKES (20) per run under callgrind, CG_BULK_MB (8) per response under
#   callgrind; SKIP_CALLGRIND=1 to skip the instruction counts.
#   ONLY_HANDSHAKE=1 runs the handshake benchmark alone (no bulk, scanners, proxy);
#   HS_CELLS_ONLY=a,b limits it to those cells (handshake_bench --help lists them; the
#   TLS 1.3 cells of issue 7 are tls13-rsa-x25519 tls13-rsa-p256 tls13-ecdsa-x25519 tls13-ecdsa-p256
#   and tls13-rsa-hrr-x25519).
#   Scanner comparison (issue 5: edgefetch check vs sslscan vs testssl.sh on four loopback
#   origins, several minutes because of testssl.sh): SKIP_SCANNERS=1 to skip it,
#   SCANNER_TOOLS (edgefetch,sslscan,testssl), SCANNER_ORIGINS (all), SCANNER_RUNS (3 runs of
#   edgefetch and sslscan, median), TESTSSL_TIMEOUT (300 s per origin); ONLY_SCANNERS=1 runs
#   the scanner comparison alone.
# Proxy comparison (edgefetch serve vs nginx vs HAProxy under wrk, issue 6):
#   SKIP_PROXY=1 to skip it, PROXY_SECONDS (10) per cell, PROXY_CONNECTIONS (32);
#   ONLY_PROXY=1 runs it alone. Then the proxies' user-space instructions per request
#   under callgrind (about 2 minutes; PROXY_CG_SECONDS (5) per cell; SKIP_CALLGRIND=1 skips it).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-build}
[[ $build = /* ]] || build="$root/$build"

HS_ITERATIONS=${HS_ITERATIONS:-300}
HS_SECONDS=${HS_SECONDS:-5}
BULK_MB=${BULK_MB:-256}
BULK_FILE_MB=${BULK_FILE_MB:-32}
CG_HANDSHAKES=${CG_HANDSHAKES:-20}
CG_BULK_MB=${CG_BULK_MB:-8}
HS_CELLS=(ecdhe-rsa-x25519 ecdhe-rsa-p256 ecdhe-ecdsa-p256 rsa-aes128-sha tls10-rsa-aes128-sha
  tls13-rsa-x25519 tls13-rsa-p256 tls13-ecdsa-x25519 tls13-ecdsa-p256 tls13-rsa-hrr-x25519)

if [[ ! -f $build/build.ninja ]]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DEDGEFETCH_WERROR=ON
fi
if [[ -n ${HS_CELLS_ONLY:-} ]]; then
  IFS=, read -r -a HS_CELLS <<<"$HS_CELLS_ONLY"
fi
hs_cell_list=$(IFS=,; echo "${HS_CELLS[*]}")
only_handshake=${ONLY_HANDSHAKE:-0}
if [[ $only_handshake = 1 ]]; then
  SKIP_SCANNERS=1
  SKIP_PROXY=1
fi
only_scanners=${ONLY_SCANNERS:-0}
if [[ ${ONLY_PROXY:-0} = 1 ]]; then
  only_scanners=1
  SKIP_SCANNERS=1
fi
targets=()
[[ $only_scanners = 1 ]] || targets+=(handshake_bench)
[[ $only_scanners = 1 || $only_handshake = 1 ]] || targets+=(bulk_bench)
[[ ${SKIP_SCANNERS:-0} = 1 && ${SKIP_PROXY:-0} = 1 ]] || targets+=(edgefetch)
if ((${#targets[@]})); then
  cmake --build "$build" --target "${targets[@]}" -j "$(nproc)"
fi

hs="$build/bench/handshake_bench"
bulk="$build/bench/bulk_bench"
results="$build/bench-results"
rm -rf "$results"
mkdir -p "$results/callgrind"
status=0

if [[ $only_scanners != 1 ]]; then
  "$hs" --write-pki "$results/pki" >/dev/null

  echo "== wall clock (orientation only: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)) =="
  "$hs" --pki "$results/pki" --iterations "$HS_ITERATIONS" --max-seconds "$HS_SECONDS" \
    --cells "$hs_cell_list" --tsv "$results/wall.tsv" | tee "$results/handshake.txt" || status=1
  if [[ $only_handshake != 1 ]]; then
    echo
    "$bulk" --pki "$results/pki" --work-dir "$results" --megabytes "$BULK_MB" --file-megabytes "$BULK_FILE_MB" \
      --tsv "$results/wall.tsv" | tee "$results/bulk.txt" || status=1
  fi

  if [[ ${SKIP_CALLGRIND:-0} != 1 ]]; then
    if command -v valgrind >/dev/null; then
      echo
      echo "== callgrind instruction counts (client side only; dumps in $results/callgrind) =="
      # Each run writes NAME.out.N, one dump per measured stretch, labelled in its "desc: Trigger" line.
      callgrind() {
        local name=$1
        shift
        echo "  $name"
        valgrind --tool=callgrind --collect-atstart=no --callgrind-out-file="$results/callgrind/$name.out" \
          "$@" >"$results/callgrind/$name.log" 2>&1 || { echo "  $name failed, see $results/callgrind/$name.log"; status=1; }
      }
      callgrind baseline "$hs" --pki "$results/pki" --callgrind --iterations 0 --warmup 1 --cells "${HS_CELLS[0]}"
      for cell in "${HS_CELLS[@]}"; do
        callgrind "hs-$cell" "$hs" --pki "$results/pki" --callgrind --iterations "$CG_HANDSHAKES" --warmup 2 \
          --cells "$cell"
      done
      if [[ $only_handshake != 1 ]]; then
        callgrind bulk "$bulk" --pki "$results/pki" --work-dir "$results" --callgrind --file-megabytes "$CG_BULK_MB"
      fi
    else
      echo "valgrind not installed: no instruction counts (make deps installs it)"
    fi
  fi

  echo
  python3 "$root/bench/summarize.py" "$results" || status=1
fi

if [[ ${SKIP_SCANNERS:-0} != 1 ]]; then
  echo
  echo "== edgefetch check vs sslscan vs testssl.sh (issue 5; testssl.sh takes about a minute per origin) =="
  python3 "$root/bench/scanners/compare.py" --edgefetch "$build/edgefetch" --work-dir "$results/scanners" \
    --tools "${SCANNER_TOOLS:-edgefetch,sslscan,testssl}" --origins "${SCANNER_ORIGINS:-}" \
    --runs-fast "${SCANNER_RUNS:-3}" --testssl-timeout "${TESTSSL_TIMEOUT:-300}" || status=1
fi

if [[ ${SKIP_PROXY:-0} != 1 ]]; then
  echo
  python3 "$root/bench/proxy/proxy_bench.py" --edgefetch "$build/edgefetch" \
    --json "$results/proxy.json" || status=1
  if [[ ${SKIP_CALLGRIND:-0} != 1 ]]; then
    echo
    python3 "$root/bench/proxy/proxy_instructions.py" --edgefetch "$build/edgefetch" \
      --json "$results/proxy-instructions.json" || status=1
  fi
fi
exit $status
