"""Downloads are capped and checked, file names are safe, images display themselves."""

from __future__ import annotations

import base64
import io

import pytest
from gradio_answers import BASE

from hfspace_sdk.config import Settings
from hfspace_sdk.errors import InvalidArgumentError, ProtocolError
from hfspace_sdk.events import ImageResponse
from hfspace_sdk.http import HttpClient
from hfspace_sdk.images import Image, ImagesResponse, download_image, file_name_for


def _png() -> bytes:
    from PIL import Image as PILImage

    buffer = io.BytesIO()
    PILImage.new("RGB", (1, 1), (255, 0, 0)).save(buffer, format="PNG")
    return buffer.getvalue()


PNG = _png()


@pytest.fixture
def http():
    client = HttpClient(Settings.from_options(environ={}))
    yield client
    client.close()


def test_download_returns_image_bytes(mocked, http):
    mocked.get(f"{BASE}/file=a.png", body=PNG, content_type="image/png")
    assert download_image(http, f"{BASE}/file=a.png") == PNG


def test_download_refuses_what_is_not_an_image(mocked, http):
    mocked.get(f"{BASE}/file=a.png", body="<html>login</html>", content_type="text/html")
    with pytest.raises(ProtocolError, match="did not answer with an image"):
        download_image(http, f"{BASE}/file=a.png")


def test_download_stops_at_the_size_cap(mocked, http):
    mocked.get(f"{BASE}/big", body=PNG + b"\0" * 5000, content_type="image/png")
    with pytest.raises(ProtocolError, match="larger than 1000 bytes"):
        download_image(http, f"{BASE}/big", max_bytes=1000)


def test_download_refuses_a_declared_oversize(mocked, http):
    mocked.get(
        f"{BASE}/big", body=PNG, content_type="image/png", headers={"Content-Length": str(10**9)}
    )
    with pytest.raises(ProtocolError, match="the limit is"):
        download_image(http, f"{BASE}/big", max_bytes=1000)


def test_download_sends_no_credentials(mocked, http):
    mocked.get("http://elsewhere.test/a.png", body=PNG)
    download_image(http, "http://elsewhere.test/a.png")
    headers = mocked.calls[0].request.headers
    assert not {"authorization", "cookie", "x-zerogpu-token"} & {name.lower() for name in headers}


def test_only_http_urls_are_downloaded(http):
    with pytest.raises(InvalidArgumentError, match="http"):
        download_image(http, "file:///etc/passwd")


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        ("a red fox", "a-red-fox.png"),
        ("../../etc/passwd", "etc-passwd.png"),
        ("", "image.png"),
        ("C:\\windows\\system32", "C-windows-system32.png"),
        ("x" * 200, "x" * 60 + ".png"),
    ],
)
def test_file_names_stay_inside_the_directory(stem, expected):
    assert file_name_for(PNG, stem=stem) == expected


def test_save_into_a_directory_uses_the_prompt(tmp_path):
    image = Image(b64_json=base64.b64encode(PNG).decode(), revised_prompt="../../a fox")
    path = image.save(tmp_path)
    assert path == tmp_path / "a-fox.png" and path.read_bytes() == PNG


def test_save_refuses_non_images_and_missing_directories(tmp_path):
    with pytest.raises(InvalidArgumentError, match="not an image"):
        Image(b64_json=base64.b64encode(b"text").decode()).save(tmp_path)
    with pytest.raises(InvalidArgumentError, match="does not exist"):
        Image(b64_json=base64.b64encode(PNG).decode()).save(tmp_path / "missing" / "x.png")


def test_response_save_numbers_several_images(tmp_path):
    images = [
        Image(b64_json=base64.b64encode(PNG).decode(), revised_prompt="fox") for _ in range(2)
    ]
    paths = ImagesResponse.now(model="m", provider="p", data=images).save(tmp_path / "out")
    assert [p.name for p in paths] == ["fox-1.png", "fox-2.png"]


def test_image_response_save_downloads_its_urls(mocked, tmp_path):
    mocked.get(f"{BASE}/file=x.png", body=PNG)
    [path] = ImageResponse([f"{BASE}/file=x.png"], "a fox").save(tmp_path)
    assert path.name == "a-fox.png" and path.read_bytes() == PNG


def test_bytes_are_downloaded_once(mocked):
    calls = []
    image = Image(url="http://x/a.png", _downloader=lambda url: calls.append(url) or PNG)
    assert image.bytes() == image.bytes() == PNG
    assert calls == ["http://x/a.png"]


def test_html_display_escapes_the_prompt():
    html = Image(url="http://x/a.png?a=1&b=2", revised_prompt='"><script>').__getattribute__(
        "_repr_html_"
    )()
    assert "<script>" not in html and "&amp;b=2" in html
    assert ImageResponse(["http://x/1.png", "http://x/2.png"], "p")._repr_html_().count("<img") == 2


def test_to_pil_opens_the_image():
    assert Image(b64_json=base64.b64encode(PNG).decode()).to_pil().size == (1, 1)


def _webp() -> bytes:
    from PIL import Image as PILImage

    buffer = io.BytesIO()
    PILImage.new("RGB", (3, 2), (0, 0, 255)).save(buffer, format="WEBP")
    return buffer.getvalue()


def test_saving_under_another_extension_converts_the_image(tmp_path):
    from PIL import Image as PILImage

    image = Image(b64_json=base64.b64encode(_webp()).decode())
    assert image.mime_type == "image/webp"
    for name, kind in (("fox.png", "PNG"), ("fox.jpg", "JPEG"), ("fox.webp", "WEBP")):
        path = image.save(tmp_path / name)
        with PILImage.open(path) as saved:
            assert (saved.format, saved.size) == (kind, (3, 2))


def test_saving_under_another_extension_without_pillow_is_refused(tmp_path, monkeypatch):
    import sys

    image = Image(b64_json=base64.b64encode(_webp()).decode())
    monkeypatch.setitem(sys.modules, "PIL", None)
    with pytest.raises(InvalidArgumentError, match="save it as .webp"):
        image.save(tmp_path / "fox.png")


def test_repr_leaves_out_the_base64_data():
    assert "b64_json" not in repr(Image(b64_json="A" * 10_000, revised_prompt="p"))
