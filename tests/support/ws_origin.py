#!/usr/bin/python3
"""A WebSocket origin for edgefetch's end-to-end tests (plain or TLS).

Built on the `websockets` library (Debian's python3-websockets, so run it with
/usr/bin/python3). It answers by path; leading segments before "/ws/" (an
OriginPath, a behavior prefix) are ignored for routing:
  /ws/echo      echoes every message, text and binary
  /ws/hello     sends the text "hello from origin" right after the handshake,
                before reading anything; then echoes
  /ws/headers   sends one text message, a JSON object {"path": request path as
                received, "headers": {lower-cased name: value}} (repeated
                fields joined with ", "), then waits for the viewer to close
  /ws/close     closes at once with code 4001, reason "bye"
  /ws/protocol  selects the subprotocol "chat" when the client offers it; echoes
  /ws/reject    answers HTTP 403 "rejected by origin\n" instead of upgrading
  /ws/silent    accepts and never sends; waits for the other side to close
Anything else is answered 404 without upgrading.
Options: --port (0: any), --cert FILE --key FILE (serve TLS).
Prints "listening PORT" on stdout when ready, and "closed PATH CODE" when a
WebSocket ends (CODE as websockets reports it: 1006 when no close frame came).
Pings are off, so nothing moves on an idle connection.
"""
import argparse
import asyncio
import http
import json
import ssl
import sys

import websockets
from websockets.legacy.server import WebSocketServerProtocol

ROUTES = {"echo", "hello", "headers", "close", "protocol", "reject", "silent"}


def route(path):
    """'/base/x/ws/echo?q' -> 'echo' (None when no known route)."""
    segments = path.split("?")[0].split("/")
    for i in range(len(segments) - 1):
        if segments[i] == "ws" and segments[i + 1] in ROUTES:
            return segments[i + 1]
    return None


class OriginProtocol(WebSocketServerProtocol):
    async def process_request(self, path, request_headers):
        name = route(path)
        if name == "reject":
            return http.HTTPStatus.FORBIDDEN, [("Content-Type", "text/plain")], b"rejected by origin\n"
        if name is None:
            return http.HTTPStatus.NOT_FOUND, [("Content-Type", "text/plain")], b"not found\n"
        return None

    def select_subprotocol(self, client_subprotocols, server_subprotocols):
        # Consulted only when the client offers some (serve's subprotocols=["chat"]).
        if route(self.path) == "protocol" and "chat" in client_subprotocols:
            return "chat"
        return None


async def echo(ws):
    async for message in ws:
        await ws.send(message)


async def handler(ws):
    name = route(ws.path)
    try:
        if name == "hello":
            await ws.send("hello from origin")
            await echo(ws)
        elif name == "headers":
            headers = {}
            for key, value in ws.request_headers.raw_items():
                key = key.lower()
                headers[key] = headers[key] + ", " + value if key in headers else value
            await ws.send(json.dumps({"path": ws.path, "headers": headers}))
            await ws.wait_closed()
        elif name == "close":
            await ws.close(4001, "bye")
        elif name == "silent":
            await ws.wait_closed()
        else:  # echo, protocol
            await echo(ws)
    except websockets.ConnectionClosed:
        pass
    finally:
        await ws.wait_closed()
        print("closed %s %s" % (ws.path, ws.close_code), flush=True)


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--cert")
    parser.add_argument("--key")
    args = parser.parse_args()
    context = None
    if args.cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.cert, args.key)
    async with websockets.serve(handler, "127.0.0.1", args.port, ssl=context, create_protocol=OriginProtocol,
                                subprotocols=["chat"], max_size=None, ping_interval=None) as server:
        port = server.sockets[0].getsockname()[1]
        print("listening %d" % port, flush=True)
        await asyncio.Future()  # until killed


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
