#!/usr/bin/python3
"""A WebSocket client for edgefetch's end-to-end tests.

Built on the `websockets` library (Debian's python3-websockets: run it with
/usr/bin/python3). Connects to a ws:// or wss:// URL, sends the messages asked
for, reads the expected number of messages, then closes (or waits for the other
side to close), and prints one JSON object on stdout:
  {"status": "open" | "rejected",
   "http_status": N (rejected only),
   "response_headers": {lower-cased name: value} (the 101, or the rejection),
   "request_headers": {lower-cased name: value} (what the handshake sent),
   "subprotocol": name or null,
   "received": [text, or {"binary": size, "sha256": hex}, ...],
   "sent_binary_sha256": hex (with --send-binary-size),
   "close_code": N, "close_reason": text,
   "elapsed": seconds from the open to the end of the close}
Options:
  --send TEXT           a text message (repeatable, sent in order)
  --send-binary-size N  then one binary message of N random bytes
  --pause SECONDS       wait this long before each message after the first
  --expect N            messages to read after sending (default: one per message sent)
  --then close|wait     close with 1000 (default), or wait for the other side to close
  --subprotocol NAME    offer this subprotocol
  --origin VALUE        send this Origin header
  --ca FILE             trust this CA for wss:// (else the system's)
  --server-name NAME    for wss://: the name sent in SNI and verified (default: the URL's host)
  --timeout SECONDS     bound on every wait (default 10)
Exits 0 when it ran to completion (a rejected handshake included); otherwise
non-zero with a message on stderr.
"""
import argparse
import asyncio
import hashlib
import json
import os
import ssl
import sys
import time

import websockets


def headers_dict(headers):
    out = {}
    for key, value in headers.raw_items():
        key = key.lower()
        out[key] = out[key] + ", " + value if key in out else value
    return out


def describe(message):
    if isinstance(message, bytes):
        return {"binary": len(message), "sha256": hashlib.sha256(message).hexdigest()}
    return message


async def run(args):
    kwargs = {"open_timeout": args.timeout, "close_timeout": args.timeout, "ping_interval": None,
              "max_size": None}
    if args.subprotocol:
        kwargs["subprotocols"] = [args.subprotocol]
    if args.origin:
        kwargs["origin"] = args.origin
    if args.url.startswith("wss://"):
        context = ssl.create_default_context(cafile=args.ca)
        kwargs["ssl"] = context
        if args.server_name:
            kwargs["server_hostname"] = args.server_name
    result = {}
    try:
        ws = await websockets.connect(args.url, **kwargs)
    except websockets.InvalidStatusCode as rejection:
        result["status"] = "rejected"
        result["http_status"] = rejection.status_code
        result["response_headers"] = headers_dict(rejection.headers)
        return result
    opened = time.monotonic()
    result["status"] = "open"
    result["response_headers"] = headers_dict(ws.response_headers)
    result["request_headers"] = headers_dict(ws.request_headers)
    result["subprotocol"] = ws.subprotocol
    outgoing = list(args.send)
    if args.send_binary_size is not None:
        payload = os.urandom(args.send_binary_size)
        result["sent_binary_sha256"] = hashlib.sha256(payload).hexdigest()
        outgoing.append(payload)
    expect = len(outgoing) if args.expect is None else args.expect
    received = []
    result["received"] = received
    try:
        for index, message in enumerate(outgoing):
            if index > 0 and args.pause > 0:
                await asyncio.sleep(args.pause)
            await asyncio.wait_for(ws.send(message), args.timeout)
        for _ in range(expect):
            received.append(describe(await asyncio.wait_for(ws.recv(), args.timeout)))
    except websockets.ConnectionClosed:
        pass  # reported through close_code; the test compares what arrived
    if args.then == "close":
        await asyncio.wait_for(ws.close(), args.timeout + 1)
    else:
        await asyncio.wait_for(ws.wait_closed(), args.timeout)
    result["close_code"] = ws.close_code
    result["close_reason"] = ws.close_reason
    result["elapsed"] = round(time.monotonic() - opened, 3)
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--send", action="append", default=[])
    parser.add_argument("--send-binary-size", type=int)
    parser.add_argument("--pause", type=float, default=0)
    parser.add_argument("--expect", type=int)
    parser.add_argument("--then", choices=("close", "wait"), default="close")
    parser.add_argument("--subprotocol")
    parser.add_argument("--origin")
    parser.add_argument("--ca")
    parser.add_argument("--server-name")
    parser.add_argument("--timeout", type=float, default=10)
    args = parser.parse_args()
    try:
        bound = 4 * args.timeout + 5 + args.pause * (len(args.send) + 1)
        result = asyncio.run(asyncio.wait_for(run(args), bound))
    except asyncio.TimeoutError:
        print("ws_client: timed out (--timeout %g)" % args.timeout, file=sys.stderr)
        return 1
    except (OSError, ssl.SSLError, websockets.WebSocketException) as error:
        print("ws_client: %s: %s" % (type(error).__name__, error), file=sys.stderr)
        return 1
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
