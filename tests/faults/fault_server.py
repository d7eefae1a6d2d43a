"""A scriptable loopback HTTP server that misbehaves on purpose (standard library only).

It speaks just enough HTTP/1.1 (keep-alive, Content-Length and chunked bodies) to look like a
Gradio 6 Space and like the Hugging Face hub, and lets each test replace any route with a
handler that controls the bytes exactly: stalls, partial chunked bodies, cuts without the
chunked terminator, heartbeats, redirects, HTML, huge bodies.

Every request is recorded (method, path, query, headers, body, arrival time) so that tests can
count submissions. Every accepted connection is tracked until the *client* closes it, so a test
can tell whether the SDK left a socket open after ``close()``: after a response the server keeps
reading the connection (keep-alive), and after a cut it half-closes (``SHUT_WR``) and waits for
the client's FIN, so a connection only ends when the peer lets it go.

Nothing here sleeps to wait for something: handlers block on the socket (``select``) or on
events, and ``stop()`` wakes them all by shutting their sockets down.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import re
import select
import socket
import struct
import threading
import time
import uuid
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Callable, Optional, Union
from urllib.parse import parse_qs, urlsplit

from gradio_answers import STUB_DEPENDENCIES

__all__ = [
    "HOST",
    "PNG",
    "Connection",
    "FaultServer",
    "Handler",
    "PeerClosed",
    "Request",
    "backlogged_port",
    "closed_port",
    "fetch",
    "proxy",
    "sequence",
]

HOST = "127.0.0.1"
PREFIX = "/gradio_api"
_MAX_HEAD = 64 * 1024
Handler = Callable[["Connection", "Request"], None]


def _png(width: int = 2, height: int = 2) -> bytes:
    """A tiny valid PNG (grey pixels), built without Pillow."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


#: The image every default file download answers with.
PNG = _png()

_REASONS = {
    200: "OK",
    301: "Moved Permanently",
    302: "Found",
    307: "Temporary Redirect",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    408: "Request Timeout",
    422: "Unprocessable Entity",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


class PeerClosed(Exception):
    """The client closed (or reset) the connection while a handler was using it."""


@dataclass(frozen=True)
class Request:
    """One request the server received."""

    method: str
    path: str
    query: Mapping[str, str]
    headers: Mapping[str, str]  # names lower-cased
    body: bytes
    at: float  # time.monotonic() when its head was complete
    connection: int

    @property
    def line(self) -> str:
        """``"METHOD /path"``: what request logs are counted by."""
        return f"{self.method} {self.path}"

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))


