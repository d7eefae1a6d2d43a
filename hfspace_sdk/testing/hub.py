"""A fake Hugging Face hub for the ZeroGPU token flow and quota (standard library only).

It answers the requests g4f-style clients (and ``client.zerogpu_quota()``) make to
huggingface.co:

* ``GET /api/spaces/{owner}/{name}/jwt?expiration=...&include_pro_status=true`` -> ``200
  {"token": ..., "exp": ...}`` when the request carries ``Authorization: Bearer ...`` or a
  ``Cookie`` header, else ``401 {"error": "Invalid credentials in Authorization header"}``;
* ``GET /spaces/{owner}/{name}`` -> an HTML page whose attribute-encoded JSON contains
  ``&quot;token&quot;:&quot;...&quot;`` and ``&quot;sessionUuid&quot;:&quot;...&quot;``;
* ``GET /api/spaces/zero-gpu/quota`` -> ``200`` with :attr:`FakeHub.quota` as JSON when the
  request carries a bearer token, else ``401`` (as the hub answers);
* ``GET /api/spaces/{owner}/{name}/runtime`` -> ``200 {"stage": ...}`` for a Space added with
  :meth:`FakeHub.add_space` (its stage as scripted: sleeping until woken, building for N
  seconds, paused, crashed; see :mod:`hfspace_sdk.testing.space_front`), else ``404``.

Everything else is ``404`` JSON. Every request is recorded, and transient failures can be
scheduled with :meth:`FakeHub.fail_next` / :meth:`FakeHub.fail_always`.
"""

from __future__ import annotations

import contextlib
import html
import json
import re
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Optional
from urllib.parse import parse_qs, urlsplit

from .space_front import ScriptedSpace
from .threads import serving

__all__ = ["FakeHub", "HubFailure", "RecordedRequest", "serve_hub"]

_HOST = "127.0.0.1"
_JWT_PATH = re.compile(r"^/api/spaces/([^/]+)/([^/]+)/jwt/?$")
_PAGE_PATH = re.compile(r"^/spaces/([^/]+)/([^/]+)/?$")
_JWT_LIFETIME = 600
_QUOTA_PATH = "/api/spaces/zero-gpu/quota"
_RUNTIME_PATH = re.compile(r"^/api/spaces/([^/]+)/([^/]+)/runtime/?$")
#: The quota the fake hub reports unless told otherwise (the hub's example answer).
DEFAULT_QUOTA: Mapping[str, object] = {
    "base": 2400,
    "current": 1810,
    "resetsAt": "2026-12-06T00:00:00.000Z",
    "overquotaUsed": 0,
}


@dataclass(frozen=True)
class RecordedRequest:
    """One request the fake hub received."""

    method: str
    path: str
    query: str
    headers: Mapping[str, str]
    body: bytes = b""

    @property
    def params(self) -> dict[str, list[str]]:
        """The query string, parsed."""
        return parse_qs(self.query, keep_blank_values=True)

    def header(self, name: str, default: Optional[str] = None) -> Optional[str]:
        """A header value, looked up case-insensitively."""
        lowered = name.lower()
        for key, value in self.headers.items():
            if key.lower() == lowered:
                return value
        return default


@dataclass(frozen=True)
class HubFailure:
    """A canned failure response."""

    status: int = 503
    body: str = '{"error": "Service Unavailable"}'
    headers: Mapping[str, str] = field(default_factory=dict)


class FakeHub:
    """State of a running fake hub: its URL, recorded requests and scheduled failures."""

    def __init__(
        self,
        *,
        jwt_token: str,
        page_token: str,
        session_uuid: str,
        quota: Optional[Mapping[str, object]] = None,
    ) -> None:
        self.url = ""
        self.jwt_token = jwt_token
        self.page_token = page_token
        self.session_uuid = session_uuid
        #: The JSON answered to an authorized quota request; assign another to change it.
        self.quota: Mapping[str, object] = dict(DEFAULT_QUOTA if quota is None else quota)
        self._lock = threading.Lock()
        self._requests: list[RecordedRequest] = []
        self._pending: list[HubFailure] = []
        self._always: Optional[HubFailure] = None
        self._spaces: dict[str, ScriptedSpace] = {}

    def add_space(
        self,
        space_id: str,
        stage: str = "RUNNING",
        *,
        start_seconds: float = 0.0,
        build_seconds: float = 0.0,
    ) -> ScriptedSpace:
        """Script a Space's stage, as the runtime route reports it (and a front serves it).

        ``SLEEPING`` lasts until the Space's page is visited, then it starts for
        ``start_seconds``; ``BUILDING`` lasts ``build_seconds``; other stages until changed.
        """
        space = ScriptedSpace(
            space_id, stage, start_seconds=start_seconds, build_seconds=build_seconds
        )
        with self._lock:
            self._spaces[space_id.lower()] = space
        return space

    def scripted_space(self, space_id: str) -> Optional[ScriptedSpace]:
        """The scripted Space with this id (any case), if one was added."""
        with self._lock:
            return self._spaces.get(space_id.lower())

    @property
    def requests(self) -> list[RecordedRequest]:
        """A snapshot (copy) of the requests received so far, oldest first."""
        with self._lock:
            return list(self._requests)

    def fail_next(
        self,
        count: int = 1,
        status: int = 503,
        body: str = '{"error": "Service Unavailable"}',
        headers: Optional[Mapping[str, str]] = None,
    ) -> None:
        """Make the next ``count`` requests fail with ``status`` and ``body``."""
        failure = HubFailure(status, body, dict(headers or {}))
        with self._lock:
            self._pending.extend([failure] * count)

    def fail_always(
        self,
        status: int = 503,
        body: str = '{"error": "Service Unavailable"}',
        headers: Optional[Mapping[str, str]] = None,
    ) -> None:
        """Make every request fail until :meth:`reset`."""
        with self._lock:
            self._always = HubFailure(status, body, dict(headers or {}))

    def reset(self) -> None:
        """Forget scheduled failures and recorded requests."""
        with self._lock:
            self._pending.clear()
            self._always = None
            self._requests.clear()

    def _record(self, request: RecordedRequest) -> Optional[HubFailure]:
        with self._lock:
            self._requests.append(request)
            if self._pending:
                return self._pending.pop(0)
            return self._always

    def page_html(self, space_id: str) -> str:
        """The Space page, with the ZeroGPU token and session uuid embedded like on the Hub."""
        props = json.dumps(
            {
                "space": {"id": space_id, "sdk": "gradio", "runtime": {"stage": "RUNNING"}},
                "zeroGPU": {"token": self.page_token, "sessionUuid": self.session_uuid},
            },
            separators=(",", ":"),
        )
        title = html.escape(space_id)
        return (
            '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
            f"<title>{title} - a Hugging Face Space (fake hub)</title></head><body>"
            f'<div class="SVELTE_HYDRATER contents" data-target="SpacePageInner" '
            f'data-props="{html.escape(props, quote=True)}"></div>'
            "</body></html>\n"
        )


