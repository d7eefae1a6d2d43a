"""Small recording HTTP(S) servers for the security tests (standard library only).

* :class:`Recorder` - a threaded server on 127.0.0.1 that records every request (method, path,
  headers, body) and answers through a route function; it can also speak TLS.
* :func:`gradio_space` - routes of a minimal Gradio 6 Space (``/config``, queue, ``/call``,
  ``run/predict``, upload, files) that answer what the SDK's providers expect.
* :func:`fake_hub` - routes of the hub's ZeroGPU token endpoints.
* :class:`ForwardProxy` - a recording http proxy (absolute-URI requests and CONNECT tunnels).

"Another host" is the same machine under another name: ``localhost`` versus ``127.0.0.1``.
``requests`` compares host names, so a redirect from one to the other is a cross-host redirect.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import select
import shutil
import socket
import ssl
import struct
import subprocess
import tempfile
import threading
import time
import zlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Optional
from urllib.parse import parse_qs, urlsplit

from gradio_answers import STUB_DEPENDENCIES

HOST = "127.0.0.1"
EVENT_ID = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"


def tiny_png() -> bytes:
    """A valid 1x1 PNG, built without Pillow."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


PNG = tiny_png()


@dataclass(frozen=True)
class Recorded:
    """One request a :class:`Recorder` received."""

    server: str  # the name the test gave the server ("space", "hub", "other", ...)
    method: str
    target: str  # the request target as sent (a path, an absolute URI, or host:port)
    path: str
    query: str
    headers: Mapping[str, str]  # lower-case names
    body: bytes = b""

    @property
    def params(self) -> dict[str, list[str]]:
        return parse_qs(self.query, keep_blank_values=True)

    def text(self) -> str:
        """Everything the server saw, as one string to search for secrets."""
        head = "\n".join(f"{name}: {value}" for name, value in self.headers.items())
        return f"{self.method} {self.target}\n{head}\n\n{self.body.decode('latin-1')}"


@dataclass
class Reply:
    """What a route answers. ``stream`` sends an unbounded body until the client hangs up."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    stream: Optional[Iterable[bytes]] = None


def json_reply(value: Any, status: int = 200) -> Reply:
    return Reply(status, json.dumps(value).encode(), {"Content-Type": "application/json"})


Route = Callable[["Recorder", Recorded], Reply]


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are separate writes: no 40 ms stalls

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet."""

    def _handle(self) -> None:
        recorder = self.server.recorder
        split = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        request = Recorded(
            server=recorder.name,
            method=self.command,
            target=self.path,
            path=split.path,
            query=split.query,
            headers={key.lower(): value for key, value in self.headers.items()},
            body=body,
        )
        recorder._record(request)
        reply = recorder.route(recorder, request)
        self.send_response(reply.status)
        for key, value in reply.headers.items():
            self.send_header(key, value)
        if reply.stream is not None:
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            try:
                for piece in reply.stream:
                    self.wfile.write(piece)
                    recorder.bytes_streamed += len(piece)
            except OSError:  # the client stopped reading and hung up: what the tests expect
                pass
            return
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(reply.body)

    do_GET = do_POST = do_HEAD = do_PUT = do_DELETE = _handle


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, recorder: Recorder, tls: Optional[ssl.SSLContext]) -> None:
        super().__init__((HOST, 0), _Handler)
        self.recorder = recorder
        self._tls = tls

    def get_request(self) -> tuple[socket.socket, Any]:
        sock, address = super().get_request()
        if self._tls is not None:
            sock.settimeout(5)
            try:
                sock = self._tls.wrap_socket(sock, server_side=True)
            except (ssl.SSLError, OSError):
                self.recorder.tls_failures += 1
                sock.close()
                raise
            sock.settimeout(None)
        return sock, address

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Failed handshakes and hung-up clients are expected here: stay quiet."""


class Recorder:
    """A recording server on 127.0.0.1 (a free port), running in a thread until closed."""

    def __init__(
        self, name: str, route: Optional[Route] = None, *, tls: Optional[ssl.SSLContext] = None
    ) -> None:
        self.name = name
        self.route: Route = route or (
            lambda _recorder, _request: json_reply({"error": "nope"}, 404)
        )
        self.tls_failures = 0
        self.bytes_streamed = 0
        self._lock = threading.Lock()
        self._requests: list[Recorded] = []
        self._server = _Server(self, tls)
        self.port = self._server.server_address[1]
        self.scheme = "https" if tls is not None else "http"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )
        self._thread.start()

    @property
    def url(self) -> str:
        return f"{self.scheme}://{HOST}:{self.port}"

    def url_as(self, hostname: str, scheme: Optional[str] = None) -> str:
        """This server's URL under another host name (``localhost``: another host to requests)."""
        return f"{scheme or self.scheme}://{hostname}:{self.port}"

    @property
    def requests(self) -> list[Recorded]:
        with self._lock:
            return list(self._requests)

    def _record(self, request: Recorded) -> None:
        with self._lock:
            self._requests.append(request)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> Recorder:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