class Connection:
    """One accepted connection, as a handler sees it: write bytes, stream, stall, cut."""

    def __init__(self, server: FaultServer, sock: socket.socket, number: int) -> None:
        self.server = server
        self.sock = sock
        self.number = number
        self.keep_alive = True
        self.peer_closed = False  # the client sent FIN or RST (not our own shutdown)
        self.finished = threading.Event()  # the handler thread ended and closed the socket
        self.paths: list[str] = []
        self._buffer = b""

    # --- reading -----------------------------------------------------------------------------

    def _recv(self) -> bytes:
        try:
            data = self.sock.recv(65536)
        except OSError:
            data = b""
        if not data and not self.server.stopping.is_set():
            self.peer_closed = True
        return data

    def _read_until(self, marker: bytes) -> Optional[bytes]:
        while marker not in self._buffer:
            if len(self._buffer) > _MAX_HEAD:
                return None
            data = self._recv()
            if not data:
                return None
            self._buffer += data
        head, _, self._buffer = self._buffer.partition(marker)
        return head

    def _read_exactly(self, size: int) -> Optional[bytes]:
        while len(self._buffer) < size:
            data = self._recv()
            if not data:
                return None
            self._buffer += data
        data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data

    def read_request(self) -> Optional[Request]:
        """The next request on this connection; None when the client closed it."""
        head = self._read_until(b"\r\n\r\n")
        if head is None:
            return None
        at = time.monotonic()
        lines = head.decode("latin-1").split("\r\n")
        method, target, _ = ([*lines[0].split(" ", 2), "", ""])[:3]
        headers: dict[str, str] = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if headers.get("transfer-encoding", "").lower() == "chunked":
            body = self._read_chunked()
        else:
            body = self._read_exactly(int(headers.get("content-length") or 0))
        if body is None:
            return None
        parts = urlsplit(target)
        query = {key: values[0] for key, values in parse_qs(parts.query).items()}
        if headers.get("connection", "").lower() == "close":
            self.keep_alive = False
        return Request(method, parts.path, query, headers, body, at, self.number)

    def _read_chunked(self) -> Optional[bytes]:
        body = b""
        while True:
            size_line = self._read_until(b"\r\n")
            if size_line is None:
                return None
            size = int(size_line.split(b";")[0] or b"0", 16)
            if size == 0:
                return body if self._read_until(b"\r\n") is not None else None
            data = self._read_exactly(size + 2)
            if data is None:
                return None
            body += data[:-2]

    # --- writing -----------------------------------------------------------------------------

    def send(self, data: bytes) -> None:
        """Write raw bytes. Raises PeerClosed when the client is gone."""
        try:
            self.sock.sendall(data)
        except OSError as exc:
            if not self.server.stopping.is_set():
                self.peer_closed = True
            raise PeerClosed(str(exc)) from exc

    def head(
        self,
        status: int,
        headers: Optional[Mapping[str, str]] = None,
        *,
        content_length: Optional[int] = None,
        chunked: bool = False,
    ) -> None:
        """Send a status line and headers (with Content-Length or chunked framing)."""
        lines = [f"HTTP/1.1 {status} {_REASONS.get(status, 'Status')}"]
        for name, value in (headers or {}).items():
            lines.append(f"{name}: {value}")
        if chunked:
            lines.append("Transfer-Encoding: chunked")
        elif content_length is not None:
            lines.append(f"Content-Length: {content_length}")
        if not self.keep_alive:
            lines.append("Connection: close")
        self.send(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))

    def respond(
        self,
        status: int,
        body: Union[bytes, str] = b"",
        content_type: str = "application/json",
        headers: Optional[Mapping[str, str]] = None,
    ) -> None:
        """A complete response with a Content-Length body."""
        payload = body.encode("utf-8") if isinstance(body, str) else body
        self.head(
            status, {"Content-Type": content_type, **(headers or {})}, content_length=len(payload)
        )
        self.send(payload)

    def json(
        self, value: Any, status: int = 200, headers: Optional[Mapping[str, str]] = None
    ) -> None:
        self.respond(status, json.dumps(value), "application/json", headers)

    def start_stream(
        self,
        status: int = 200,
        content_type: str = "text/event-stream; charset=utf-8",
        headers: Optional[Mapping[str, str]] = None,
    ) -> None:
        """Headers of a chunked response; follow with :meth:`chunk`, then end or cut it."""
        self.head(status, {"Content-Type": content_type, **(headers or {})}, chunked=True)

    def chunk(self, data: Union[bytes, str]) -> None:
        payload = data.encode("utf-8") if isinstance(data, str) else data
        if payload:
            self.send(f"{len(payload):x}\r\n".encode("ascii") + payload + b"\r\n")

    def end_stream(self) -> None:
        """The chunked terminator: a proper end of the body."""
        self.send(b"0\r\n\r\n")

    def cut(self) -> None:
        """End the connection here (FIN, no terminator); then wait for the client to let go."""
        self.keep_alive = False
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_WR)

    def reset(self) -> None:
        """End the connection here with a TCP reset (RST), as a crashed peer or proxy does."""
        self.keep_alive = False
        with contextlib.suppress(OSError):
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.sock.close()

    def wait(self, seconds: float) -> None:
        """Pace a stream: block ``seconds`` unless the client closes (then PeerClosed)."""
        if self._closed_within(seconds):
            raise PeerClosed("client closed the connection")

    def stall(self) -> None:
        """Never answer: block until the client closes the connection (or the server stops)."""
        self.keep_alive = False
        self._drain()

    def _closed_within(self, seconds: float) -> bool:
        if self.server.stopping.is_set():
            return True
        try:
            readable, _, _ = select.select([self.sock], [], [], seconds)
        except (OSError, ValueError):
            return True
        if not readable:
            return False
        try:
            data = self.sock.recv(65536, socket.MSG_PEEK)
        except OSError:
            data = b""
        if data:
            return False  # a pipelined request: not a close
        if not self.server.stopping.is_set():
            self.peer_closed = True
        return True

    def _drain(self) -> None:
        """Read (and drop) until the client closes its side."""
        self._buffer = b""
        while self._recv():
            pass


