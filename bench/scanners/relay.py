"""A counting TCP relay on 127.0.0.1: each accepted connection is one TCP
connection the scanner made; it is forwarded byte for byte to the origin.
Runs an asyncio loop in a background thread so the scanner can be an ordinary
child process of the benchmark."""

import asyncio
import threading

_CHUNK = 64 * 1024
CONNECTION_LIMIT_S = 120


class CountingRelay:
    def __init__(self, upstream_port):
        self.upstream_port = upstream_port
        self.port = 0
        self._accepted = 0
        self._connections = set()  # strong references: the loop only keeps weak ones to tasks
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._server = None
        self._ready = threading.Event()
        self._error = None
        self._thread = threading.Thread(target=self._run, name="relay", daemon=True)

    def __enter__(self):
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("relay did not start")
        if self._error:
            raise RuntimeError(f"relay failed to start: {self._error}")
        return self

    def __exit__(self, *exc):
        asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop)
        self._thread.join(10)

    @property
    def connections(self):
        with self._lock:
            return self._accepted

    def reset(self):
        with self._lock:
            self._accepted = 0

    def _run(self):
        asyncio.set_event_loop(self._loop)
        try:
            self._server = self._loop.run_until_complete(
                asyncio.start_server(self._serve, "127.0.0.1", 0, backlog=128))
            self.port = self._server.sockets[0].getsockname()[1]
        except OSError as error:
            self._error = error
            self._ready.set()
            return
        self._ready.set()
        try:
            self._loop.run_forever()
        finally:
            self._loop.close()

    async def _shutdown(self):
        """Stops accepting, ends every relayed connection still open, then stops the loop."""
        self._server.close()
        tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._loop.stop()

    async def _serve(self, client_reader, client_writer):
        with self._lock:
            self._accepted += 1
        task = asyncio.current_task()
        self._connections.add(task)
        task.add_done_callback(self._connections.discard)
        writers = [client_writer]
        try:
            origin_reader, origin_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
            writers.append(origin_writer)
            # A scanner's connection lives for a handshake or a page: a relayed connection still
            # open after this long is stuck, and a stuck connection would block a one-connection-
            # at-a-time origin (openssl s_server) for every later probe.
            await asyncio.wait_for(
                asyncio.gather(_pump(client_reader, origin_writer), _pump(origin_reader, client_writer)),
                CONNECTION_LIMIT_S)
        except (OSError, asyncio.TimeoutError):
            for writer in writers:
                writer.transport.abort()
        finally:
            for writer in writers:
                writer.close()


async def _pump(reader, writer):
    """Copies until end of stream, then half-closes the other side (a FIN stays a FIN)."""
    try:
        while True:
            data = await reader.read(_CHUNK)
            if not data:
                break
            writer.write(data)
            await writer.drain()
        if writer.can_write_eof():
            writer.write_eof()
    except (ConnectionError, OSError):
        # A reset on one side: reset the other side too, as a direct connection would see it.
        transport = writer.transport
        if transport is not None:
            transport.abort()