# --- a minimal Gradio 6 Space ------------------------------------------------------------------


def _sse(*messages: Mapping[str, Any]) -> bytes:
    return "".join(f"data: {json.dumps(m, separators=(',', ':'))}\n\n" for m in messages).encode()


def _file_data(url: str) -> dict[str, Any]:
    return {
        "path": "/tmp/gradio/0123/image.png",
        "url": url,
        "orig_name": "image.png",
        "mime_type": "image/png",
        "meta": {"_type": "gradio.FileData"},
    }


@dataclass
class SpaceBehaviour:
    """What :func:`gradio_space` answers; tests change it to make the Space misbehave.

    Attributes:
        api_prefix: the ``api_prefix`` of ``/config``.
        image_url: the URL the Space gives its output image (default: its own ``/file=``).
        redirects: a request whose path ends with a key gets a redirect to the value
            (a format string: ``{path}`` and ``{query}`` are filled in).
        redirect_status: 302, 307, ...
        image_body: what ``/file=`` serves, and its content type.
    """

    api_prefix: str = "/gradio_api"
    image_url: Optional[str] = None
    redirects: dict[str, str] = field(default_factory=dict)
    redirect_status: int = 307
    image_body: bytes = PNG
    image_type: str = "image/png"
    fail_message: Optional[str] = None  # the job fails with this Gradio error
    join_status: Optional[int] = None  # queue/join, /call and run/predict answer this status
    set_cookie: Optional[str] = None  # a Set-Cookie header on /config
    stall: float = 0.0  # seconds queue/data waits before answering
    joins: dict[str, Any] = field(default_factory=dict)


