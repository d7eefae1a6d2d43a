"""Streamed bodies: decoded a bounded piece at a time, errors mapped in one place."""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator

import pytest
import requests
import urllib3.exceptions
from gradio_answers import BASE

from hfspace_sdk.cancel import CancelScope
from hfspace_sdk.config import Settings
from hfspace_sdk.errors import (
    InvalidArgumentError,
    JobCancelledError,
    ProtocolError,
    SpaceConnectionError,
    SpaceTimeoutError,
)
from hfspace_sdk.http import HttpClient, map_exception
from hfspace_sdk.http.decompress import Inflater, decoder_for

PIECE = 1024

# --- the pure decoder ---------------------------------------------------------------------


def _decode_all(coding: str, body: bytes, *, read: int = 4096, piece: int = PIECE) -> list[bytes]:
    decoder = decoder_for(coding)
    assert decoder is not None
    pieces: list[bytes] = []
    for start in range(0, len(body), read):
        pieces += decoder.decode(body[start : start + read], piece)
    pieces += decoder.decode(b"", piece)
    return pieces


PLAIN = bytes(range(256)) * 400 + b"the end"


@pytest.mark.parametrize(
    ("coding", "body"),
    [
        ("gzip", gzip.compress(PLAIN)),
        ("x-gzip", gzip.compress(PLAIN)),
        ("GZIP", gzip.compress(PLAIN)),
        ("deflate", zlib.compress(PLAIN)),  # zlib-wrapped, as the RFC says
        ("deflate", zlib.compress(PLAIN)[2:-4]),  # raw, as many servers send
        ("identity", PLAIN),
        ("", PLAIN),
    ],
    ids=["gzip", "x-gzip", "GZIP", "deflate", "raw deflate", "identity", "none"],
)
def test_bodies_decode_whole_in_bounded_pieces(coding, body):
    pieces = _decode_all(coding, body)
    assert b"".join(pieces) == PLAIN
    if coding.lower() not in ("", "identity"):
        assert max(len(piece) for piece in pieces) <= PIECE


def test_a_bomb_never_yields_more_than_a_piece_at_a_time():
    bomb = gzip.compress(bytes(32 * 1024 * 1024), compresslevel=9)
    decoder = Inflater(gzip=True)
    largest, total = 0, 0
    for piece in decoder.decode(bomb, 256 * 1024):  # the whole bomb in one read
        largest, total = max(largest, len(piece)), total + len(piece)
        if total > 8 * 1024 * 1024:
            break  # what a capped download does
    assert largest <= 256 * 1024


def test_gzip_members_are_all_decoded_and_trailing_garbage_ignored():
    body = gzip.compress(b"first ") + gzip.compress(b"second") + b"\x00garbage"
    assert b"".join(_decode_all("gzip", body, read=7)) == b"first second"


def test_a_body_that_is_not_its_coding_raises_zlib_error():
    with pytest.raises(zlib.error):
        _decode_all("gzip", b"not gzip at all")


@pytest.mark.parametrize("coding", ["br", "zstd", "gzip, br", "compress"])
def test_other_codings_are_not_decoded_here(coding):
    assert decoder_for(coding) is None


# --- HttpClient.iter_body --------------------------------------------------------------------


@pytest.fixture
def client() -> Iterator[HttpClient]:
    http = HttpClient(Settings.from_options(environ={}, timeout=30))
    yield http
    http.close()


def _body(client: HttpClient, url: str, chunk_size, space=None) -> bytes:
    response = client.request("GET", url, space=space, stream=True)
    with client.streaming(response, None):
        return b"".join(client.iter_body(response, None, chunk_size=chunk_size, space=space))


def test_streams_ask_only_for_the_codings_decoded_here(mocked, client):
    mocked.get(f"{BASE}/image", body=PLAIN)
    _body(client, f"{BASE}/image", 4096)
    assert mocked.calls[0].request.headers["Accept-Encoding"] == "gzip, deflate"


