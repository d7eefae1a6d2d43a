"""The fault scenarios, declared once: each test runs one and checks it against its declaration.

A :class:`Scenario` says what the user must get (exception class and message), within which
configured bound, which requests may reach the server (so a submission is never sent twice) and
which leak checks run. ``render_table()`` turns the list into the markdown table of
``docs/reliability.md``; ``test_fault_reliability_doc.py`` keeps the committed table equal to it
(``HFSPACE_WRITE_RELIABILITY=1`` rewrites it). The table holds no measured times, only
configured bounds, so it is the same on every run and in every test order.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Optional

from hfspace_sdk.config import Timeout

__all__ = [
    "MARGIN",
    "ROUTES",
    "SCENARIOS",
    "Scenario",
    "normalize",
    "render_table",
    "scenario",
]

#: Slack allowed above a scenario's configured bound (scheduling on a loaded 2-core machine).
MARGIN = 1.0

#: Request labels used in ``sends``: (method, path regex) on the fault server.
ROUTES: Mapping[str, tuple[str, str]] = {
    "config": ("GET", r"/config"),
    "call": ("POST", r"/gradio_api/call/infer"),
    "call-stream": ("GET", r"/gradio_api/call/infer/[^/]+"),
    "join": ("POST", r"/gradio_api/queue/join"),
    "data": ("GET", r"/gradio_api/queue/data"),
    "predict": ("POST", r"/gradio_api/run/predict"),
    "cancel": ("POST", r"/gradio_api/cancel"),
    "upload": ("POST", r"/gradio_api/upload"),
    "file": ("GET", r"/gradio_api/file=.*"),
    "jwt": ("GET", r"/api/spaces/[^/]+/[^/]+/jwt"),
    "runtime": ("GET", r"/api/spaces/[^/]+/[^/]+/runtime"),
    "quota": ("GET", r"/api/spaces/zero-gpu/quota"),
    "root": ("GET", r"/"),
    "page": ("GET", r"/spaces/[^/]+/[^/]+"),
}

# Timeout profiles (seconds). Small on purpose: every bounded case ends in about a second.
T = Timeout(connect=0.3, read=0.5, total=5)  # the default for fault-server scenarios
T_TOTAL = Timeout(connect=0.3, read=0.5, total=1.0)  # streams that never end
T_E2E = Timeout(connect=2, read=10, total=20)  # real Gradio look-alikes
T_E2E_TOTAL = Timeout(connect=2, read=10, total=1.5)

SPACE_SCHNELL = "black-forest-labs/FLUX.1-schnell"
SPACE_DEV = "black-forest-labs/FLUX.1-dev"
SPACE_JANUS = "deepseek-ai/Janus-Pro-7B"
SPACE_G4F = "roxky/g4f-flux"
HIDDEN = (
    "The Space reported an error but hid its message (Gradio only shows the text of errors "
    "raised as gr.Error)"
)
LEAKS = ("threads", "fds", "sockets")
LEAKS_NO_SERVER = ("threads", "fds")
# Backoff of call_with_retries: 0.5 s then 1 s, each jittered down to half; Retry-After wins.
BACKOFF_3_TRIES = 1.5


@dataclass(frozen=True)
class Scenario:
    """One fault and the outcome the user must get."""

    key: str
    group: str
    fault: str
    request: str  # protocol and request kind hit by the fault
    outcome: str  # exception class name, or "result"
    message: str  # the message after normalize(), "" for results
    bound: str  # the configured bound, in words
    limit: float  # seconds the public call may take (plus MARGIN)
    floor: float = 0.0  # seconds it must at least take (the timeout really fired)
    sends: Mapping[str, int] = field(default_factory=dict)  # route label -> exact count
    leaks: tuple[str, ...] = LEAKS
    timeout: Timeout = T
    bug: str = ""  # the SDK bug that makes this scenario an xfail, if any
    e2e: bool = False

    def sends_text(self) -> str:
        if not self.sends:
            return "—"
        return ", ".join(f"{label}×{count}" for label, count in self.sends.items())


_SHORT = 300  # the truthful error of a lost queue stream runs to about 250


def normalize(text: str, limit: int = _SHORT) -> str:
    """A message with ports, ids and temp paths replaced, so that it is the same on every run."""
    text = re.sub(r"(127\.0\.0\.1|localhost):\d+", r"\1:<port>", text)
    text = re.sub(r"/tmp/gradio/[0-9a-f]+/", "/tmp/gradio/<id>/", text)
    text = re.sub(r"\b[0-9a-f]{32}\b", "<id>", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- the scenarios --------------------------------------------------------------------------

_S: list[Scenario] = []


def _add(*scenarios: Scenario) -> None:
    _S.extend(scenarios)


def _bound_read(timeout: Timeout) -> tuple[str, float, float]:
    return f"read {timeout.read:g} s", timeout.read, timeout.read * 0.9


READ = _bound_read(T)
IMMEDIATE = ("immediate", 0.0, 0.0)
TOTAL = (f"total {T_TOTAL.total:g} s", T_TOTAL.total, T_TOTAL.total * 0.9)
RETRIED = (f"3 tries, backoff ≤ {BACKOFF_3_TRIES:g} s", BACKOFF_3_TRIES, 0.0)


def _s(
    key: str,
    group: str,
    fault: str,
    request: str,
    outcome: str,
    message: str,
    bound: tuple[str, float, float],
    sends: Mapping[str, int],
    **extra: object,
) -> Scenario:
    text, limit, floor = bound
    return Scenario(
        key=key,
        group=group,
        fault=fault,
        request=request,
        outcome=outcome,
        message=message,
        bound=text,
        limit=limit,
        floor=floor,
        sends=dict(sends),
        **extra,  # type: ignore[arg-type]
    )


# A first contact with a Space that keeps failing as a sleeping, starting or broken Space would
# (502/503/504, a page for /config, refused, reset, silent) makes the SDK ask the hub for the
# Space's stage once: one runtime request more.
DOWN_STATUSES = (502, 503, 504)


def _asks_hub(sends: Mapping[str, int]) -> dict[str, int]:
    return {**sends, "runtime": 1}


CALL = "/call: `POST {P}/call/infer`"
CALL_STREAM = "/call: `GET {P}/call/infer/{id}`"
JOIN = "queue: `POST {P}/queue/join`"
DATA = "queue: `GET {P}/queue/data`"
PREDICT = "run/predict: `POST {P}/run/predict`"
UPLOAD = "queue (Janus): `POST {P}/upload`"
FILE = "download: `GET {P}/file=…`"
CONFIG = "`GET /config`"
JWT = "hub: `GET /api/spaces/{id}/jwt`"
PAGE = "hub: `GET /spaces/{id}` (Janus first turn)"

# Network faults --------------------------------------------------------------------------

NETWORK = "Network"
_add(
    _s(
        "refused",
        NETWORK,
        "connection refused (port bound, then closed)",
        CONFIG + " (Flux1Schnell)",
        "SpaceConnectionError",
        "Could not connect to 127.0.0.1:<port>: connection refused",
        RETRIED,
        _asks_hub({"config": 3}),
        leaks=LEAKS_NO_SERVER,
    ),
    _s(
        "dns",
        NETWORK,
        "DNS failure (`nonexistent.invalid`, RFC 6761; injected sleep)",
        CONFIG + " (Flux1Schnell)",
        "SpaceConnectionError",
        "Could not connect to nonexistent.invalid: name or service not known",
        ("3 tries, waits recorded", 0.0, 0.0),
        _asks_hub({"config": 3}),
        leaks=LEAKS_NO_SERVER,
    ),
    _s(
        "connect-timeout",
        NETWORK,
        "connect timeout (loopback listener with a full accept queue; injected sleep)",
        CONFIG + " (Flux1Schnell)",
        "SpaceTimeoutError",
        "Connecting to 127.0.0.1:<port> timed out after 0.3 s",
        (f"3 × connect {T.connect:g} s (waits recorded)", 3 * T.connect, 3 * T.connect * 0.9),
        _asks_hub({"config": 3}),
        leaks=LEAKS_NO_SERVER,
    ),
    _s(
        "silent-config",
        NETWORK,
        "server accepts and never answers (injected sleep)",
        CONFIG + " (Flux1Schnell)",
        "SpaceTimeoutError",
        "127.0.0.1:<port> sent nothing for 0.5 s",
        (f"3 × read {T.read:g} s (waits recorded)", 3 * T.read, 3 * T.read * 0.9),
        _asks_hub({"config": 3}),
    ),
    _s(
        "silent-call",
        NETWORK,
        "server accepts the submission and never answers",
        CALL,
        "SpaceTimeoutError",
        "127.0.0.1:<port> sent nothing for 0.5 s",
        READ,
        _asks_hub({"config": 1, "call": 1}),
    ),
    _s(
        "silent-join",
        NETWORK,
        "server accepts the submission and never answers",
        JOIN + " (Flux1Dev)",
        "SpaceTimeoutError",
        "127.0.0.1:<port> sent nothing for 0.5 s",
        READ,
        _asks_hub({"config": 1, "join": 1}),
    ),
    _s(
        "silent-predict",
        NETWORK,
        "server accepts the submission and never answers",
        PREDICT + " (G4F flux-schnell)",
        "SpaceTimeoutError",
        "127.0.0.1:<port> sent nothing for 0.5 s",
        READ,
        {"config": 1, "predict": 1},
    ),
    _s(
        "closed-call",
        NETWORK,
        "server closes the connection without answering the submission",
        CALL,
        "SpaceConnectionError",
        "Could not connect to 127.0.0.1:<port>: remote end closed connection",
        IMMEDIATE,
        _asks_hub({"config": 1, "call": 1}),
    ),
)

# --- dropped queue streams: reconnect (issue 11 item 4) -- begin ----------------------------
# The SDK reconnects a dropped queue/data stream with the same session hash, at most 3 times
# (backoff 0.25, 0.5, 1 s), never joining again (hfspace_sdk/gradio/reconnect.py).

CUT = "The connection to 127.0.0.1:<port> was cut in the middle of an answer"
SAME_WAY = "3 reconnects failed the same way"
RECONNECT_BACKOFF = (0.25, 0.5, 1.0)
RECONNECTS = (
    f"3 reconnects, backoff {sum(RECONNECT_BACKOFF):g} s",
    sum(RECONNECT_BACKOFF),
    sum(RECONNECT_BACKOFF) * 0.9,
)
RECONNECTS_READ = (
    f"4 × read {T.read:g} s + backoff {sum(RECONNECT_BACKOFF):g} s",
    4 * T.read + sum(RECONNECT_BACKOFF),
    4 * T.read * 0.9 + sum(RECONNECT_BACKOFF),
)


def lost_stream(cause: str, how: str) -> str:
    """The truthful error of a queue stream that dropped and was not recovered."""
    return (
        f"{SPACE_DEV} accepted the job (event <id>), then its event stream was lost ({cause}); "
        f"{how}; nothing was resubmitted"
    )


RECONNECT = "Dropped queue streams: reconnect with the same session, never a second join"
T_RECONNECT_DEADLINE = Timeout(connect=0.3, read=0.5, total=1.0)
_add(
    _s(
        "reconnect-reset-recovers",
        RECONNECT,
        "stream reset (TCP RST) after `estimation`, `process_starts`; the reconnect delivers "
        "`process_completed` (a relay that kept its own stream to the Space)",
        DATA + " (Flux1Dev)",
        "result",
        "",
        ("backoff 0.25 s", RECONNECT_BACKOFF[0], RECONNECT_BACKOFF[0] * 0.9),
        {"config": 1, "join": 1, "data": 2},
    ),
    _s(
        "reconnect-silent-recovers",
        RECONNECT,
        "stream sends its headers, then no byte within the read timeout; the reconnect delivers "
        "the job's messages",
        DATA + " (Flux1Dev)",
        "result",
        "",
        (
            f"read {T.read:g} s + backoff 0.25 s",
            T.read + RECONNECT_BACKOFF[0],
            T.read * 0.9 + RECONNECT_BACKOFF[0],
        ),
        {"config": 1, "join": 1, "data": 2},
    ),
    _s(
        "reconnect-session-gone",
        RECONNECT,
        "stream cut after `process_starts`; the reconnect gets `unexpected_error` "
        "`session_not_found` (what Gradio 5.50.0 and 6.31.0 answer; 4.44.1 says "
        "`404: Session not found.`)",
        DATA + " (Flux1Dev)",
        "ProtocolError",
        lost_stream(CUT, "reconnecting found the session gone (404: Not Found)"),
        ("backoff 0.25 s", RECONNECT_BACKOFF[0], RECONNECT_BACKOFF[0] * 0.9),
        {"config": 1, "join": 1, "data": 2, "cancel": 1},
    ),
    _s(
        "reconnect-cancel",
        RECONNECT,
        "cancel while the reconnected stream waits",
        DATA + " (Flux1Dev)",
        "JobCancelledError",
        "The job was cancelled",
        IMMEDIATE,
        {"config": 1, "join": 1, "data": 2, "cancel": 1},
    ),
    _s(
        "reconnect-deadline",
        RECONNECT,
        "every stream cut at once, job total 1 s: after 2 reconnects (0.75 s of backoff) the "
        "third cannot finish before the deadline",
        DATA + " (Flux1Dev)",
        "ProtocolError",
        lost_stream(
            CUT,
            "2 reconnects failed and no time was left before the job's 1 s deadline to "
            "reconnect again",
        ),
        ("backoff 0.75 s, total 1 s", T_RECONNECT_DEADLINE.total, 0.75 * 0.9),
        {"config": 1, "join": 1, "data": 3, "cancel": 1},
        timeout=T_RECONNECT_DEADLINE,
    ),
)

# --- dropped queue streams: reconnect -- end -------------------------------------------------

# Event streams ---------------------------------------------------------------------------

STREAMS = "Event streams"
_add(
    _s(
        "stall-call-before",
        STREAMS,
        "stream stops before the first event (headers, then silence)",
        CALL_STREAM,
        "SpaceTimeoutError",
        "127.0.0.1:<port> sent nothing for 0.5 s",
        READ,
        {"config": 1, "call": 1, "call-stream": 1, "cancel": 1},
    ),
    _s(
        "stall-queue-after",
        STREAMS,
        "stream stops after the first events (estimation, process_starts, then silence), "
        "and so does every reconnect",
        DATA + " (Flux1Dev)",
        "SpaceTimeoutError",
        lost_stream(f"127.0.0.1:<port> sent nothing for {T.read:g} s", SAME_WAY),
        RECONNECTS_READ,
        {"config": 1, "join": 1, "data": 4, "cancel": 1},
    ),
    _s(
        "end-call-before",
        STREAMS,
        "stream ends properly before the first event",
        CALL_STREAM,
        "ProtocolError",
        f"{SPACE_SCHNELL} ended the event stream without a result",
        IMMEDIATE,
        {"config": 1, "call": 1, "call-stream": 1, "cancel": 1},
    ),
    _s(
        "end-queue-after",
        STREAMS,
        "stream ends properly after the first events, without a result (no `close_stream`), "
        "and so does every reconnect",
        DATA + " (Flux1Dev)",
        "ProtocolError",
        lost_stream(f"{SPACE_DEV} ended the event stream without a result", SAME_WAY),
        RECONNECTS,
        {"config": 1, "join": 1, "data": 4, "cancel": 1},
    ),
    _s(
        "cut-call",
        STREAMS,
        "stream cut without the chunked terminator, after a `generating` event",
        CALL_STREAM,
        "ProtocolError",
        "The connection to 127.0.0.1:<port> was cut in the middle of an answer",
        IMMEDIATE,
        {"config": 1, "call": 1, "call-stream": 1, "cancel": 1},
    ),
    _s(
        "cut-queue",
        STREAMS,
        "stream cut without the chunked terminator, mid-event, and so is every reconnect",
        DATA + " (Flux1Dev)",
        "ProtocolError",
        lost_stream(CUT, SAME_WAY),
        RECONNECTS,
        {"config": 1, "join": 1, "data": 4, "cancel": 1},
    ),
    _s(
        "heartbeats-call",
        STREAMS,
        "heartbeats every 0.1 s forever, no result",
        CALL_STREAM,
        "SpaceTimeoutError",
        "The job did not finish within its 1 s timeout",
        TOTAL,
        {"config": 1, "call": 1, "call-stream": 1, "cancel": 1},
        timeout=T_TOTAL,
    ),
    _s(
        "heartbeats-queue",
        STREAMS,
        "heartbeats every 0.1 s forever, no result",
        DATA + " (Janus chat)",
        "SpaceTimeoutError",
        "The job did not finish within its 1 s timeout",
        TOTAL,
        {"page": 1, "config": 1, "join": 1, "data": 1, "cancel": 1},
        timeout=T_TOTAL,
    ),
    _s(
        "malformed-lines",
        STREAMS,
        "malformed SSE lines (no colon, unknown fields, comments, `retry:`) before the result",
        CALL_STREAM,
        "result",
        "",
        IMMEDIATE,
        {"config": 1, "call": 1, "call-stream": 1},
    ),
    _s(
        "not-utf8",
        STREAMS,
        "event stream that is not UTF-8",
        CALL_STREAM,
        "ProtocolError",
        "The event stream is not valid UTF-8",
        IMMEDIATE,
        {"config": 1, "call": 1, "call-stream": 1, "cancel": 1},
    ),
    _s(
        "not-json-call",
        STREAMS,
        "`event: complete` with non-JSON data",
        CALL_STREAM,
        "ProtocolError",
        "Malformed /call complete event: '[{\"path\": oops'",
        IMMEDIATE,
        {"config": 1, "call": 1, "call-stream": 1, "cancel": 1},
    ),
    _s(
        "not-json-queue",
        STREAMS,
        "queue message with non-JSON data",
        DATA + " (Flux1Dev)",
        "ProtocolError",
        "Malformed queue message: 'process_completed'",
        IMMEDIATE,
        {"config": 1, "join": 1, "data": 1, "cancel": 1},
    ),
    _s(
        "no-msg-queue",
        STREAMS,
        "queue message that is JSON but has no `msg`",
        DATA + " (Flux1Dev)",
        "ProtocolError",
        "Malformed queue message: {'event_id': None}",
        IMMEDIATE,
        {"config": 1, "join": 1, "data": 1, "cancel": 1},
    ),
    _s(
        "unknown-event",
        STREAMS,
        'unknown event id: 200, `event: error` / `data: "404: Not Found"`, cut without terminator',
        CALL_STREAM,
        "ProtocolError",
        f"{SPACE_SCHNELL} could not stream the job: 404: Not Found",
        IMMEDIATE,
        {"config": 1, "call": 1, "call-stream": 1},
    ),
    _s(
        "unknown-session",
        STREAMS,
        "unknown session: 200, `unexpected_error` `session_not_found`, cut without terminator",
        DATA + " (Flux1Dev)",
        "ProtocolError",
        f"{SPACE_DEV} could not stream the job: 404: Not Found",
        IMMEDIATE,
        {"config": 1, "join": 1, "data": 1},
    ),
)

# Space errors on the stream --------------------------------------------------------------

SPACE_ERRORS = "Errors the Space reports"
_add(
    _s(
        "hidden-queue",
        SPACE_ERRORS,
        "`process_completed` with `success: false`, `error: null`",
        DATA + " (Flux1Dev)",
        "SpaceError",
        HIDDEN,
        IMMEDIATE,
        {"config": 1, "join": 1, "data": 1},
    ),
    _s(
        "hidden-call",
        SPACE_ERRORS,
        '`event: error` with `{"error": null}` (Gradio 6 hidden exception)',
        CALL_STREAM,
        "SpaceError",
        HIDDEN,
        IMMEDIATE,
        {"config": 1, "call": 1, "call-stream": 1},
    ),
    _s(
        "quota-requested-first",
        SPACE_ERRORS,
        "ZeroGPU quota, wording `(60s requested vs. 56s left)` + sign-up link",
        DATA + " (Flux1Dev)",
        "QuotaExceededError",
        "You have exceeded your GPU quota (60s requested vs. 56s left).",
        IMMEDIATE,
        {"config": 1, "join": 1, "data": 1},
    ),
    _s(
        "quota-left-first",
        SPACE_ERRORS,
        "ZeroGPU quota, wording `(46s left vs. 60s requested) … retry in 0:09:48`",
        DATA + " (Flux1Dev)",
        "QuotaExceededError",
        "You have exceeded your GPU quota (46s left vs. 60s requested). Please retry in 0:09:48.",
        IMMEDIATE,
        {"config": 1, "join": 1, "data": 1},
    ),
    _s(
        "quota-predict",
        SPACE_ERRORS,
        'ZeroGPU quota as `500 {"error": …}` on the direct route',
        PREDICT + " (G4F flux-schnell)",
        "QuotaExceededError",
        "You have exceeded your free ZeroGPU quota (60s requested vs. 12s left). Try again in 0:05:43.",
        IMMEDIATE,
        {"config": 1, "predict": 1},
    ),
)

# HTTP error statuses on requests that are never retried ----------------------------------

STATUS = "HTTP errors on requests never retried"
_STATUS_NAMES = {
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
    429: "Too Many Requests",
}
#: request kind -> (request text, space named in the message, sends)
_NEVER_RETRIED: Mapping[str, tuple[str, Optional[str], Mapping[str, int]]] = {
    "call": (CALL + " (Flux1Schnell)", SPACE_SCHNELL, {"config": 1, "call": 1}),
    "call-stream": (
        CALL_STREAM,
        SPACE_SCHNELL,
        {"config": 1, "call": 1, "call-stream": 1, "cancel": 1},
    ),
    "join": (JOIN + " (Flux1Dev)", SPACE_DEV, {"config": 1, "join": 1}),
    "data": (DATA + " (Flux1Dev)", SPACE_DEV, {"config": 1, "join": 1, "data": 1, "cancel": 1}),
    "predict": (PREDICT + " (G4F flux-schnell)", SPACE_G4F, {"config": 1, "predict": 1}),
    "upload": (UPLOAD, SPACE_JANUS, {"config": 1, "upload": 1}),
    "file": (
        FILE + ' (`response_format="b64_json"`)',
        None,
        {"config": 1, "call": 1, "call-stream": 1, "file": 1},
    ),
}
STATUS_KINDS = tuple(_NEVER_RETRIED)
#: Submissions: one failing as a stopped Space's would makes the SDK ask the hub (a Space can fall
#: asleep after its /config was read); it is sent again only if the hub says no app was running.
SUBMITS = ("call", "join")
STATUSES = (502, 503, 504, 429)

for _kind, (_request, _space, _sends) in _NEVER_RETRIED.items():
    for _status in STATUSES:
        _where = f" from {_space}" if _space else ""
        _add(
            _s(
                f"status-{_kind}-{_status}",
                STATUS,
                f"{_status}, with and without `Retry-After: 1`",
                _request,
                "RateLimitError" if _status == 429 else "ResponseStatusError",
                f"Response {_status}{_where}: {_STATUS_NAMES[_status]}",
                IMMEDIATE,
                _asks_hub(_sends) if _kind in SUBMITS and _status in DOWN_STATUSES else _sends,
            )
        )
_add(
    _s(
        "500-text",
        STATUS,
        "500 `text/plain` `Internal Server Error`",
        CALL + " (Flux1Schnell)",
        "ResponseStatusError",
        f"Response 500 from {SPACE_SCHNELL}: Internal Server Error",
        IMMEDIATE,
        {"config": 1, "call": 1},
    ),
    _s(
        "500-html",
        STATUS,
        "500 with an HTML page",
        JOIN + " (Flux1Dev)",
        "ResponseStatusError",
        f"Response 500 from {SPACE_DEV}: HTML content",
        IMMEDIATE,
        {"config": 1, "join": 1},
    ),
    _s(
        "500-json-predict",
        STATUS,
        '500 `{"error": "…", "title": "Error"}` (a gr.Error on the direct route)',
        PREDICT + " (G4F flux-schnell)",
        "SpaceError",
        "Prompt must not be empty",
        IMMEDIATE,
        {"config": 1, "predict": 1},
    ),
    _s(
        "queue-full-join",
        STATUS,
        'queue full: 503 `{"detail": "Queue is full. Max size is 1 and size is 1."}`',
        JOIN + " (Flux1Dev)",
        "QueueFullError",
        f"Response 503 from {SPACE_DEV}: Queue is full. Max size is 1 and size is 1.",
        IMMEDIATE,
        {"config": 1, "join": 1},
    ),
    _s(
        "queue-full-call",
        STATUS,
        'queue full: 503 `{"detail": "Queue is full. …"}`',
        CALL + " (Flux1Schnell)",
        "QueueFullError",
        f"Response 503 from {SPACE_SCHNELL}: Queue is full. Max size is 1 and size is 1.",
        IMMEDIATE,
        {"config": 1, "call": 1},
    ),
)

# Retried requests: /config and the hub ----------------------------------------------------

RETRIED_GROUP = "Requests that are retried (/config, hub)"
#: kind -> (request text, outcome text, message template, sends on permanent failure)
_RETRIED_KINDS: Mapping[str, tuple[str, str, str, Mapping[str, int]]] = {
    "config": (
        CONFIG + " (Flux1Schnell)",
        "{error}",
        "Response {status} from " + SPACE_SCHNELL + ": {reason}",
        {"config": 3},
    ),
    "jwt": (
        JWT + " (Flux1Dev with `hf_token`)",
        "{error}",
        "Response {status}: {reason}",
        {"config": 1, "jwt": 3},
    ),
    "page": (
        PAGE,
        "result",
        "",
        {"page": 3, "config": 1, "join": 1, "data": 1},
    ),
}
RETRIED_KINDS = tuple(_RETRIED_KINDS)
for _kind, (_request, _outcome, _message, _sends) in _RETRIED_KINDS.items():
    for _status in STATUSES:
        _error = "RateLimitError" if _status == 429 else "ResponseStatusError"
        _add(
            _s(
                f"retried-{_kind}-{_status}",
                RETRIED_GROUP,
                f"{_status} on every try; without `Retry-After` (backoff 0.25–0.5 s, 0.5–1 s) "
                "and with `Retry-After: 1` (1 s, 1 s); injected sleep"
                + ("; the job goes on with anonymous ZeroGPU headers" if _kind == "page" else ""),
                _request,
                _outcome.format(error=_error),
                _message.format(status=_status, reason=_STATUS_NAMES[_status]),
                ("3 tries, waits recorded", 0.0, 0.0),
                _asks_hub(_sends) if _kind == "config" and _status in DOWN_STATUSES else _sends,
            )
        )
_add(
    _s(
        "retried-config-404",
        RETRIED_GROUP,
        "404 (not transient): no retry",
        CONFIG + " (Flux1Schnell)",
        "ResponseStatusError",
        f"Response 404 from {SPACE_SCHNELL}: Not Found",
        IMMEDIATE,
        {"config": 1},
    ),
    _s(
        "retried-jwt-401",
        RETRIED_GROUP,
        "401 (not transient): no retry",
        JWT + " (Flux1Dev with `hf_token`)",
        "MissingAuthError",
        "Response 401: Invalid credentials in Authorization header",
        IMMEDIATE,
        {"config": 1, "jwt": 1},
    ),
    _s(
        "retried-jwt-refused",
        RETRIED_GROUP,
        "hub connection refused on every try (injected sleep)",
        JWT + " (Flux1Dev with `hf_token`)",
        "SpaceConnectionError",
        "Could not connect to 127.0.0.1:<port>: connection refused",
        ("3 tries, waits recorded", 0.0, 0.0),
        {"config": 1},
    ),
    _s(
        "retry-after-capped",
        RETRIED_GROUP,
        "`Retry-After: 120` on every try (injected sleep)",
        CONFIG + " (Flux1Schnell)",
        "ResponseStatusError",
        f"Response 503 from {SPACE_SCHNELL}: Service Unavailable",
        ("waits capped at 8 s each", 0.0, 0.0),
        _asks_hub({"config": 3}),
    ),
    _s(
        "config-503-once",
        RETRIED_GROUP,
        "503 once, then the real /config (real backoff)",
        CONFIG + " (Flux1Schnell)",
        "result",
        "",
        ("backoff ≤ 0.5 s", 0.5, 0.0),
        {"config": 2, "call": 1, "call-stream": 1},
    ),
    _s(
        "jwt-429-once",
        RETRIED_GROUP,
        "ZeroGPU token: 429 `Retry-After: 1` once, then a token (real wait)",
        JWT + " (Flux1Dev with `hf_token`)",
        "result",
        "",
        ("Retry-After 1 s", 1.0, 1.0),
        {"jwt": 2, "config": 1, "join": 1, "data": 1},
    ),
    _s(
        "jwt-503-always",
        RETRIED_GROUP,
        "ZeroGPU token: 503 on every try (real backoff)",
        JWT + " (Flux1Dev with `hf_token`)",
        "ResponseStatusError",
        "Response 503: Service Unavailable",
        RETRIED,
        {"config": 1, "jwt": 3},
    ),
    _s(
        "jwt-not-json",
        RETRIED_GROUP,
        "ZeroGPU token answer that is not JSON (200 HTML)",
        JWT + " (Flux1Dev with `hf_token`)",
        "ProtocolError",
        "The hub's ZeroGPU token answer is not JSON",
        IMMEDIATE,
        {"config": 1, "jwt": 1},
    ),
    _s(
        "jwt-no-token",
        RETRIED_GROUP,
        "ZeroGPU token answer without a token (200 `{}`)",
        JWT + " (Flux1Dev with `hf_token`)",
        "ProtocolError",
        "The hub's ZeroGPU token answer holds no token",
        IMMEDIATE,
        {"config": 1, "jwt": 1},
    ),
)

# /config and redirects ---------------------------------------------------------------------

CONFIG_GROUP = "/config and redirects"
_add(
    _s(
        "config-html",
        CONFIG_GROUP,
        "/config answers 200 HTML (a sleeping or building Space)",
        CONFIG + " (Flux1Schnell)",
        "ProtocolError",
        f"{SPACE_SCHNELL} answered /config with text/html; charset=utf-8 instead of JSON: the "
        "Space may be sleeping, building or not a Gradio app",
        IMMEDIATE,
        _asks_hub({"config": 1}),
    ),
    _s(
        "config-503-html",
        CONFIG_GROUP,
        "/config answers 503 HTML on every try (Space starting; injected sleep)",
        CONFIG + " (Flux1Schnell)",
        "ResponseStatusError",
        f"Response 503 from {SPACE_SCHNELL}: HTML content",
        ("3 tries, waits recorded", 0.0, 0.0),
        _asks_hub({"config": 3}),
    ),
    _s(
        "redirect-config",
        CONFIG_GROUP,
        "/config redirects (302) to another path",
        CONFIG + " (Flux1Schnell)",
        "result",
        "",
        IMMEDIATE,
        {"config": 1, "other": 1, "call": 1, "call-stream": 1},
    ),
    _s(
        "redirect-loop",
        CONFIG_GROUP,
        "/config redirects to itself forever",
        CONFIG + " (Flux1Schnell)",
        "ProtocolError",
        "127.0.0.1:<port> redirected too many times",
        IMMEDIATE,
        _asks_hub({"config": 31}),
    ),
    _s(
        "redirect-cross-host",
        CONFIG_GROUP,
        "ZeroGPU token request redirected (307) to another host: the HF token and cookies "
        "are not sent there",
        JWT + " (Flux1Dev with `hf_token`, `cookies`)",
        "result",
        "",
        IMMEDIATE,
        {"jwt": 2, "config": 1, "join": 1, "data": 1},
    ),
)

# Space stages: sleeping, starting and broken Spaces; the ZeroGPU quota ---------------------

STAGES = "Sleeping, starting and broken Spaces (the hub's runtime stage)"
RUNTIME = "hub: `GET /api/spaces/{id}/runtime`"
QUOTA = "hub: `GET /api/spaces/zero-gpu/quota` (`client.zerogpu_quota()`)"
STAGED = CONFIG + " (Flux1Schnell) failing 3 tries, then " + RUNTIME
WAITS_RECORDED = ("waits recorded", 0.0, 0.0)
#: The stages a job waits through, and whether it visits the Space's page to wake it.
WAITED_STAGES = {"SLEEPING": True, "STOPPED": True, "BUILDING": False, "APP_STARTING": False}
_SPACE_PAGE = f"http://127.0.0.1:<port>/spaces/{SPACE_SCHNELL}"
_OWNER_MUST_FIX = (
    f"Its owner must fix it (see its logs at {_SPACE_PAGE}); meanwhile use another Space or a "
    "working duplicate through space_urls."
)
#: The stages that end a job at once: what the error says happened, and what to do.
DEAD_STAGES = {
    "PAUSED": (
        "is paused by its owner and will not run until they restart it",
        f"Duplicate it ({_SPACE_PAGE}, 'Duplicate this Space') and pass "
        f"space_urls={{'{SPACE_SCHNELL}': '<the URL of your copy>'}}.",
    ),
    "BUILD_ERROR": ("failed to build", _OWNER_MUST_FIX),
    "RUNTIME_ERROR": ("stopped with a runtime error", _OWNER_MUST_FIX),
    "CONFIG_ERROR": ("has a configuration error", _OWNER_MUST_FIX),
    "NO_APP_FILE": ("has no app file", _OWNER_MUST_FIX),
    "DELETING": ("is being deleted", "Use another Space, or a duplicate of it through space_urls."),
}


def _not_running(stage: str) -> str:
    what, advice = DEAD_STAGES[stage]
    return normalize(f"{SPACE_SCHNELL} {what} (stage {stage}). {advice}")


#: Hub answers that cannot tell the stage: the Space's own error stands.
HUB_SILENT = {
    "401": "401 (a private Space, no token)",
    "500": "500",
    "garbled": "200 with an HTML page",
    "running": '200 `{"stage": "RUNNING"}` (the Space itself still fails)',
}
WAKE_TIMEOUT = Timeout(connect=0.3, read=0.5, total=5, wake=1)
CONFIG_503_PAGE = f"Response 503 from {SPACE_SCHNELL}: HTML content"

for _stage, _visits in WAITED_STAGES.items():
    _add(
        _s(
            f"stage-{_stage.lower()}",
            STAGES,
            f"/config 503 HTML; the hub says {_stage}, then APP_STARTING, then RUNNING"
            + ("; one visit to the Space's page wakes it" if _visits else ""),
            STAGED,
            "result",
            "",
            WAITS_RECORDED,
            {"config": 4, "runtime": 3, "root": int(_visits), "call": 1, "call-stream": 1},
        )
    )
for _stage in DEAD_STAGES:
    _add(
        _s(
            f"stage-{_stage.lower()}",
            STAGES,
            f"/config 503 HTML; the hub says {_stage}",
            STAGED,
            "SpaceNotRunningError",
            _not_running(_stage),
            WAITS_RECORDED,
            _asks_hub({"config": 3}),
        )
    )
for _answer, _text in HUB_SILENT.items():
    _add(
        _s(
            f"stage-hub-{_answer}",
            STAGES,
            f"/config 503 HTML; the hub answers {_text}",
            STAGED,
            "ResponseStatusError",
            CONFIG_503_PAGE,
            WAITS_RECORDED,
            _asks_hub({"config": 3}),
        )
    )
_add(
    _s(
        "stage-in-error",
        STAGES,
        "/config 503 `Your space is in error, check its status on hf.co`; the hub says RUNNING",
        CONFIG + " (Flux1Schnell)",
        "SpaceNotRunningError",
        _not_running("RUNTIME_ERROR"),
        WAITS_RECORDED,
        {"config": 3},
    ),
    _s(
        "stage-wake-timeout",
        STAGES,
        "/config 503 HTML; the hub says SLEEPING whatever happens (real waits)",
        STAGED,
        "SpaceTimeoutError",
        f"{SPACE_SCHNELL} was still SLEEPING after 1 s of waiting (timeout.wake is 1 s, within "
        "the job's total); nothing was submitted",
        ("3 tries, then `timeout.wake` 1 s", BACKOFF_3_TRIES + 1.0, 1.0),
        {"config": 3, "runtime": 2, "root": 1},
        timeout=WAKE_TIMEOUT,
    ),
    _s(
        "stage-asleep-since-config",
        STAGES,
        "/config read; `queue/join` 503 HTML (fell asleep since); the hub says SLEEPING, then "
        "RUNNING: no app ran, so the job is sent again after the wake",
        JOIN + " (Flux1Dev), then " + RUNTIME,
        "result",
        "",
        WAITS_RECORDED,
        {"config": 1, "join": 2, "runtime": 2, "root": 1, "data": 1},
    ),
    _s(
        "stage-paused-since-config",
        STAGES,
        "/config read; `queue/join` 503 HTML; the hub says PAUSED",
        JOIN + " (Flux1Dev), then " + RUNTIME,
        "SpaceNotRunningError",
        normalize(
            f"{SPACE_DEV} {DEAD_STAGES['PAUSED'][0]} (stage PAUSED). "
            + DEAD_STAGES["PAUSED"][1].replace(SPACE_SCHNELL, SPACE_DEV)
        ),
        WAITS_RECORDED,
        {"config": 1, "join": 1, "runtime": 1},
    ),
    _s(
        "stage-running-since-config",
        STAGES,
        "/config read; `queue/join` 503 HTML; the hub says RUNNING_APP_STARTING (an app may "
        "have taken the job): not sent again",
        JOIN + " (Flux1Dev), then " + RUNTIME,
        "ResponseStatusError",
        f"Response 503 from {SPACE_DEV}: HTML content",
        WAITS_RECORDED,
        {"config": 1, "join": 1, "runtime": 1},
    ),
    _s(
        "stage-cancel-while-waking",
        STAGES,
        "`job.cancel()` while the job waits for a sleeping Space to wake",
        STAGED,
        "JobCancelledError",
        "The job was cancelled",
        IMMEDIATE,
        {"config": 3, "runtime": 1, "root": 1},
    ),
    _s(
        "quota-ok",
        STAGES,
        "the quota, as the hub answers it",
        QUOTA,
        "result",
        "",
        IMMEDIATE,
        {"quota": 1},
    ),
    _s(
        "quota-401",
        STAGES,
        "401: the token may not read billing usage",
        QUOTA,
        "MissingAuthError",
        "Response 401: Invalid credentials in Authorization header",
        IMMEDIATE,
        {"quota": 1},
    ),
    _s(
        "quota-malformed",
        STAGES,
        '200 `{"base": 2400, "current": "?", ...}`',
        QUOTA,
        "ProtocolError",
        "The hub's ZeroGPU quota answer has 'current' = '?', not a number of seconds",
        IMMEDIATE,
        {"quota": 1},
    ),
    _s(
        "quota-503",
        STAGES,
        "503 on every try (injected sleep)",
        QUOTA,
        "ResponseStatusError",
        "Response 503: Service Unavailable",
        ("3 tries, waits recorded", 0.0, 0.0),
        {"quota": 3},
    ),
)

# Downloads ------------------------------------------------------------------------------

DOWNLOADS = "Image downloads"
_IMAGE_URL = "http://127.0.0.1:<port>/gradio_api/file=/tmp/gradio/<id>/image.png"
_add(
    _s(
        "huge-declared",
        DOWNLOADS,
        "image with `Content-Length` 64 MiB + 1",
        FILE + " (`client.download`)",
        "ProtocolError",
        f"The image at {_IMAGE_URL} is 67108865 bytes; the limit is 67108864",
        IMMEDIATE,
        {"file": 1},
    ),
    _s(
        "huge-streamed",
        DOWNLOADS,
        "chunked image body that goes past 64 MiB",
        FILE + " (`client.download`)",
        "ProtocolError",
        f"The image at {_IMAGE_URL} is larger than 67108864 bytes",
        ("immediate (64 MiB over loopback)", 1.0, 0.0),
        {"file": 1},
    ),
    _s(
        "not-image",
        DOWNLOADS,
        "200 HTML instead of an image",
        FILE + ' (`response_format="b64_json"`)',
        "ProtocolError",
        f"{_IMAGE_URL} did not answer with an image (content-type text/html; charset=utf-8)",
        IMMEDIATE,
        {"config": 1, "call": 1, "call-stream": 1, "file": 1},
    ),
    _s(
        "lying-image",
        DOWNLOADS,
        "`content-type: image/png` with HTML bytes",
        FILE + " (`client.download`)",
        "ProtocolError",
        f"{_IMAGE_URL} did not answer with an image (content-type image/png)",
        IMMEDIATE,
        {"file": 1},
    ),
    _s(
        "file-403",
        DOWNLOADS,
        '403 `{"detail": "File not allowed: …"}`',
        FILE + " (`client.download`)",
        "MissingAuthError",
        "Response 403: File not allowed: /tmp/gradio/<id>/image.png.",
        IMMEDIATE,
        {"file": 1},
    ),
    _s(
        "redirect-file",
        DOWNLOADS,
        "image URL redirects (302) to another host",
        FILE + " (`client.download`)",
        "result",
        "",
        IMMEDIATE,
        {"file": 1, "other": 1},
    ),
)

# Cancel -----------------------------------------------------------------------------------

CANCEL = "Cancel (`job.cancel()` while the Space works)"
_add(
    _s(
        "cancel-call",
        CANCEL,
        "cancel while the /call stream waits",
        CALL_STREAM,
        "JobCancelledError",
        "The job was cancelled",
        IMMEDIATE,
        {"config": 1, "call": 1, "call-stream": 1, "cancel": 1},
    ),
    _s(
        "cancel-queue",
        CANCEL,
        "cancel while the queue stream waits",
        DATA + " (Flux1Dev)",
        "JobCancelledError",
        "The job was cancelled",
        IMMEDIATE,
        {"config": 1, "join": 1, "data": 1, "cancel": 1},
    ),
    _s(
        "cancel-predict",
        CANCEL,
        "cancel while run/predict waits (the request is interrupted; nothing to cancel)",
        PREDICT + " (G4F flux-schnell)",
        "JobCancelledError",
        "The job was cancelled",
        IMMEDIATE,
        {"config": 1, "predict": 1},
    ),
)

_add(
    _s(
        "cancel-refused",
        CANCEL,
        "the stream goes silent, then `POST {P}/cancel` answers 503: the cancel is best effort",
        CALL_STREAM,
        "SpaceTimeoutError",
        "127.0.0.1:<port> sent nothing for 0.5 s",
        READ,
        {"config": 1, "call": 1, "call-stream": 1, "cancel": 1},
    ),
)

# Many jobs on one client ------------------------------------------------------------------

SHARED = "One client, many threads"
_add(
    _s(
        "concurrent-mixed",
        SHARED,
        "4 concurrent generations on one client, 2 of them refused (503); `/config` fetched once",
        CALL + " (`images.generate_many`)",
        "result",
        "",
        IMMEDIATE,
        {"config": 1, "call": 4, "call-stream": 2, "runtime": 2},
    ),
)

# Look-alike Spaces (real Gradio 6) --------------------------------------------------------

LOOKALIKE = "Real Gradio look-alike Spaces (`@pytest.mark.e2e`)"
_E2E_LEAKS = ("threads", "fds")
_add(
    _s(
        "e2e-quota",
        LOOKALIKE,
        "`[[quota]]`: `(60s requested vs. 56s left)` + sign-up link",
        "queue (flux-dev look-alike)",
        "QuotaExceededError",
        "You have exceeded your GPU quota (60s requested vs. 56s left).",
        ("read 10 s", 10.0, 0.0),
        {},
        leaks=_E2E_LEAKS,
        timeout=T_E2E,
        e2e=True,
    ),
    _s(
        "e2e-quota-left",
        LOOKALIKE,
        "`[[quota-left]]`: `(46s left vs. 60s requested) … retry in 0:09:48`",
        "queue (janus look-alike, chat)",
        "QuotaExceededError",
        "You have exceeded your GPU quota (46s left vs. 60s requested). Please retry in 0:09:48.",
        ("read 10 s", 10.0, 0.0),
        {},
        leaks=_E2E_LEAKS,
        timeout=T_E2E,
        e2e=True,
    ),
    _s(
        "e2e-quota-free",
        LOOKALIKE,
        "`[[quota-free]]`: `free ZeroGPU quota … Try again in 0:05:43`, titled",
        "run/predict (g4f-flux look-alike)",
        "QuotaExceededError",
        "You have exceeded your free ZeroGPU quota (60s requested vs. 12s left). Try again in 0:05:43.",
        ("read 10 s", 10.0, 0.0),
        {},
        leaks=_E2E_LEAKS,
        timeout=T_E2E,
        e2e=True,
    ),
    _s(
        "e2e-hidden-queue",
        LOOKALIKE,
        "`[[hidden]]`: `process_completed`, `success: false`, `error: null`",
        "queue (flux-dev look-alike)",
        "SpaceError",
        HIDDEN,
        ("read 10 s", 10.0, 0.0),
        {},
        leaks=_E2E_LEAKS,
        timeout=T_E2E,
        e2e=True,
    ),
    _s(
        "e2e-hidden-call",
        LOOKALIKE,
        '`[[hidden]]` over /call: `event: error`, `{"error": null}`',
        "/call (flux-schnell look-alike)",
        "SpaceError",
        HIDDEN,
        ("read 10 s", 10.0, 0.0),
        {},
        leaks=_E2E_LEAKS,
        timeout=T_E2E,
        e2e=True,
    ),
    _s(
        "e2e-unknown-session",
        LOOKALIKE,
        "unknown session: the real `queue/data` of a session never joined",
        "queue (flux-dev look-alike behind the fault server)",
        "ProtocolError",
        f"{SPACE_DEV} could not stream the job: 404: Not Found",
        ("read 10 s", 10.0, 0.0),
        {"config": 1, "join": 1, "data": 1},
        timeout=T_E2E,
        e2e=True,
    ),
    _s(
        "e2e-unknown-event",
        LOOKALIKE,
        "unknown event id: the real `GET /call/infer/<id>` of an id never issued",
        "/call (flux-schnell look-alike behind the fault server)",
        "ProtocolError",
        f"{SPACE_SCHNELL} could not stream the job: 404: Not Found",
        ("read 10 s", 10.0, 0.0),
        {"config": 1, "call": 1, "call-stream": 1},
        timeout=T_E2E,
        e2e=True,
    ),
    _s(
        "e2e-heartbeats",
        LOOKALIKE,
        "heartbeats forever: the real second GET of a finished /call event (a heartbeat every 0.2 s)",
        "/call (flux-schnell look-alike behind the fault server)",
        "SpaceTimeoutError",
        "The job did not finish within its 1.5 s timeout",
        (f"total {T_E2E_TOTAL.total:g} s", T_E2E_TOTAL.total, T_E2E_TOTAL.total * 0.9),
        {"config": 1, "call": 1, "call-stream": 1, "cancel": 1},
        timeout=T_E2E_TOTAL,
        e2e=True,
    ),
)

# SDK bugs the suite found, fixed since (their tests keep them fixed) -----------------------

BUGS = "SDK bugs found by the suite, fixed (each row states the behaviour its test holds)"
_add(
    _s(
        "bug-retry-sleep",
        BUGS,
        "ZeroGPU token: 503 `Retry-After: 2` on every try, job total 0.5 s",
        JWT + " (Flux1Dev with `hf_token`)",
        "SpaceTimeoutError",
        "The job did not finish within its 0.5 s timeout",
        ("total 0.5 s", 0.5, 0.0),
        {"config": 1, "jwt": 1},
        timeout=Timeout(connect=0.3, read=0.5, total=0.5),
        bug="B2: retry waits ignore the job's deadline and cancel",
    ),
    _s(
        "bug-cancel-stall",
        BUGS,
        "stream goes silent and `POST /cancel` is never answered, job total 0.6 s",
        CALL_STREAM,
        "SpaceTimeoutError",
        "127.0.0.1:<port> sent nothing for 0.3 s",
        ("total 0.6 s", 0.6, 0.0),
        {"config": 1, "call": 1, "call-stream": 1, "cancel": 1},
        timeout=Timeout(connect=0.3, read=0.3, total=0.6),
        bug="B3: the best-effort /cancel blocks the error for a fixed 5 s",
    ),
    _s(
        "bug-pooled-socket",
        BUGS,
        "an error kept by the caller (as logging or retry code does): `client.close()` must "
        "still close every socket",
        JOIN + " (Flux1Dev), queue full",
        "QueueFullError",
        f"Response 503 from {SPACE_DEV}: Queue is full. Max size is 1 and size is 1.",
        IMMEDIATE,
        {"config": 1, "join": 1},
        bug="B1: close() leaves keep-alive sockets to the garbage collector",
    ),
    _s(
        "bug-download-drip",
        BUGS,
        "image trickled one byte per 0.2 s (never a read timeout), then complete",
        FILE + ' (`response_format="b64_json"`), job total 1 s',
        "SpaceTimeoutError",
        "(a timeout: the download has no deadline today)",
        ("total 1 s", 1.0, 0.0),
        {"config": 1, "call": 1, "call-stream": 1, "file": 1},
        timeout=Timeout(connect=0.3, read=0.5, total=1),
        bug="B4: downloads are bounded by no total deadline",
    ),
)

_add(
    _s(
        "bug-cancel-after-failure",
        BUGS,
        "the Space reports the job failed (`process_completed`, `success: false`)",
        DATA + " (Flux1Dev)",
        "SpaceError",
        "The look-alike Space failed on purpose",
        IMMEDIATE,
        {"config": 1, "join": 1, "data": 1},
        bug="B5: a job the Space already ended is cancelled anyway",
    ),
)

# The Space providers of today (FLUX.1-Kontext-dev, SD 3.5 Large): g4f's bugs, fixed -----------

TODAY = "Space providers of today (FLUX.1-Kontext-dev, SD 3.5 Large)"
SPACE_KONTEXT = "black-forest-labs/FLUX.1-Kontext-Dev"
SPACE_SD35 = "stabilityai/stable-diffusion-3.5-large"
_add(
    _s(
        "kontext-upload-413",
        TODAY,
        "413 on the upload of the image to edit",
        "queue (Kontext): `POST {P}/upload`",
        "ResponseStatusError",
        f"Response 413 from {SPACE_KONTEXT}: Payload Too Large",
        IMMEDIATE,
        {"config": 1, "upload": 1},
    ),
    _s(
        "kontext-join-without-event-id",
        TODAY,
        "`queue/join` answers `{}` (g4f: a bare `assert`)",
        JOIN + " (Kontext)",
        "ProtocolError",
        f"{SPACE_KONTEXT} accepted queue/join without an event id",
        IMMEDIATE,
        {"config": 1, "upload": 1, "join": 1},
    ),
    _s(
        "sd35-error-text",
        TODAY,
        '`event: error` with the Space\'s text (g4f: always "GPU token limit exceeded")',
        CALL_STREAM + " (SD 3.5)",
        "SpaceError",
        "CUDA out of memory",
        IMMEDIATE,
        {"config": 1, "call": 1, "call-stream": 1},
    ),
)

SCENARIOS: Mapping[str, Scenario] = {s.key: s for s in _S}
if len(SCENARIOS) != len(_S):  # pragma: no cover - a declaration mistake
    raise RuntimeError("duplicate scenario keys")


def scenario(key: str) -> Scenario:
    return SCENARIOS[key]


# --- the table -----------------------------------------------------------------------------


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_table() -> str:
    """The markdown table of every scenario, grouped, in declaration order (no measured times)."""
    lines: list[str] = []
    group = None
    for item in _S:
        if item.group != group:
            group = item.group
            if lines:
                lines.append("")
            lines += [
                f"#### {group}",
                "",
                "| fault | request | user gets | message | time bound | requests sent | leaks checked |",
                "|---|---|---|---|---|---|---|",
            ]
        message = (
            f"`{item.message}`"
            if item.message and not item.message.startswith("(")
            else (item.message or "—")
        )
        outcome = f"`{item.outcome}`" if item.outcome != "result" else "the result"
        if item.bug:
            outcome += f" (was bug {item.bug.split(':')[0]})"
        lines.append(
            "| "
            + " | ".join(
                _cell(part)
                for part in (
                    item.fault,
                    item.request,
                    outcome,
                    message,
                    item.bound,
                    item.sends_text(),
                    ", ".join(item.leaks),
                )
            )
            + " |"
        )
    return "\n".join(lines) + "\n"
