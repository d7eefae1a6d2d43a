"""Image downloads: huge, not an image, refused, redirected."""

from __future__ import annotations

from fault_calls import PREFIX, download_b64, redirect_handler, status_handler
from fault_case import Case
from fault_server import PNG, Connection, FaultServer, Request

from hfspace_sdk import Client
from hfspace_sdk.images import MAX_DOWNLOAD_BYTES

FILES = f"{PREFIX}/file=.*"
IMAGE_PATH = "/tmp/gradio/0123456789abcdef0123456789abcdef/image.png"
HTML = "<!DOCTYPE html><html><body>Not an image</body></html>"


def _image_url(server: FaultServer) -> str:
    return f"{server.url}{PREFIX}/file={IMAGE_PATH}"


def test_image_declared_larger_than_the_cap(case: Case, server: FaultServer) -> None:
    case.start("huge-declared")

    def handle(conn: Connection, request: Request) -> None:
        conn.head(200, {"Content-Type": "image/png"}, content_length=MAX_DOWNLOAD_BYTES + 1)
        conn.stall()  # the body never comes: the client must not wait for it

    server.route("GET", FILES, handle)
    with Client(**case.options()) as client:
        case.error(lambda: client.download(_image_url(server)))


def test_streamed_image_larger_than_the_cap(case: Case, server: FaultServer) -> None:
    case.start("huge-streamed")
    block = b"\0" * (1024 * 1024)
    sent: list[int] = []

    def handle(conn: Connection, request: Request) -> None:
        conn.start_stream(content_type="image/png")
        conn.chunk(PNG)
        total = len(PNG)
        try:
            while total <= 2 * MAX_DOWNLOAD_BYTES:  # far more than the cap, never endless
                conn.chunk(block)
                total += len(block)
        finally:
            sent.append(total)
        conn.end_stream()

    server.route("GET", FILES, handle)
    with Client(**case.options()) as client:
        case.error(lambda: client.download(_image_url(server)))
    server.wait_for_clients(3.0)
    assert sent and sent[0] < 2 * MAX_DOWNLOAD_BYTES  # the client stopped reading


def test_download_that_is_html(case: Case, server: FaultServer) -> None:
    case.start("not-image")
    server.route("GET", FILES, status_handler(200, HTML, "text/html; charset=utf-8"))
    with Client(**case.options()) as client:
        case.error(lambda: download_b64(client))


def test_download_claiming_to_be_an_image(case: Case, server: FaultServer) -> None:
    case.start("lying-image")
    server.route("GET", FILES, status_handler(200, HTML, "image/png"))
    with Client(**case.options()) as client:
        case.error(lambda: client.download(_image_url(server)))


def test_download_refused(case: Case, server: FaultServer) -> None:
    case.start("file-403")
    body = f'{{"detail": "File not allowed: {IMAGE_PATH}."}}'
    server.route("GET", FILES, status_handler(403, body, "application/json"))
    with Client(**case.options()) as client:
        case.error(lambda: client.download(_image_url(server)))


def test_download_redirected_to_another_host(case: Case, server: FaultServer) -> None:
    case.start("redirect-file")
    server.route(
        "GET",
        FILES,
        redirect_handler(lambda r: f"http://localhost:{server.port}/elsewhere/image.png"),
    )
    server.route("GET", "/elsewhere/.*", status_handler(200, PNG, "image/png"))
    with Client(**case.options()) as client:
        data = case.result(lambda: client.download(_image_url(server)))
    assert data == PNG
