#!/usr/bin/env python3
"""A small HTTP/1.1 origin for edgefetch's end-to-end tests (plain or TLS).

It answers by path and counts what it sees, so tests can observe the edge from
the origin side:
  /echo...          200, JSON body: method, path (with query), headers as received
  /cookie...        the same, with two Set-Cookie fields in the response
  /bytes/N          200, N bytes (Content-Length); /chunked/N: the same, chunked
  /upload           reads the body (Content-Length or chunked), 200 "received N"
  /slow/S           waits S seconds (float), then 200 "slow"
  /stall            sends the head and 10 bytes of a 100-byte body, then waits
  /late/S           sends the head of a 4-byte body at once, the body "late" S seconds later
  /reject           answers 413 before reading the request body, and closes
  /drop             closes the connection without an answer
  /garbage          answers "this is not HTTP" and closes
  /flaky            with --drop-percent P: drops the connection P% of the time, else 200
  /stats            JSON counters: connections, requests, tls_handshakes
  /status/C         answers status C with an empty body (204/304 without)
  /fields/F/F...    200 "fields" with each F, NAME=VALUE (percent-encoded), as a response field in
                    that order: what an origin sends that the edge must rewrite (Vary, spoofed edge fields)
  /eof/N            200 with N bytes delimited by the connection's end: no Content-Length, no
                    chunking; over TLS the connection ends with a TCP FIN and no close_notify
  /eof-notify/N     the same, but a TLS connection ends with close_notify first
Options: --port (0: any), --bind ADDRESS (127.0.0.1; an IPv6 address such as ::1 listens on IPv6),
--tls CERT KEY, --drop-percent P, --sni-log (log SNI per handshake).
Prints "listening PORT" on stdout when ready.
"""
import argparse
import json
import random
import socket
import ssl
import sys
import threading
import time
import urllib.parse

lock = threading.Lock()
stats = {"connections": 0, "requests": 0, "tls_handshakes": 0, "sni": []}


def count(key, value=1):
    with lock:
        stats[key] += value


def read_head(f):
    lines = []
    total = 0
    while True:
        line = f.readline(65537)
        if not line:
            return None
        total += len(line)
        if total > 65536:
            return None
        if line in (b"\r\n", b"\n"):
            break
        lines.append(line.decode("latin-1").rstrip("\r\n"))
    if not lines:
        return None
    parts = lines[0].split(" ")
    if len(parts) != 3:
        return None
    headers = []
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers.append((name, value.strip()))
    return parts[0], parts[1], parts[2], headers


def header(headers, name):
    for n, v in headers:
        if n.lower() == name.lower():
            return v
    return None


def read_body(f, headers):
    te = header(headers, "Transfer-Encoding")
    if te is not None and te.lower() == "chunked":
        total = 0
        while True:
            size_line = f.readline(1024)
            if not size_line:
                raise EOFError
            size = int(size_line.split(b";")[0].strip(), 16)
            if size == 0:
                while f.readline(1024) not in (b"\r\n", b"\n", b""):
                    pass
                return total
            left = size
            while left:
                chunk = f.read(min(left, 1 << 20))
                if not chunk:
                    raise EOFError
                left -= len(chunk)
            total += size
            f.readline(8)
    length = int(header(headers, "Content-Length") or "0")
    left = length
    while left:
        chunk = f.read(min(left, 1 << 20))
        if not chunk:
            raise EOFError
        left -= len(chunk)
    return length


def respond(conn, status, body=b"", extra=(), head_only=False, content_length=True):
    reason = {200: "OK", 204: "No Content", 304: "Not Modified", 404: "Not Found"}.get(status, "Status")
    head = "HTTP/1.1 %d %s\r\n" % (status, reason)
    for name, value in extra:
        head += "%s: %s\r\n" % (name, value)
    if content_length and status not in (204, 304):
        head += "Content-Length: %d\r\n" % len(body)
    head += "\r\n"
    conn.sendall(head.encode("latin-1") + (b"" if head_only or status in (204, 304) else body))


def send_bytes(conn, n, chunked, head_only):
    block = bytes(range(256)) * 256  # 64 KiB
    if chunked:
        conn.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: application/octet-stream\r\n\r\n")
    else:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nContent-Type: application/octet-stream\r\n\r\n" % n)
    if head_only:
        if chunked:
            conn.sendall(b"0\r\n\r\n")
        return
    left = n
    while left:
        piece = block[: min(left, len(block))]
        if chunked:
            conn.sendall(b"%x\r\n" % len(piece) + piece + b"\r\n")
        else:
            conn.sendall(piece)
        left -= len(piece)
    if chunked:
        conn.sendall(b"0\r\n\r\n")


ROUTES = {"echo", "cookie", "bytes", "chunked", "upload", "slow", "late", "reject", "stall", "drop", "garbage", "flaky", "stats",
          "status", "eof", "eof-notify", "fields"}