def gradio_space(behaviour: SpaceBehaviour) -> Route:
    """The routes of a Gradio 6 Space that serves FLUX (dev/schnell), Janus and run/predict."""

    def route(recorder: Recorder, request: Recorded) -> Reply:
        prefix = behaviour.api_prefix
        for suffix, location in behaviour.redirects.items():
            if request.path.endswith(suffix):
                target = location.format(path=request.path, query=request.query)
                return Reply(behaviour.redirect_status, headers={"Location": target})
        own = f"{recorder.scheme}://{request.headers.get('host', f'{HOST}:{recorder.port}')}"
        image = _file_data(behaviour.image_url or f"{own}{prefix}/file=/tmp/gradio/0123/image.png")
        path = request.path
        if path == "/config":
            reply = json_reply(
                {
                    "version": "6.31.0",
                    "api_prefix": prefix,
                    "protocol": "sse_v3",
                    "dependencies": STUB_DEPENDENCIES,
                }
            )
            if behaviour.set_cookie:
                reply.headers["Set-Cookie"] = behaviour.set_cookie
            return reply
        if not path.startswith(prefix):
            return json_reply({"detail": "Not Found"}, 404)
        path = path[len(prefix) :]
        if behaviour.join_status and path in ("/queue/join", "/call/infer", "/run/predict"):
            return json_reply(
                {"error": "The Space is broken", "detail": "join refused"}, behaviour.join_status
            )
        if path == "/queue/join":
            body = json.loads(request.body or b"{}")
            behaviour.joins[body.get("session_hash", "")] = body
            return json_reply({"event_id": EVENT_ID})
        if path == "/queue/data":
            time.sleep(behaviour.stall)
            session = request.params.get("session_hash", [""])[0]
            join = behaviour.joins.get(session, {})
            if join.get("fn_index") == 2 and join.get("trigger_id") == 10:
                data: list[Any] = ["A fox, seen by the fake Janus."]
            elif join.get("fn_index") == 3:
                data = [[{"image": image, "caption": None}]]
            else:
                data = [image, 42]
            if behaviour.fail_message is not None:
                completed = {
                    "msg": "process_completed",
                    "event_id": EVENT_ID,
                    "output": {"error": behaviour.fail_message},
                    "success": False,
                }
            else:
                completed = {
                    "msg": "process_completed",
                    "event_id": EVENT_ID,
                    "output": {"data": data},
                    "success": True,
                }
            return Reply(
                body=_sse(
                    {"msg": "process_starts", "event_id": EVENT_ID, "eta": 0.1},
                    {"msg": "log", "event_id": EVENT_ID, "log": "Using 1 GPU", "level": "info"},
                    completed,
                    {"msg": "close_stream", "event_id": None},
                ),
                headers={"Content-Type": "text/event-stream"},
            )
        if path == "/call/infer":
            return json_reply({"event_id": EVENT_ID})
        if path == f"/call/infer/{EVENT_ID}":
            if behaviour.fail_message is not None:
                body = f"event: error\ndata: {json.dumps({'error': behaviour.fail_message})}\n\n".encode()
                return Reply(body=body, headers={"Content-Type": "text/event-stream"})
            body = f"event: complete\ndata: {json.dumps([image, 42])}\n\n".encode()
            return Reply(body=body, headers={"Content-Type": "text/event-stream"})
        if path == "/run/predict":
            if behaviour.fail_message is not None:
                return json_reply({"error": behaviour.fail_message}, 500)
            return json_reply({"data": [image, 42], "is_generating": False, "duration": 0.1})
        if path == "/upload":
            return json_reply(["/tmp/gradio/0123/upload.png"])
        if path.startswith("/file="):
            return Reply(body=behaviour.image_body, headers={"Content-Type": behaviour.image_type})
        if path == "/cancel":
            return json_reply({"success": True})
        return json_reply({"detail": "Not Found"}, 404)

    return route


@dataclass
class HubBehaviour:
    """What :func:`fake_hub` answers.

    The jwt endpoint answers ``f"{zerogpu_token}:{owner}/{name}"``, so a test can tell which
    Space a ZeroGPU token was issued for.
    """

    zerogpu_token: str = "zgjwt-from-the-hub"
    page_token: str = "page-token"
    status: Optional[int] = None  # answer every request with this error status
    page_status: Optional[int] = None  # answer the Space page with this error status
    redirects: dict[str, str] = field(default_factory=dict)  # path suffix -> URL prefix
    redirect_status: int = 302


def fake_hub(behaviour: HubBehaviour) -> Route:
    """The hub's jwt endpoint and Space page (the ZeroGPU token flow)."""

    def route(recorder: Recorder, request: Recorded) -> Reply:
        for suffix, target in behaviour.redirects.items():
            if request.path.endswith(suffix):
                query = f"?{request.query}" if request.query else ""
                location = f"{target}{request.path}{query}"
                return Reply(behaviour.redirect_status, headers={"Location": location})
        if behaviour.status is not None:
            return json_reply(
                {"error": "Invalid credentials in Authorization header"}, behaviour.status
            )
        if request.path.endswith("/jwt"):
            if not (request.headers.get("authorization") or request.headers.get("cookie")):
                return json_reply({"error": "Invalid credentials in Authorization header"}, 401)
            space = request.path[len("/api/spaces/") : -len("/jwt")]
            return json_reply({"token": f"{behaviour.zerogpu_token}:{space}", "exp": 9999999999})
        if request.path.startswith("/spaces/"):
            if behaviour.page_status is not None:
                return json_reply({"error": "page unavailable"}, behaviour.page_status)
            page = (
                '<div data-props="{&quot;zeroGPU&quot;:{&quot;token&quot;:&quot;'
                f"{behaviour.page_token}"
                '&quot;,&quot;sessionUuid&quot;:&quot;page-uuid&quot;}}"></div>'
            )
            return Reply(body=page.encode(), headers={"Content-Type": "text/html"})
        return json_reply({"error": "Not Found"}, 404)

    return route


