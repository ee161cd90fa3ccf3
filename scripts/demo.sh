#!/usr/bin/env bash
# make demo: shows the origin policy edgefetch applies (later: checks local sample origins).
set -euo pipefail
bin=${1:-build/edgefetch}
"$bin" ciphers