def route_path(path):
    """Drops leading segments (an OriginPath, a behavior prefix) up to the first known route."""
    segments = path.split("/")
    for i, segment in enumerate(segments):
        if segment in ROUTES:
            return "/" + "/".join(segments[i:])
    return path


def serve_connection(conn, args):
    f = conn.makefile("rb")
    try:
        while True:
            head = read_head(f)
            if head is None:
                return
            method, target, version, headers = head
            count("requests")
            path = route_path(target.split("?")[0])
            head_only = method == "HEAD"
            has_body = header(headers, "Content-Length") is not None or header(headers, "Transfer-Encoding")
            if path == "/reject":
                # Answers before reading the body, then closes with it unread (the kernel resets).
                conn.sendall(b"HTTP/1.1 413 Payload Too Large\r\nContent-Length: 8\r\n"
                             b"Connection: close\r\n\r\ntoo big\n")
                return
            received = read_body(f, headers) if has_body else 0
            if path.startswith("/echo") or path.startswith("/cookie"):
                body = json.dumps({"method": method, "target": target, "version": version,
                                   "headers": headers, "received": received}).encode()
                extra = [("Content-Type", "application/json")]
                if path.startswith("/cookie"):
                    extra += [("Set-Cookie", "session=abc; Path=/"), ("Set-Cookie", "theme=dark")]
                respond(conn, 200, body, extra, head_only)
            elif path.startswith("/bytes/"):
                send_bytes(conn, int(path.split("/")[2]), False, head_only)
            elif path.startswith("/chunked/"):
                send_bytes(conn, int(path.split("/")[2]), True, head_only)
            elif path == "/upload":
                respond(conn, 200, b"received %d" % received, head_only=head_only)
            elif path.startswith("/slow/"):
                time.sleep(float(path.split("/")[2]))
                respond(conn, 200, b"slow", head_only=head_only)
            elif path.startswith("/late/"):
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n")
                time.sleep(float(path.split("/")[2]))
                conn.sendall(b"" if head_only else b"late")
            elif path == "/stall":
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789")
                time.sleep(30)
                return
            elif path == "/drop":
                return
            elif path == "/garbage":
                conn.sendall(b"this is not HTTP\r\n\r\n")
                return
            elif path == "/flaky":
                if random.randrange(100) < args.drop_percent:
                    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                    return
                respond(conn, 200, b"ok", head_only=head_only)
            elif path == "/stats":
                with lock:
                    body = json.dumps(stats).encode()
                respond(conn, 200, body, [("Content-Type", "application/json")], head_only)
            elif path.startswith("/eof/") or path.startswith("/eof-notify/"):
                n = int(path.split("/")[2])
                conn.sendall(b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\n")
                if not head_only:
                    conn.sendall(b"x" * n)
                if path.startswith("/eof-notify/") and isinstance(conn, ssl.SSLSocket):
                    conn.settimeout(5)  # unwrap() then waits for the edge's close_notify or FIN
                    conn = conn.unwrap()  # close_notify, then the FIN below
                conn.close()  # an SSLSocket's close() sends no close_notify
                return
            elif path.startswith("/status/"):
                respond(conn, int(path.split("/")[2]), b"", head_only=head_only)
            elif path.startswith("/fields/"):
                extra = [urllib.parse.unquote(f).split("=", 1) for f in path.split("/")[2:] if "=" in f]
                respond(conn, 200, b"fields", extra, head_only)
            else:
                respond(conn, 404, b"not found\n", head_only=head_only)
            if (header(headers, "Connection") or "").lower() == "close":
                return
    except (OSError, EOFError, ValueError, ssl.SSLError):
        return
    finally:
        try:
            f.close()
            conn.close()
        except OSError:
            pass


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--bind", default="127.0.0.1")
    parser.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--drop-percent", type=int, default=0)
    args = parser.parse_args()

    family = socket.AF_INET6 if ":" in args.bind else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((args.bind, args.port))
    listener.listen(256)
    context = None
    if args.tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.maximum_version = ssl.TLSVersion.TLSv1_2
        context.load_cert_chain(args.tls[0], args.tls[1])

        def on_sni(sock, name, ctx):
            with lock:
                stats["sni"].append(name or "")

        context.sni_callback = on_sni
    print("listening %d" % listener.getsockname()[1], flush=True)
    while True:
        conn, _ = listener.accept()
        count("connections")

        def run(c=conn):
            if context is not None:
                try:
                    c.settimeout(10)
                    c = context.wrap_socket(c, server_side=True)
                    c.settimeout(None)
                    count("tls_handshakes")
                except (OSError, ssl.SSLError):
                    c.close()
                    return
            serve_connection(c, args)

        threading.Thread(target=run, daemon=True).start()


if __name__ == "__main__":
    sys.exit(main())
