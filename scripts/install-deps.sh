#!/usr/bin/env bash
# Installs every Debian package edgefetch needs to build, test and benchmark.
# Idempotent: does nothing when all are present; otherwise one apt-get update
# and one apt-get install of the missing ones.
set -euo pipefail

packages=(
  # build
  build-essential cmake ninja-build ccache pkg-config git
  libssl-dev openssl libboost-dev libfmt-dev nlohmann-json3-dev libcli11-dev libjemalloc-dev
  libyaml-dev
  # tests
  libgtest-dev libgmock-dev clang libclang-rt-14-dev llvm
  gnutls-bin openjdk-17-jdk-headless libnss3-tools curl python3 python3-websockets procps iproute2
  libbctls-java libbcprov-java libbcutil-java
  # benchmarks (and peers for the proxy's end-to-end tests)
  libbenchmark-dev valgrind strace nginx haproxy wrk sslscan testssl.sh
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "installing: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