def test_a_gzip_stream_is_decoded(mocked, client):
    mocked.get(f"{BASE}/image", body=gzip.compress(PLAIN), headers={"Content-Encoding": "gzip"})
    assert _body(client, f"{BASE}/image", 4096) == PLAIN
    assert _body(client, f"{BASE}/image", None) == PLAIN


def test_a_stream_in_a_coding_not_asked_for_is_refused(mocked, client):
    mocked.get(f"{BASE}/image", body=b"\x1b\x00", headers={"Content-Encoding": "br"})
    with pytest.raises(ProtocolError, match="'br'; only gzip, deflate") as caught:
        _body(client, f"{BASE}/image", 4096, space="o/s")
    assert caught.value.space == "o/s"


def test_a_corrupt_gzip_stream_is_a_protocol_error(mocked, client):
    mocked.get(f"{BASE}/image", body=b"not gzip", headers={"Content-Encoding": "gzip"})
    with pytest.raises(ProtocolError, match="content-encoding does not decode"):
        _body(client, f"{BASE}/image", 4096)


def test_a_cancelled_scope_stops_the_body(mocked, client):
    mocked.get(f"{BASE}/image", body=PLAIN)
    scope = CancelScope(30)
    response = client.request("GET", f"{BASE}/image", space=None, stream=True, scope=scope)
    with client.streaming(response, scope):
        scope.cancel()
        with pytest.raises(JobCancelledError):
            list(client.iter_body(response, scope, chunk_size=1024))


# --- map_exception: the one place --------------------------------------------------------------

URL = "http://space.test/x"


def _map(exc: BaseException, scope=None) -> Exception:
    return map_exception(exc, URL, space="o/s", scope=scope, connect=10, read=60)


@pytest.mark.parametrize(
    ("exc", "error", "text"),
    [
        (
            requests.ConnectTimeout(),
            SpaceTimeoutError,
            "Connecting to space.test timed out after 10 s",
        ),
        (requests.ReadTimeout(), SpaceTimeoutError, "space.test sent nothing for 60 s"),
        (
            requests.ConnectionError(urllib3.exceptions.ReadTimeoutError(None, URL, "x")),
            SpaceTimeoutError,
            "sent nothing for 60 s",
        ),
        (urllib3.exceptions.ReadTimeoutError(None, URL, "x"), SpaceTimeoutError, "sent nothing"),
        (requests.exceptions.ChunkedEncodingError(), ProtocolError, "cut in the middle"),
        (urllib3.exceptions.ProtocolError("Connection broken"), ProtocolError, "cut in the middle"),
        (requests.exceptions.MissingSchema(), InvalidArgumentError, "Invalid URL"),
        (requests.exceptions.TooManyRedirects(), ProtocolError, "redirected too many times"),
        (requests.exceptions.SSLError(), SpaceConnectionError, "TLS verification"),
        (urllib3.exceptions.SSLError(), SpaceConnectionError, "TLS verification"),
        (
            requests.ConnectionError("[Errno 111] Connection refused"),
            SpaceConnectionError,
            "connection refused",
        ),
        (OSError(2, "No such file or directory"), SpaceConnectionError, "No such file"),
        (requests.RequestException(), SpaceConnectionError, "failed: RequestException"),
        (zlib.error("invalid stored block"), ProtocolError, "content-encoding does not decode"),
    ],
)
def test_library_exceptions_map_to_sdk_errors(exc, error, text):
    mapped = _map(exc)
    assert type(mapped) is error
    assert text in str(mapped)
    assert mapped.space == "o/s"


def test_a_stopped_scope_wins_over_what_the_connection_saw():
    scope = CancelScope(30)
    scope.cancel()
    assert isinstance(_map(requests.ReadTimeout(), scope), JobCancelledError)
    expired = CancelScope(30)
    expired.expire()
    assert isinstance(_map(requests.ConnectionError(), expired), SpaceTimeoutError)


def test_the_gradio_package_does_not_import_requests():
    import pathlib

    import hfspace_sdk.gradio

    folder = pathlib.Path(hfspace_sdk.gradio.__file__).parent
    for module in folder.glob("*.py"):
        source = module.read_text(encoding="utf-8")
        assert "import requests" not in source and "from requests" not in source, module.name
