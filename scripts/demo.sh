#!/usr/bin/env bash
# make demo: `edgefetch check` and `edgefetch serve` on sample origins running on
# this machine, no network needed.
#
# Generates a throwaway CA and certificates (openssl CLI) in a temporary
# directory, starts sample origins on 127.0.0.1 (openssl s_server, and
# python3's http.server for a plain-HTTP one), writes a distribution config in
# the format `aws cloudfront get-distribution-config` prints, checks every
# origin as the edge would, then runs the edge itself (edgefetch serve) in front
# of them and sends requests through it with curl. Some origins are incompatible on purpose: that is
# what the demo shows. Exits 0 when the demo ran; non-zero only if the demo
# itself broke (a server did not start, edgefetch crashed or misused).
set -euo pipefail

bin=${1:-build/edgefetch}
if [ ! -x "$bin" ]; then
  echo "demo: $bin not found or not executable (run 'make build')" >&2
  exit 1
fi
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
for tool in openssl python3; do
  command -v "$tool" >/dev/null || { echo "demo: $tool is needed (scripts/install-deps.sh)" >&2; exit 1; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/edgefetch-demo.XXXXXX")
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
cd "$work"

bold=""; dim=""; reset=""
if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then bold=$'\e[1m'; dim=$'\e[2m'; reset=$'\e[0m'; fi
say() { printf '\n%s== %s ==%s\n' "$bold" "$*" "$reset"; }
run() { printf '%s$ %s%s\n' "$dim" "$*" "$reset"; }

# ---- a throwaway PKI: root CA -> intermediate -> leaves ---------------------
say "Generating a throwaway CA and origin certificates in $work"
quiet() { "$@" >/dev/null 2>&1 || { echo "demo: failed: $*" >&2; exit 1; }; }
quiet openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 365 \
  -subj "/CN=edgefetch demo root CA" -addext "basicConstraints=critical,CA:true" \
  -addext "keyUsage=critical,keyCertSign,cRLSign"
quiet openssl req -newkey rsa:2048 -nodes -keyout int.key -out int.csr -subj "/CN=edgefetch demo intermediate CA"
printf 'basicConstraints=critical,CA:true,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n' > int.ext
quiet openssl x509 -req -in int.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 365 -extfile int.ext -out int.pem

leaf() {  # leaf FILE NAME DAYS: a 2048-bit RSA certificate for NAME, signed by the intermediate
  quiet openssl req -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.csr" -subj "/CN=$2"
  printf 'subjectAltName=DNS:%s\nbasicConstraints=CA:false\nextendedKeyUsage=serverAuth\n' "$2" > "$1.ext"
  quiet openssl x509 -req -in "$1.csr" -CA int.pem -CAkey int.key -CAcreateserial -days "$3" \
    -extfile "$1.ext" -out "$1.pem"
}
leaf www www.demo.example 20        # valid, but due for renewal: a warning
leaf legacy legacy.demo.example 90
leaf fast fast.demo.example 90
leaf shop old-shop.demo.example 90  # the certificate names another host
echo "done: ca.pem, int.pem, and leaves for www, legacy, fast and (wrongly) old-shop"

# ---- sample origins on 127.0.0.1 ---------------------------------------------
port=""
wait_for_port() {  # wait_for_port LOG PATTERN: sets $port from the first match
  local i
  for i in $(seq 1 100); do
    port=$(grep -oE "$2" "$1" 2>/dev/null | head -1 | grep -oE '[0-9]+$' || true)
    [ -n "$port" ] && return 0
    sleep 0.05
  done
  echo "demo: a sample origin did not start; its log:" >&2
  cat "$1" >&2
  exit 1
}
tls_origin() {  # tls_origin NAME CERT ARGS...: openssl s_server; sets $port
  local name=$1 cert=$2
  shift 2
  openssl s_server -accept 127.0.0.1:0 -www -cert "$cert.pem" -key "$cert.key" -cert_chain int.pem "$@" \
    >"$name.log" 2>&1 </dev/null &
  pids+=($!)
  wait_for_port "$name.log" 'ACCEPT 127\.0\.0\.1:[0-9]+'
}

say "Starting sample origins on 127.0.0.1"
tls_origin www www -tls1_2 -cipher 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384' -serverpref
www_port=$port
tls_origin legacy legacy -tls1 -cipher 'ECDHE-RSA-AES128-SHA:AES128-SHA:@SECLEVEL=0'
legacy_port=$port
tls_origin fast fast -tls1_2 -cipher 'ECDHE-RSA-CHACHA20-POLY1305'
fast_port=$port
tls_origin shop shop -tls1_2
shop_port=$port
python3 -u -m http.server --bind 127.0.0.1 0 >plain.log 2>&1 </dev/null &
pids+=($!)
wait_for_port plain.log 'port [0-9]+'
plain_port=$port

printf '  %-22s %-6s %s\n' "www.demo.example" "$www_port" "modern: TLS 1.2, ECDHE-RSA AES-GCM, server preference"
printf '  %-22s %-6s %s\n' "legacy.demo.example" "$legacy_port" "TLS 1.0 only"
printf '  %-22s %-6s %s\n' "fast.demo.example" "$fast_port" "TLS 1.2 with CHACHA20-POLY1305 only"
printf '  %-22s %-6s %s\n' "shop.demo.example" "$shop_port" "certificate for old-shop.demo.example"
printf '  %-22s %-6s %s\n' "api.demo.example" "$plain_port" "plain HTTP on the port configured as HTTPS"

# ---- a distribution config, as `aws cloudfront get-distribution-config` prints it
custom() {  # custom ID DOMAIN PORT PROTOCOL-POLICY SSL-PROTOCOLS...
  local id=$1 domain=$2 https=$3 policy=$4
  shift 4
  local items="" p
  for p in "$@"; do items="$items${items:+, }\"$p\""; done
  cat <<EOF
        {
          "Id": "$id", "DomainName": "$domain", "OriginPath": "",
          "CustomHeaders": {"Quantity": 0},
          "CustomOriginConfig": {
            "HTTPPort": 80, "HTTPSPort": $https, "OriginProtocolPolicy": "$policy",
            "OriginSslProtocols": {"Quantity": $#, "Items": [$items]},
            "OriginReadTimeout": 30, "OriginKeepaliveTimeout": 5
          },
          "ConnectionAttempts": 3, "ConnectionTimeout": 10
        },
EOF
}
{
  cat <<EOF
{
  "ETag": "EDEMO12345",
  "DistributionConfig": {
    "CallerReference": "edgefetch-demo",
    "Comment": "edgefetch make demo",
    "Enabled": true,
    "Origins": {
      "Quantity": 8,
      "Items": [
EOF
  custom www www.demo.example "$www_port" https-only TLSv1.2
  custom legacy legacy.demo.example "$legacy_port" https-only TLSv1.2
  custom legacy-tlsv1 legacy.demo.example "$legacy_port" https-only TLSv1 TLSv1.1 TLSv1.2
  custom fast fast.demo.example "$fast_port" https-only TLSv1.2
  custom shop shop.demo.example "$shop_port" https-only TLSv1.2
  custom api api.demo.example "$plain_port" https-only TLSv1.2
  custom reports reports.demo.example 443 http-only TLSv1.2
  cat <<EOF
        {
          "Id": "assets", "DomainName": "demo-assets.s3.us-east-1.amazonaws.com", "OriginPath": "",
          "S3OriginConfig": {"OriginAccessIdentity": ""}
        }
      ]
    },
    "DefaultCacheBehavior": {"TargetOriginId": "www", "ViewerProtocolPolicy": "allow-all",
                             "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6"},
    "CacheBehaviors": {
      "Quantity": 5,
      "Items": [
        {
          "PathPattern": "/shop/*", "TargetOriginId": "shop", "ViewerProtocolPolicy": "allow-all",
          "ForwardedValues": {"QueryString": true, "Cookies": {"Forward": "none"},
                              "Headers": {"Quantity": 1, "Items": ["Host"]}}
        },
        {"PathPattern": "/legacy/*", "TargetOriginId": "legacy", "ViewerProtocolPolicy": "allow-all",
         "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6"},
        {"PathPattern": "/legacy-tlsv1/*", "TargetOriginId": "legacy-tlsv1", "ViewerProtocolPolicy": "allow-all",
         "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6"},
        {"PathPattern": "/fast/*", "TargetOriginId": "fast", "ViewerProtocolPolicy": "allow-all",
         "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6"},
        {"PathPattern": "/api/*", "TargetOriginId": "api", "ViewerProtocolPolicy": "allow-all",
         "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6"}
      ]
    }
  }
}
EOF
} > distribution.json

resolve=(--resolve "www.demo.example:$www_port:127.0.0.1"
         --resolve "legacy.demo.example:$legacy_port:127.0.0.1"
         --resolve "fast.demo.example:$fast_port:127.0.0.1"
         --resolve "shop.demo.example:$shop_port:127.0.0.1"
         --resolve "api.demo.example:$plain_port:127.0.0.1")

# ---- the checks ----------------------------------------------------------------
expect_verdict() {  # runs edgefetch; 0 compatible, 1 incompatible, 3 unreachable are results, not failures
  local status=0
  "$@" || status=$?
  case $status in
    0 | 1 | 3) printf '%s(exit code %d: %s)%s\n' "$dim" "$status" \
                 "$( [ $status = 0 ] && echo compatible || { [ $status = 1 ] && echo incompatible || echo unreachable; } )" "$reset" ;;
    *) echo "demo: edgefetch exited with $status" >&2; exit 1 ;;
  esac
}