def sequence(*handlers: Handler) -> Handler:
    """A handler that uses ``handlers[n]`` for its n-th call, the last one for every call after."""
    calls = itertools.count()
    lock = threading.Lock()

    def handle(conn: Connection, request: Request) -> None:
        with lock:
            index = next(calls)
        handlers[min(index, len(handlers) - 1)](conn, request)

    return handle


# --- the default Gradio 6 Space and hub -----------------------------------------------------------


def file_data(request: Request, name: str = "image.png") -> dict[str, Any]:
    """An output FileData whose URL points back at this server (built from Host, like Gradio)."""
    path = f"/tmp/gradio/{uuid.uuid4().hex}/{name}"
    host = request.headers.get("host", HOST)
    return {
        "path": path,
        "url": f"http://{host}{PREFIX}/file={path}",
        "size": None,
        "orig_name": name,
        "mime_type": None,
        "is_stream": False,
        "meta": {"_type": "gradio.FileData"},
    }


CONFIG: dict[str, Any] = {
    "version": "6.31.0",
    "mode": "blocks",
    "api_prefix": PREFIX,
    "protocol": "sse_v3",
    "enable_queue": True,
    "dependencies": STUB_DEPENDENCIES,
}


def sse(event: str, data: Any) -> str:
    """One /call event (Python json.dumps framing, like Gradio)."""
    return f"event: {event}\ndata: {json.dumps(data)}\n\n"


def message(value: Mapping[str, Any]) -> str:
    """One queue message (compact JSON, like Gradio's orjson)."""
    return "data: " + json.dumps(value, separators=(",", ":")) + "\n\n"


