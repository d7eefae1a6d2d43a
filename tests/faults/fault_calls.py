"""The public calls the fault scenarios drive, and the misbehaving route handlers they install."""

from __future__ import annotations

from typing import Any, Callable, Optional, Union

from fault_server import PNG, PREFIX, Connection, FaultServer, Handler, Request, message, sse

from hfspace_sdk import Client

__all__ = [
    "CALL_HEARTBEAT",
    "PREFIX",
    "PROMPT",
    "QUEUE_HEARTBEAT",
    "call_events",
    "download_b64",
    "flux_dev",
    "flux_schnell",
    "g4f_flux",
    "heartbeats",
    "janus_chat",
    "janus_upload",
    "json_handler",
    "queue_events",
    "queue_failure",
    "raw_queue_data",
    "redirect_handler",
    "stall",
    "status_handler",
]

PROMPT = "a red fox in the snow"


# --- public calls, one per protocol -----------------------------------------------------------


def flux_schnell(client: Client) -> Any:
    """/call protocol."""
    return client.images.generate(PROMPT, provider="BlackForestLabs_Flux1Schnell", model="flux")


def flux_dev(client: Client, **params: Any) -> Any:
    """Queue protocol (anonymous ZeroGPU headers unless ``hf_token`` is configured)."""
    return client.images.generate(
        PROMPT, provider="BlackForestLabs_Flux1Dev", model="flux-dev", **params
    )


def g4f_flux(client: Client) -> Any:
    """run/predict, with a ZeroGPU token given (no hub request)."""
    return client.images.generate(PROMPT, provider="G4F", model="flux-schnell", api_key="t")


def janus_chat(client: Client, **params: Any) -> Any:
    """Queue protocol with Janus (a first turn reads the hub page unless ``api_key`` is given)."""
    return client.chat.completions.create(
        messages="What is in this picture?", provider="DeepseekAI_JanusPro7b", **params
    )


def janus_upload(client: Client) -> Any:
    """Janus with an image: the upload comes first."""
    return janus_chat(client, image=PNG, api_key="t")


def download_b64(client: Client) -> Any:
    """/call, then the image download (``response_format="b64_json"``)."""
    return client.images.generate(
        PROMPT, provider="BlackForestLabs_Flux1Schnell", model="flux", response_format="b64_json"
    )


# --- handlers -----------------------------------------------------------------------------------


def stall(conn: Connection, request: Request) -> None:
    conn.stall()


def status_handler(
    status: int,
    body: Union[bytes, str] = "",
    content_type: str = "text/plain; charset=utf-8",
    headers: Optional[dict[str, str]] = None,
) -> Handler:
    def handle(conn: Connection, request: Request) -> None:
        conn.respond(status, body, content_type, headers)

    return handle


def json_handler(
    value: Any, status: int = 200, headers: Optional[dict[str, str]] = None
) -> Handler:
    def handle(conn: Connection, request: Request) -> None:
        conn.json(value, status=status, headers=headers)

    return handle


def redirect_handler(location: Callable[[Request], str], status: int = 302) -> Handler:
    def handle(conn: Connection, request: Request) -> None:
        conn.respond(status, "", "text/plain", {"Location": location(request)})

    return handle


def queue_failure(server: FaultServer, output: dict[str, Any]) -> Handler:
    """A queue stream whose job ends with ``process_completed``, ``success: false``."""

    def handle(conn: Connection, request: Request) -> None:
        event_id = server.joined(request).get("event_id")
        conn.start_stream()
        conn.chunk(message({"msg": "estimation", "event_id": event_id, "rank": 0, "queue_size": 1}))
        conn.chunk(message({"msg": "process_starts", "event_id": event_id, "eta": None}))
        conn.chunk(
            message(
                {
                    "msg": "process_completed",
                    "event_id": event_id,
                    "output": output,
                    "success": False,
                    "title": output.get("title"),
                }
            )
        )
        conn.chunk(message({"msg": "close_stream", "event_id": None}))
        conn.end_stream()

    return handle


def call_events(*events: str, end: str = "terminator") -> Handler:
    """A /call stream sending ``events`` then ending: ``terminator``, ``cut`` or ``stall``."""

    def handle(conn: Connection, request: Request) -> None:
        conn.start_stream()
        for event in events:
            conn.chunk(event)
        if end == "terminator":
            conn.end_stream()
        elif end == "cut":
            conn.cut()
        else:
            conn.stall()

    return handle


def heartbeats(frame: str, period: float = 0.1) -> Handler:
    """A stream of heartbeats, forever (until the client goes away)."""

    def handle(conn: Connection, request: Request) -> None:
        conn.start_stream()
        while True:
            conn.chunk(frame)
            conn.wait(period)

    return handle


CALL_HEARTBEAT = sse("heartbeat", None)
QUEUE_HEARTBEAT = message({"msg": "heartbeat", "event_id": None})


def queue_events(server: FaultServer, *kinds: str, end: str = "terminator") -> Handler:
    """A queue stream with the first messages of a job (``estimation``, ``process_starts``)."""

    def handle(conn: Connection, request: Request) -> None:
        event_id = server.joined(request).get("event_id")
        conn.start_stream()
        for kind in kinds:
            conn.chunk(message({"msg": kind, "event_id": event_id}))
        if end == "terminator":
            conn.end_stream()
        elif end == "cut":
            conn.chunk('data: {"msg":"process_completed","event_id":"')  # half a message
            conn.cut()
        else:
            conn.stall()

    return handle


def raw_queue_data(lines: list[str]) -> Handler:
    def handle(conn: Connection, request: Request) -> None:
        conn.start_stream()
        for line in lines:
            conn.chunk(line)
        conn.end_stream()

    return handle
