"""A loopback HTTP relay in front of a real Gradio server that drops the client's queue stream.

Standard library only. Every request is relayed to the upstream server on a connection of its
own (``Connection: close``) and logged, so a test can count joins. The first ``queue/data``
stream of a session is read from the upstream (an HTTP/1.0 request, so the body comes
unchunked, as plain SSE) and handed to the client event by event; right after the first
event whose ``msg`` is ``drop_after`` (``progress`` by default) the client's connection is reset
(RST). Then either:

* ``keep_upstream=False``: the relay closes its upstream stream too, so the Gradio server sees
  its stream disconnect, as when a client served directly loses its connection; a reconnect is
  relayed to the server like any other request once the server closed that stream's
  connection;
* ``keep_upstream=True``: the relay keeps reading its upstream stream and buffers the events,
  as a proxy or load balancer that cut only the client's side does; a reconnect for the same
  session gets the buffered events, then the rest as they come.

Why after a progress event: Gradio 6 forgets a session whose stream disconnected only when the
disconnect interrupts the stream while it waits for the job's next message; when a message
arrives at the same moment (a progress update right after ``process_starts``, or a heartbeat)
the stream may see the disconnect first, and then it stops the job but keeps the session, so a
reconnect attaches to it and gets nothing but heartbeats (see docs/reliability.md, "A dropped
queue stream"). A test that drops the stream after the job's last progress event, with
heartbeats at Gradio's default 15 s, leaves the server nothing to race with.

Threads block on sockets or on a condition, and ``close()`` shuts every socket down and joins
every thread.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
from urllib.parse import parse_qs, urlsplit

__all__ = ["StreamRelay"]

_TIMEOUT = 30.0  # the longest any relay socket waits for its peer


class _Session:
    """The events of one session's upstream stream, and who has been given which."""

    def __init__(self, head: bytes, upstream: socket.socket) -> None:
        self.head = head
        self.upstream = upstream
        self.events: list[bytes] = []
        self.given = 0  # events handed to a client
        self.done = False
        self.ended = threading.Event()  # the upstream stream is over (its reader stopped)
        self.changed = threading.Condition()


def _read_head(sock: socket.socket) -> tuple[bytes, bytes]:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed before the end of the head")
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    return head, rest