class FaultServer:
    """A Gradio-6-like Space and hub on 127.0.0.1 whose every route can be replaced.

    Use as a context manager; ``stop()`` shuts every socket down and joins every thread.
    """

    def __init__(self) -> None:
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._routes: list[tuple[str, re.Pattern[str], Handler]] = []
        self._requests: list[Request] = []
        self._connections: list[Connection] = []
        self.threads: set[threading.Thread] = set()
        self.sessions: dict[str, dict[str, Any]] = {}  # queue session hash -> join payload
        self.errors: list[str] = []  # exceptions raised by handlers (not PeerClosed)
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind((HOST, 0))
        self._listener.listen(64)
        self.port: int = self._listener.getsockname()[1]
        self.url = f"http://{HOST}:{self.port}"
        self._install_defaults()
        self._accepter = threading.Thread(
            target=self._accept_loop, name=f"fault-server-{self.port}", daemon=True
        )
        self.threads.add(self._accepter)
        self._accepter.start()

    # --- routes --------------------------------------------------------------------------------

    def route(self, method: str, pattern: str, handler: Handler) -> None:
        """Answer ``method`` requests whose path fully matches ``pattern`` with ``handler``.

        Later routes win, so a test overrides the defaults.
        """
        with self._lock:
            self._routes.insert(0, (method.upper(), re.compile(pattern), handler))

    def _handler_for(self, request: Request) -> Handler:
        with self._lock:
            routes = list(self._routes)
        for method, pattern, handler in routes:
            if method in (request.method, "*") and pattern.fullmatch(request.path):
                return handler
        return lambda conn, req: conn.json({"detail": "Not Found"}, status=404)

    def _install_defaults(self) -> None:
        self.route("GET", "/config", lambda c, r: c.json(CONFIG))
        self.route("POST", f"{PREFIX}/call/infer", self.call_accept)
        self.route("GET", f"{PREFIX}/call/infer/[^/]+", self.call_complete)
        self.route("POST", f"{PREFIX}/queue/join", self.queue_join)
        self.route("GET", f"{PREFIX}/queue/data", self.queue_complete)
        self.route("POST", f"{PREFIX}/run/predict", self.predict_ok)
        self.route("POST", f"{PREFIX}/cancel", lambda c, r: c.json({"success": True}))
        self.route("POST", f"{PREFIX}/upload", self.upload_ok)
        self.route("GET", f"{PREFIX}/file=.*", lambda c, r: c.respond(200, PNG, "image/png"))
        self.route("GET", "/api/spaces/[^/]+/[^/]+/jwt", self.jwt_ok)
        self.route("GET", "/spaces/[^/]+/[^/]+", self.space_page)

    # default answers, reusable by scenario handlers

    @staticmethod
    def call_accept(conn: Connection, request: Request) -> None:
        conn.json({"event_id": uuid.uuid4().hex})

    @staticmethod
    def call_complete(conn: Connection, request: Request) -> None:
        conn.start_stream()
        conn.chunk(sse("complete", [file_data(request), 42]))
        conn.end_stream()

    def queue_join(self, conn: Connection, request: Request) -> None:
        payload = request.json()
        event_id = uuid.uuid4().hex
        with self._lock:
            self.sessions[str(payload.get("session_hash"))] = {**payload, "event_id": event_id}
        conn.json({"event_id": event_id})

    def joined(self, request: Request) -> dict[str, Any]:
        """The join payload (plus ``event_id``) of the session a queue/data request reads."""
        with self._lock:
            return dict(self.sessions.get(request.query.get("session_hash", ""), {}))

    def queue_output(self, request: Request) -> list[Any]:
        """What the joined function returns: text for a Janus chat, else an image and a seed."""
        joined = self.joined(request)
        if joined.get("fn_index") == 2 and len(joined.get("data") or []) == 5:
            return ["The look-alike answer."]
        return [file_data(request), 42]

    def queue_messages(self, request: Request) -> Iterator[str]:
        """A successful job's messages, up to ``process_completed`` (no close_stream)."""
        event_id = self.joined(request).get("event_id")
        yield message({"msg": "estimation", "event_id": event_id, "rank": 0, "queue_size": 1})
        yield message({"msg": "process_starts", "event_id": event_id, "eta": None})
        yield message(
            {
                "msg": "process_completed",
                "event_id": event_id,
                "output": {"data": self.queue_output(request), "is_generating": False},
                "success": True,
            }
        )

    def queue_complete(self, conn: Connection, request: Request) -> None:
        conn.start_stream()
        for line in self.queue_messages(request):
            conn.chunk(line)
        conn.chunk(message({"msg": "close_stream", "event_id": None}))
        conn.end_stream()

    @staticmethod
    def predict_ok(conn: Connection, request: Request) -> None:
        conn.json(
            {"data": [file_data(request), 42, "Latency: 0.01 seconds"], "is_generating": False}
        )

    @staticmethod
    def upload_ok(conn: Connection, request: Request) -> None:
        count = max(1, request.body.count(b'name="files"'))
        conn.json([f"/tmp/gradio/{uuid.uuid4().hex}/upload.png" for _ in range(count)])

    @staticmethod
    def jwt_ok(conn: Connection, request: Request) -> None:
        conn.json({"token": "fault-jwt", "exp": int(time.time()) + 600})

    @staticmethod
    def space_page(conn: Connection, request: Request) -> None:
        page = (
            '<!DOCTYPE html><html><body><div data-props="{&quot;zeroGPU&quot;:{'
            "&quot;token&quot;:&quot;page-token&quot;,&quot;sessionUuid&quot;:&quot;page-uuid"
            '&quot;}}"></div></body></html>'
        )
        conn.respond(200, page, "text/html; charset=utf-8")

    # --- the request log -------------------------------------------------------------------------

    @property
    def requests(self) -> list[Request]:
        with self._lock:
            return list(self._requests)

    def log(self) -> list[str]:
        return [r.line for r in self.requests]

    # --- connections ---------------------------------------------------------------------------

    def _accept_loop(self) -> None:
        number = 0
        while True:
            try:
                sock, _ = self._listener.accept()
            except OSError:
                return
            if self.stopping.is_set():
                sock.close()
                return
            number += 1
            conn = Connection(self, sock, number)
            thread = threading.Thread(
                target=self._serve,
                args=(conn,),
                name=f"fault-server-{self.port}-{number}",
                daemon=True,
            )
            with self._lock:
                self._connections.append(conn)
                self.threads.add(thread)
            thread.start()

    def _serve(self, conn: Connection) -> None:
        try:
            while not self.stopping.is_set():
                request = conn.read_request()
                if request is None:
                    break
                with self._lock:
                    self._requests.append(request)
                conn.paths.append(request.line)
                try:
                    self._handler_for(request)(conn, request)
                except PeerClosed:
                    break
                except Exception as exc:  # a broken scenario handler: stop() reports it
                    with self._lock:
                        self.errors.append(f"{request.line}: {type(exc).__name__}: {exc}")
                    break
                if not conn.keep_alive:
                    conn.cut()
                    conn._drain()
                    break
        finally:
            with contextlib.suppress(OSError):
                conn.sock.close()
            conn.finished.set()

    def connections(self) -> list[Connection]:
        with self._lock:
            return list(self._connections)

    def wait_for_clients(self, timeout: float) -> list[Connection]:
        """Wait until the client let go of every connection; those it still holds open."""
        deadline = time.monotonic() + timeout
        for conn in self.connections():
            conn.finished.wait(max(0.0, deadline - time.monotonic()))
        return [conn for conn in self.connections() if not conn.finished.is_set()]

    def own_fds(self) -> set[int]:
        """File descriptors the server itself holds open (listener, unfinished connections)."""
        fds = {self._listener.fileno()}
        fds |= {c.sock.fileno() for c in self.connections() if not c.finished.is_set()}
        return {fd for fd in fds if fd >= 0}

    def stop(self) -> None:
        """Stop accepting, wake every handler, join every thread."""
        self.stopping.set()
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)
        self._listener.close()
        for conn in self.connections():
            with contextlib.suppress(OSError):
                conn.sock.shutdown(socket.SHUT_RDWR)
        for thread in list(self.threads):
            thread.join(timeout=5)
        alive = [t.name for t in self.threads if t.is_alive()]
        if alive:
            raise RuntimeError(f"fault server threads did not stop: {alive}")
        if self.errors:
            raise RuntimeError(f"fault server handlers failed: {self.errors}")

    def __enter__(self) -> FaultServer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