say "Every origin of the distribution, checked as the edge would connect"
run edgefetch check --distribution-config distribution.json --ca-file ca.pem --resolve ...
expect_verdict "$bin" check --distribution-config distribution.json --ca-file ca.pem "${resolve[@]}"

say "One origin in full: what legacy.demo.example supports, and which setting would work"
run edgefetch check "legacy.demo.example:$legacy_port" --ca-file ca.pem --resolve ...
expect_verdict "$bin" check "legacy.demo.example:$legacy_port" --ca-file ca.pem "${resolve[@]}"

say "The edge in front of them: edgefetch serve with this distribution, and requests through it"
run edgefetch serve --config distribution.json --listen 127.0.0.1:0 --ca-file ca.pem --resolve ... \
  --access-log access.log --log-format json
"$bin" serve --config distribution.json --listen 127.0.0.1:0 --ca-file ca.pem "${resolve[@]}" \
  --access-log access.log --log-format json >serve.log 2>&1 </dev/null &
pids+=($!)
wait_for_port serve.log 'listening on http://127\.0\.0\.1:[0-9]+'
edge_port=$port
grep 'edgefetch serve:' serve.log | sed 's/^/  /'
echo
printf '  %s%-20s %-6s %-26s %s%s\n' "$bold" "request" "status" "edge's reason" "what the origin is" "$reset"
through_edge() {  # through_edge PATH DESCRIPTION [curl args...]
  local path=$1 what=$2 status reason
  shift 2
  status=$(curl -s -o body.out -D headers.out -w '%{http_code}' --max-time 30 "$@" \
    "http://127.0.0.1:$edge_port$path") || status="none"
  reason=$(grep -i '^x-edgefetch-origin-error:' headers.out 2>/dev/null | cut -d: -f2 | tr -d ' \r' || true)
  printf '  %-20s %-6s %-26s %s\n' "GET $path" "$status" "${reason:--}" "$what"
}
through_edge / "www: modern TLS 1.2 origin"
through_edge /legacy-tlsv1/ "legacy, OriginSslProtocols TLSv1+: TLS 1.0 is allowed"
through_edge /legacy/ "legacy, OriginSslProtocols TLSv1.2: the origin only speaks TLS 1.0"
through_edge /fast/ "fast: only CHACHA20-POLY1305, outside the edge's policy"
through_edge /shop/ "shop: Host forwarded, the certificate names old-shop" -H "Host: shop.demo.example"
through_edge /api/ "api: plain HTTP where HTTPS is configured"
echo
echo "  The access log (JSON lines; fields: status, path, origin, origin_reason_code, TLS to the origin):"
python3 - access.log <<'PY' || true
import json, sys
for line in open(sys.argv[1]):
    e = json.loads(line)
    def pick(name):
        value = e.get(name)
        return "-" if value in (None, "") else str(value)
    print("   ", pick("sc-status"), pick("cs-uri-stem").ljust(15), pick("x-edgefetch-origin-id").ljust(13),
          pick("x-edgefetch-origin-reason").ljust(20), pick("x-edgefetch-origin-tls-version"),
          pick("x-edgefetch-origin-tls-cipher"))
PY

say "The names behind it: the edge's origin policy (edgefetch ciphers, first lines)"
run edgefetch ciphers
"$bin" ciphers > ciphers.txt
head -n 24 ciphers.txt

say "Done"
echo "The sample origins are stopped and $work is removed on exit."
