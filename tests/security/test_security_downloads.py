"""Downloads are size-capped and content-checked, through every public way to download.

``client.download``, ``response_format="b64_json"``, ``Image.bytes()``/``save()``,
``ImageResponse.save`` and the command line's ``-o``. A huge answer stops at the cap without being
read whole (bytes read <= cap + one chunk, also for a gzip bomb); a declared oversize is refused
before the body is read; an answer that is not PNG/JPEG/GIF/WebP is refused whatever its
content type; only http(s) URLs are fetched (a Space cannot make the SDK read a local file).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from security_secrets import space_urls_to
from security_servers import PNG, Recorder, Reply

from hfspace_sdk import (
    Client,
    HFSpaceError,
    ImageResponse,
    InvalidArgumentError,
    ProtocolError,
    cli,
)
from hfspace_sdk.http import HttpClient
from hfspace_sdk.images import MAX_DOWNLOAD_BYTES, Image

CHUNK = 256 * 1024  # what download_image asks iter_body for


def _endless_png() -> Iterator[bytes]:
    yield b"\x89PNG\r\n\x1a\n"
    block = bytes(64 * 1024)
    while True:
        yield block


def _gzip_bomb(size: int) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    parts = [packer.compress(b"\x89PNG\r\n\x1a\n")]
    block = bytes(1024 * 1024)
    parts += [packer.compress(block) for _ in range(size // len(block))]
    return b"".join(parts) + packer.flush()


BOMB = _gzip_bomb(MAX_DOWNLOAD_BYTES + 8 * 1024 * 1024)

ANSWERS = {
    "/endless.png": lambda: Reply(headers={"Content-Type": "image/png"}, stream=_endless_png()),
    "/declared.png": lambda: Reply(
        headers={"Content-Type": "image/png", "Content-Length": str(10**12)}, stream=_endless_png()
    ),
    "/bomb.png": lambda: Reply(
        body=BOMB, headers={"Content-Type": "image/png", "Content-Encoding": "gzip"}
    ),
    "/page.png": lambda: Reply(
        body=b"<!doctype html><title>Sign in</title>", headers={"Content-Type": "image/png"}
    ),
    "/page.html": lambda: Reply(
        body=b"<!doctype html><title>Sign in</title>", headers={"Content-Type": "text/html"}
    ),
    "/error.json": lambda: Reply(
        body=b'{"error": "no"}', headers={"Content-Type": "application/json"}
    ),
    "/empty.png": lambda: Reply(body=b"", headers={"Content-Type": "image/png"}),
    "/script.svg": lambda: Reply(
        body=b"<svg onload='alert(1)'/>", headers={"Content-Type": "image/svg+xml"}
    ),
    "/ok.png": lambda: Reply(body=PNG, headers={"Content-Type": "image/png"}),
}


@pytest.fixture
def files() -> Iterator[Recorder]:
    def route(_recorder: Recorder, request) -> Reply:  # type: ignore[no-untyped-def]
        for suffix, answer in ANSWERS.items():
            if request.path.endswith(suffix):
                return answer()
        return Reply(404, b"{}", {"Content-Type": "application/json"})

    with Recorder("files", route) as server:
        yield server


@pytest.fixture
def bytes_read(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The total of the chunks the SDK pulled through ``HttpClient.iter_body`` (decoded bytes)."""
    total = [0]
    original = HttpClient.iter_body

    def counting(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        for chunk in original(self, *args, **kwargs):
            total[0] += len(chunk)
            yield chunk

    monkeypatch.setattr(HttpClient, "iter_body", counting)
    return total


@pytest.mark.parametrize("path", ["/endless.png", "/bomb.png"], ids=["endless body", "gzip bomb"])
def test_a_huge_image_stops_at_the_cap_without_being_read_whole(path, files, bytes_read):
    with (
        Client() as client,
        pytest.raises(ProtocolError, match=f"larger than {MAX_DOWNLOAD_BYTES} bytes"),
    ):
        client.download(files.url + path)
    assert MAX_DOWNLOAD_BYTES < bytes_read[0] <= MAX_DOWNLOAD_BYTES + CHUNK


def test_a_declared_oversize_is_refused_before_reading_the_body(files, bytes_read):
    with (
        Client() as client,
        pytest.raises(ProtocolError, match=f"{10**12} bytes; the limit is {MAX_DOWNLOAD_BYTES}"),
    ):
        client.download(files.url + "/declared.png")
    assert bytes_read[0] == 0


@pytest.mark.parametrize(
    "path", ["/page.png", "/page.html", "/error.json", "/empty.png", "/script.svg"]
)
def test_an_answer_that_is_not_an_image_is_refused(path, files):
    with Client() as client, pytest.raises(ProtocolError, match="did not answer with an image"):
        client.download(files.url + path)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://127.0.0.1/x.png",
        "data:image/png;base64,AAAA",
        "/etc/passwd",
        "//127.0.0.1/x",
    ],
)
def test_only_http_urls_are_fetched(url, tmp_path):
    """A Space that answers with a local path gets an error, never the file's content."""
    with Client() as client, pytest.raises(InvalidArgumentError, match="Only http"):
        client.download(url)
    with pytest.raises(HFSpaceError):
        Image(url=url, revised_prompt="a fox").save(tmp_path)
    with pytest.raises(HFSpaceError):
        ImageResponse([url], "a fox").save(tmp_path)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("path", ["/page.html", "/page.png"], ids=["HTML", "HTML as image/png"])
