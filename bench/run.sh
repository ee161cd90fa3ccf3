#!/usr/bin/env bash
# make bench: runs every benchmark; none of these are tests.
set -euo pipefail
build=${1:-build}
echo "no benchmarks yet"