class _Handler(BaseHTTPRequestHandler):
    server: _HubServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet."""

    def _send(
        self,
        status: int,
        body: str,
        content_type: str = "application/json",
        headers: Optional[Mapping[str, str]] = None,
    ) -> None:
        payload = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    def _handle(self) -> None:
        hub = self.server.hub
        split = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        recorded = RecordedRequest(
            method=self.command,
            path=split.path,
            query=split.query,
            headers={k: v for k, v in self.headers.items()},
            body=body,
        )
        failure = hub._record(recorded)
        if failure is not None:
            content_type = (
                "application/json"
                if failure.body.lstrip().startswith("{")
                else ("text/plain; charset=utf-8")
            )
            self._send(failure.status, failure.body, content_type, failure.headers)
            return
        if self.command in ("GET", "HEAD"):
            if split.path.rstrip("/") == _QUOTA_PATH:
                self._quota(recorded)
                return
            match = _JWT_PATH.match(split.path)
            if match:
                self._jwt(recorded)
                return
            match = _RUNTIME_PATH.match(split.path)
            if match:
                self._runtime(f"{match.group(1)}/{match.group(2)}")
                return
            match = _PAGE_PATH.match(split.path)
            if match:
                space_id = f"{match.group(1)}/{match.group(2)}"
                self._send(200, hub.page_html(space_id), "text/html; charset=utf-8")
                return
        self._send(404, json.dumps({"error": "Not Found", "path": split.path}))

    def _jwt(self, request: RecordedRequest) -> None:
        hub = self.server.hub
        auth = request.header("Authorization") or ""
        has_bearer = auth.lower().startswith("bearer ") and bool(auth[7:].strip())
        if not (has_bearer or request.header("Cookie")):
            self._send(401, json.dumps({"error": "Invalid credentials in Authorization header"}))
            return
        exp = int(time.time()) + _JWT_LIFETIME
        self._send(200, json.dumps({"token": hub.jwt_token, "exp": exp}))

    def _runtime(self, space_id: str) -> None:
        space = self.server.hub.scripted_space(space_id)
        if space is None:
            self._send(404, json.dumps({"error": "Repository not found"}))
            return
        self._send(200, json.dumps(space.runtime()))

    def _quota(self, request: RecordedRequest) -> None:
        auth = request.header("Authorization") or ""
        if not (auth.lower().startswith("bearer ") and auth[7:].strip()):
            self._send(401, json.dumps({"error": "Invalid credentials in Authorization header"}))
            return
        self._send(200, json.dumps(dict(self.server.hub.quota)))

    def do_GET(self) -> None:
        """GET: hub routes."""
        self._handle()

    def do_HEAD(self) -> None:
        """HEAD: as GET, without a body."""
        self._handle()

    def do_POST(self) -> None:
        """POST: recorded, then 404 (or a scheduled failure)."""
        self._handle()


class _HubServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], hub: FakeHub) -> None:
        super().__init__(address, _Handler)
        self.hub = hub


@contextlib.contextmanager
def serve_hub(
    *,
    jwt_token: str = "fake-zerogpu-jwt",
    page_token: str = "page-token",
    session_uuid: str = "page-session-uuid",
    quota: Optional[Mapping[str, object]] = None,
    port: int = 0,
) -> Iterator[FakeHub]:
    """Run a fake hub on ``127.0.0.1`` (a free port unless ``port`` is given) in a thread.

    ``quota`` is the JSON the quota route answers (default :data:`DEFAULT_QUOTA`). Yields the
    :class:`FakeHub`; the server is shut down and its thread joined on exit.
    """
    hub = FakeHub(
        jwt_token=jwt_token, page_token=page_token, session_uuid=session_uuid, quota=quota
    )
    httpd = _HubServer((_HOST, port), hub)
    hub.url = f"http://{_HOST}:{httpd.server_address[1]}"
    with serving(httpd, "fake-hub"):
        yield hub