def test_every_public_download_path_checks_the_image(
    path, space, files, tmp_path, monkeypatch, capsys
):
    """The Space's output URL points at a bad file: b64_json, save() and the CLI all refuse it."""
    space.behaviour.image_url = files.url + path
    urls = space_urls_to(space.url)
    expected = "did not answer with an image"
    with Client(space_urls=urls) as client:
        with pytest.raises(ProtocolError, match=expected):
            client.images.generate(
                "a fox",
                model="flux-schnell",
                provider="BlackForestLabs_Flux1Schnell",
                response_format="b64_json",
            )
        result = client.images.generate(
            "a fox", model="flux-schnell", provider="BlackForestLabs_Flux1Schnell"
        )
        with pytest.raises(ProtocolError, match=expected):
            result.data[0].save(tmp_path)
        with pytest.raises(ProtocolError, match=expected):
            result.save(tmp_path / "all")
        outcome = next(
            client.images.generate_many(["a fox"], model="flux-schnell", response_format="b64_json")
        )
        assert isinstance(outcome.error, ProtocolError)
    with pytest.raises(ProtocolError, match=expected):
        ImageResponse([files.url + path], "a fox").save(tmp_path)
    monkeypatch.setenv("HFSPACE_SPACE_URLS", ",".join(f"{k}={v}" for k, v in urls.items()))
    code = cli.main(
        [
            "generate",
            "a fox",
            "--model",
            "flux-schnell",
            "--provider",
            "BlackForestLabs_Flux1Schnell",
            "-o",
            str(tmp_path),
        ]
    )
    err = capsys.readouterr().err
    assert code == 1 and expected in err and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == []  # nothing written
    assert (tmp_path / "all").is_dir()  # created empty by ImagesResponse.save; no file in it


def test_the_cap_is_the_documented_64_mib():
    assert MAX_DOWNLOAD_BYTES == 64 * 1024 * 1024


def test_a_good_image_is_downloaded_once_and_saved(files, tmp_path: Path):
    with Client() as client:
        image = Image(
            url=files.url + "/ok.png", revised_prompt="a fox", _downloader=client.download
        )
        assert image.bytes() == PNG and image.mime_type == "image/png"
        path = image.save(tmp_path)
    assert path.read_bytes() == PNG and path.parent == tmp_path
    assert len(files.requests) == 1


def test_a_huge_output_image_is_capped_for_b64_json(space, files, bytes_read):
    space.behaviour.image_url = files.url + "/endless.png"
    with (
        Client(space_urls=space_urls_to(space.url)) as client,
        pytest.raises(ProtocolError, match="larger than"),
    ):
        client.images.generate(
            "a fox",
            model="flux-schnell",
            provider="BlackForestLabs_Flux1Schnell",
            response_format="b64_json",
        )
    assert bytes_read[0] <= MAX_DOWNLOAD_BYTES + CHUNK + 4096  # + the small protocol answers