# --- a recording forward proxy ------------------------------------------------------------------


class ForwardProxy(Recorder):
    """An http proxy that records each request (absolute URI or CONNECT) and forwards it."""

    def __init__(self) -> None:
        super().__init__("proxy", self._forward)
        self._server.RequestHandlerClass = _ProxyHandler

    @staticmethod
    def _forward(recorder: Recorder, request: Recorded) -> Reply:
        split = urlsplit(request.target)
        if split.scheme != "http" or not split.hostname:
            return json_reply({"error": "not a proxy request"}, 400)
        connection = http.client.HTTPConnection(split.hostname, split.port or 80, timeout=30)
        path = split.path + (f"?{split.query}" if split.query else "")
        hop_by_hop = {"proxy-connection", "connection", "keep-alive", "proxy-authorization"}
        headers = {k: v for k, v in request.headers.items() if k not in hop_by_hop}
        connection.request(request.method, path or "/", body=request.body or None, headers=headers)
        answer = connection.getresponse()
        body = answer.read()
        connection.close()
        kept = {
            key: value
            for key, value in answer.getheaders()
            if key.lower() not in ("content-length", "transfer-encoding", "connection")
        }
        return Reply(answer.status, body, kept)


class _ProxyHandler(_Handler):
    def do_CONNECT(self) -> None:
        recorder = self.server.recorder
        recorder._record(
            Recorded(
                server=recorder.name,
                method="CONNECT",
                target=self.path,
                path="",
                query="",
                headers={key.lower(): value for key, value in self.headers.items()},
            )
        )
        host, _, port = self.path.rpartition(":")
        upstream = socket.create_connection((host, int(port)), timeout=30)
        self.send_response(200, "Connection established")
        self.end_headers()
        self.close_connection = True
        client = self.connection
        with contextlib.suppress(OSError), upstream:
            while True:
                ready, _, _ = select.select([client, upstream], [], [], 30)
                if not ready:
                    return
                for source in ready:
                    data = source.recv(65536)
                    if not data:
                        return
                    (upstream if source is client else client).sendall(data)


# --- TLS: a self-signed certificate for 127.0.0.1 -------------------------------------------------


def self_signed_certificate(directory: str) -> tuple[str, str]:
    """``(certificate, key)`` PEM paths of a fresh self-signed certificate for 127.0.0.1.

    Uses the ``cryptography`` package when installed, else the ``openssl`` command; else the
    test that needs it is skipped (raises ``RuntimeError``).
    """
    cert, key = os.path.join(directory, "cert.pem"), os.path.join(directory, "key.pem")
    try:
        _certificate_with_cryptography(cert, key)
        return cert, key
    except ImportError:
        pass
    openssl = shutil.which("openssl")
    if openssl is None:
        raise RuntimeError("neither the cryptography package nor openssl is available")
    subprocess.run(
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "2",
            "-keyout",
            key,
            "-out",
            cert,
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1,DNS:localhost",
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return cert, key


def _certificate_with_cryptography(cert_path: str, key_path: str) -> None:
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    with open(cert_path, "wb") as file:
        file.write(certificate.public_bytes(serialization.Encoding.PEM))
    with open(key_path, "wb") as file:
        file.write(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.TraditionalOpenSSL,
                serialization.NoEncryption(),
            )
        )


def tls_context(cert: str, key: str) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context


@contextlib.contextmanager
def temporary_directory() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="hfspace-security-") as directory:
        yield directory