# --- a pass-through to a real server (the look-alike Spaces) ---------------------------------------


def _upstream_request(upstream: str, request: Request, target: str) -> bytes:
    parts = urlsplit(upstream)
    skipped = ("host", "connection", "content-length", "transfer-encoding", "accept-encoding")
    lines = [f"{request.method} {target} HTTP/1.1", f"Host: {parts.netloc}"]
    lines += [f"{name}: {value}" for name, value in request.headers.items() if name not in skipped]
    lines += [f"Content-Length: {len(request.body)}", "Connection: close"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + request.body


def _target(request: Request) -> str:
    query = "&".join(f"{key}={value}" for key, value in request.query.items())
    return request.path + (f"?{query}" if query else "")


def fetch(upstream: str, request: Request, timeout: float = 10.0) -> bytes:
    """Send ``request`` to ``upstream`` ourselves; the whole raw answer (until it closes)."""
    parts = urlsplit(upstream)
    with socket.create_connection((parts.hostname, parts.port), timeout=timeout) as sock:
        sock.sendall(_upstream_request(upstream, request, _target(request)))
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    return data


def proxy(upstream: str, tap: Optional[Callable[[bytes], None]] = None) -> Handler:
    """Forward the request to ``upstream`` and relay its answer byte for byte, cut and all.

    The relay ends when the upstream closes (then the client's connection is cut there too) or
    when the client goes away (then the upstream connection is closed). ``tap`` sees every
    relayed block.
    """
    parts = urlsplit(upstream)

    def handle(conn: Connection, request: Request) -> None:
        conn.keep_alive = False
        with socket.create_connection((parts.hostname, parts.port), timeout=10) as up:
            up.sendall(_upstream_request(upstream, request, _target(request)))
            while True:
                readable, _, _ = select.select([up, conn.sock], [], [], 30)
                if not readable:
                    return
                if conn.sock in readable and conn._closed_within(0):
                    return
                if up in readable:
                    data = up.recv(65536)
                    if not data:
                        return
                    if tap is not None:
                        tap(data)
                    conn.send(data)

    return handle


# --- ports that fail before HTTP ------------------------------------------------------------------


def closed_port() -> int:
    """A loopback port that was just bound and closed: connecting to it is refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
    return port


@contextlib.contextmanager
def backlogged_port() -> Iterator[int]:
    """A loopback port whose accept queue is full, so a new connect hangs until it times out.

    ``listen(0)`` with no ``accept()``: Linux queues one connection and then drops further SYNs
    (``tcp_abort_on_overflow=0``), so the client's connect blocks. Filler connections are opened
    until one of them blocks; all are closed on exit.
    """
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind((HOST, 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers: list[socket.socket] = []
    try:
        for _ in range(16):
            filler = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            filler.settimeout(0.2)
            try:
                filler.connect((HOST, port))
            except (socket.timeout, OSError):
                filler.close()
                break
            fillers.append(filler)
        else:
            raise RuntimeError("could not fill the accept queue of a loopback listener")
        yield port
    finally:
        for filler in fillers:
            filler.close()
        listener.close()