def _reset(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


class StreamRelay:
    """See the module docstring. Use as a context manager; ``url`` replaces the Space's."""

    def __init__(self, upstream: str, *, keep_upstream: bool, drop_after: str = "progress") -> None:
        parts = urlsplit(upstream)
        self._upstream = (parts.hostname or "127.0.0.1", parts.port or 80)
        self._keep = keep_upstream
        self._drop_after = f'"msg":"{drop_after}"'.encode()
        self._lock = threading.Lock()
        self._sessions: dict[str, _Session] = {}
        self._dropped: dict[str, _Session] = {}  # streams closed on the Space's side too
        self._sockets: set[socket.socket] = set()
        self._threads: list[threading.Thread] = []
        self._closing = False
        self.requests: list[str] = []  # "METHOD /path", in arrival order
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self._spawn(self._accept)

    # --- plumbing --------------------------------------------------------------------------

    def _spawn(self, target: object, *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)  # type: ignore[arg-type]
        with self._lock:
            self._threads.append(thread)
        thread.start()

    def _track(self, sock: socket.socket) -> socket.socket:
        sock.settimeout(_TIMEOUT)
        with self._lock:
            self._sockets.add(sock)
        return sock

    def _connect(self) -> socket.socket:
        return self._track(socket.create_connection(self._upstream, timeout=_TIMEOUT))

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            self._spawn(self._serve, self._track(client))

    def close(self) -> None:
        self._closing = True
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() (close() alone does not)
        self._listener.close()
        with self._lock:
            sockets = list(self._sockets)
            sessions = list(self._sessions.values())
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        for session in sessions:
            with session.changed:
                session.done = True
                session.changed.notify_all()
        for thread in list(self._threads):
            thread.join(_TIMEOUT)
        for sock in sockets:
            sock.close()

    def __enter__(self) -> StreamRelay:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def count(self, path_end: str) -> int:
        """How many requests whose path ends with ``path_end`` the relay received."""
        return sum(1 for line in self.requests if line.split("?")[0].endswith(path_end))

    # --- one client connection -----------------------------------------------------------------

    def _serve(self, client: socket.socket) -> None:
        try:
            head, rest = _read_head(client)
            lines = head.decode("latin-1").split("\r\n")
            method, target = lines[0].split(" ")[:2]
            self.requests.append(f"{method} {target}")
            headers = {
                name.strip().lower(): value.strip()
                for name, _, value in (line.partition(":") for line in lines[1:])
            }
            length = int(headers.get("content-length") or 0)
            while len(rest) < length:
                rest += client.recv(65536)
            url = urlsplit(target)
            session_hash = parse_qs(url.query).get("session_hash", [""])[0]
            if method == "GET" and url.path.endswith("/queue/data"):
                self._stream(client, target, headers, session_hash)
            else:
                self._pass(client, method, target, headers, rest)
        except OSError:
            pass  # a peer went away (or close() shut the socket down)
        finally:
            client.close()

    def _request(self, method: str, target: str, headers: dict[str, str], version: str) -> bytes:
        skipped = ("host", "connection", "accept-encoding", "keep-alive")
        lines = [f"{method} {target} {version}", f"Host: {self._upstream[0]}:{self._upstream[1]}"]
        lines += [f"{name}: {value}" for name, value in headers.items() if name not in skipped]
        lines.append("Connection: close")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    def _pass(
        self, client: socket.socket, method: str, target: str, headers: dict[str, str], body: bytes
    ) -> None:
        """Relay one request and its whole answer, byte for byte."""
        with self._connect() as upstream:
            upstream.sendall(self._request(method, target, headers, "HTTP/1.1") + body)
            while data := upstream.recv(65536):
                client.sendall(data)

    # --- queue streams -------------------------------------------------------------------------

    def _stream(
        self, client: socket.socket, target: str, headers: dict[str, str], session_hash: str
    ) -> None:
        with self._lock:
            session = self._sessions.get(session_hash)
        first = session is None
        if session is None:
            with self._lock:
                dropped = self._dropped.get(session_hash)
            if dropped is not None:
                # A direct client's reconnect reaches a Space that already saw the disconnect
                # (unless the Space is starved of CPU): wait until it closed that connection.
                dropped.ended.wait(_TIMEOUT)
            upstream = self._connect()
            upstream.sendall(self._request("GET", target, headers, "HTTP/1.0"))
            head, rest = _read_head(upstream)
            session = _Session(head, upstream)
            with self._lock:
                self._sessions[session_hash] = session
            self._spawn(self._read_upstream, upstream, session, rest)
        client.sendall(session.head + b"\r\n\r\n")
        while True:
            with session.changed:
                session.changed.wait_for(
                    lambda: session.given < len(session.events) or session.done
                )
                if session.given >= len(session.events):
                    return  # the upstream ended: so does this body (close-delimited)
                event = session.events[session.given]
                session.given += 1
            client.sendall(event)
            if first and self._drop_after in event.replace(b" ", b""):
                self._drop(client, session_hash)
                return

    def _drop(self, client: socket.socket, session_hash: str) -> None:
        """Reset the client's connection; forget the upstream stream too unless it is kept."""
        with self._lock:
            self._sockets.discard(client)
            session = None if self._keep else self._sessions.pop(session_hash, None)
            if session is not None:
                self._dropped[session_hash] = session
        _reset(client)
        if session is not None:
            # The Space sees its stream disconnect, as with a direct client; it then ends that
            # response and closes the connection, which the reader waits for.
            with contextlib.suppress(OSError):
                session.upstream.shutdown(socket.SHUT_WR)

    def _read_upstream(self, upstream: socket.socket, session: _Session, data: bytes) -> None:
        """Split the upstream body into SSE events, until it ends or the session is dropped."""
        try:
            while True:
                while b"\n\n" in data:
                    event, _, data = data.partition(b"\n\n")
                    with session.changed:
                        session.events.append(event + b"\n\n")
                        session.changed.notify_all()
                chunk = upstream.recv(65536)
                if not chunk:
                    break
                data += chunk
        except OSError:
            pass
        finally:
            upstream.close()
            with session.changed:
                session.done = True
                session.changed.notify_all()
            session.ended.set()
