"""Input images: sniffing, loading from every accepted form, and rejecting everything else."""

from __future__ import annotations

import base64
import io

import pytest
from PIL import Image

from hfspace_sdk import media
from hfspace_sdk.errors import InvalidArgumentError
from hfspace_sdk.media import MediaFile, load_media, media_from_messages, sniff_image_type


def encode(fmt: str, color=(200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), color).save(buffer, format=fmt)
    return buffer.getvalue()


PNG = encode("PNG")
JPEG = encode("JPEG")
GIF = encode("GIF")
WEBP = encode("WEBP")
PNG_2 = encode("PNG", (0, 0, 255))


def data_uri(data: bytes, mime: str = "image/png") -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


def image_part(url: str) -> dict:
    return {"type": "image_url", "image_url": {"url": url}}


# --- sniff_image_type -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "mime"),
    [(PNG, "image/png"), (JPEG, "image/jpeg"), (GIF, "image/gif"), (WEBP, "image/webp")],
)
def test_sniff_real_images(data, mime):
    assert sniff_image_type(data) == mime


def test_sniff_gif87a():
    assert sniff_image_type(b"GIF87a" + b"\0" * 10) == "image/gif"


@pytest.mark.parametrize(
    "data", [b"", b"hello world", b"RIFF\0\0\0\0WAVEfmt ", b"%PDF-1.7", b"\x89PNG"]
)
def test_sniff_non_images_is_none(data):
    assert sniff_image_type(data) is None


# --- load_media -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "mime", "name"),
    [
        (PNG, "image/png", "image.png"),
        (JPEG, "image/jpeg", "image.jpg"),
        (GIF, "image/gif", "image.gif"),
        (WEBP, "image/webp", "image.webp"),
    ],
)
def test_load_media_from_bytes(data, mime, name):
    loaded = load_media(data)
    assert loaded == MediaFile(data=data, name=name, mime_type=mime)


def test_load_media_from_bytearray_and_memoryview():
    assert load_media(bytearray(PNG)).data == PNG
    assert load_media(memoryview(PNG)).data == PNG


def test_load_media_explicit_name_wins():
    assert load_media(PNG, "cat.png").name == "cat.png"


def test_load_media_from_path_and_str_path(tmp_path):
    path = tmp_path / "photo.jpeg"
    path.write_bytes(JPEG)
    for item in (path, str(path)):
        loaded = load_media(item)
        assert (loaded.data, loaded.name, loaded.mime_type) == (JPEG, "photo.jpeg", "image/jpeg")


def test_load_media_from_binary_file_object(tmp_path):
    path = tmp_path / "pic.gif"
    path.write_bytes(GIF)
    with open(path, "rb") as handle:
        loaded = load_media(handle)
    assert (loaded.data, loaded.name, loaded.mime_type) == (GIF, "pic.gif", "image/gif")


def test_load_media_from_bytes_io_gets_default_name():
    loaded = load_media(io.BytesIO(WEBP))
    assert (loaded.data, loaded.name) == (WEBP, "image.webp")


def test_load_media_from_base64_data_uri():
    loaded = load_media(data_uri(PNG))
    assert (loaded.data, loaded.name, loaded.mime_type) == (PNG, "image.png", "image/png")


def test_load_media_data_uri_type_comes_from_bytes_not_header():
    assert load_media(data_uri(JPEG, "image/png")).mime_type == "image/jpeg"


def test_load_media_from_pil_image_is_png():
    loaded = load_media(Image.new("RGB", (5, 5), (1, 2, 3)))
    assert loaded.mime_type == "image/png"
    assert loaded.name == "image.png"
    with Image.open(io.BytesIO(loaded.data)) as reopened:
        assert reopened.size == (5, 5)
        assert reopened.getpixel((0, 0)) == (1, 2, 3)


def test_media_file_repr_shows_size_not_bytes():
    assert (
        repr(load_media(PNG))
        == f"MediaFile(name='image.png', mime_type='image/png', size={len(PNG)})"
    )


def test_load_media_rejects_non_image_bytes():
    with pytest.raises(InvalidArgumentError, match="not an image"):
        load_media(b"just some text")


def test_load_media_rejects_text_file(tmp_path):
    path = tmp_path / "notes.png"
    path.write_text("not really a png")
    with pytest.raises(InvalidArgumentError, match="not an image"):
        load_media(path)


def test_load_media_rejects_missing_path(tmp_path):
    with pytest.raises(InvalidArgumentError, match="No image file"):
        load_media(tmp_path / "missing.png")


def test_load_media_rejects_directory(tmp_path):
    with pytest.raises(InvalidArgumentError, match="No image file"):
        load_media(tmp_path)


def test_load_media_rejects_overlong_path_string():
    with pytest.raises(InvalidArgumentError):
        load_media("x" * 5000)


@pytest.mark.parametrize("url", ["http://example.com/a.png", "https://example.com/a.png"])
def test_load_media_rejects_http_urls(url):
    with pytest.raises(InvalidArgumentError, match="not downloaded"):
        load_media(url)


def test_load_media_rejects_non_base64_data_uri():
    with pytest.raises(InvalidArgumentError, match="Only base64 data: URIs"):
        load_media("data:image/png,rawdata")


def test_load_media_rejects_invalid_base64():
    with pytest.raises(InvalidArgumentError, match="not valid base64"):
        load_media("data:image/png;base64,@@@not base64@@@")


def test_load_media_rejects_text_mode_file(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("hello")
    with open(path) as handle, pytest.raises(InvalidArgumentError, match="binary mode"):
        load_media(handle)


@pytest.mark.parametrize("item", [None, 42, 1.5, {"url": "x"}, ["a"], object()])
def test_load_media_rejects_wrong_types(item):
    with pytest.raises(InvalidArgumentError, match="Cannot use"):
        load_media(item)


def test_load_media_rejects_oversized_data(monkeypatch):
    monkeypatch.setattr(media, "MAX_UPLOAD_BYTES", 16)
    with pytest.raises(InvalidArgumentError, match="larger than 16 bytes"):
        load_media(PNG)


def test_load_media_rejects_oversized_file(monkeypatch, tmp_path):
    path = tmp_path / "big.png"
    path.write_bytes(PNG)
    monkeypatch.setattr(media, "MAX_UPLOAD_BYTES", 16)
    with pytest.raises(InvalidArgumentError, match="larger than 16 bytes"):
        load_media(path)


def test_errors_are_value_errors():
    with pytest.raises(ValueError):
        load_media(b"nope")


# --- media_from_messages --------------------------------------------------------------------


def test_media_from_messages_without_images_is_empty():
    assert media_from_messages([{"role": "user", "content": "hi"}]) == []
    assert media_from_messages([]) == []


def test_media_from_messages_picks_image_url_parts_of_trailing_user_messages():
    messages = [
        {"role": "user", "content": [image_part(data_uri(GIF))]},  # before the assistant: ignored
        {"role": "assistant", "content": "ok"},
        {"role": "user", "content": [{"type": "text", "text": "look"}, image_part(data_uri(PNG))]},
        {"role": "user", "content": [{"type": "image_url", "image_url": data_uri(JPEG)}]},
    ]
    loaded = media_from_messages(messages)
    assert [item.data for item in loaded] == [PNG, JPEG]


def test_media_from_messages_single_media_item():
    loaded = media_from_messages([{"role": "user", "content": "x"}], PNG)
    assert [(item.data, item.name) for item in loaded] == [(PNG, "image.png")]


def test_media_from_messages_media_list_and_pairs():
    loaded = media_from_messages([], [PNG, (JPEG, "photo.jpg"), (GIF, None)])
    assert [(item.data, item.name) for item in loaded] == [
        (PNG, "image.png"),
        (JPEG, "photo.jpg"),
        (GIF, "image.gif"),
    ]


def test_media_from_messages_single_pair():
    loaded = media_from_messages([], (WEBP, "w.webp"))
    assert [(item.data, item.name) for item in loaded] == [(WEBP, "w.webp")]


def test_media_from_messages_message_images_come_before_media():
    messages = [{"role": "user", "content": [image_part(data_uri(PNG_2))]}]
    loaded = media_from_messages(messages, [PNG])
    assert [item.data for item in loaded] == [PNG_2, PNG]


def test_media_from_messages_rejects_bad_media():
    with pytest.raises(InvalidArgumentError):
        media_from_messages([], [PNG, b"not an image"])


def test_media_from_messages_does_not_mutate_inputs():
    messages = [{"role": "user", "content": [image_part(data_uri(PNG))]}]
    items = [(JPEG, "a.jpg")]
    media_from_messages(messages, items)
    assert messages == [{"role": "user", "content": [image_part(data_uri(PNG))]}]
    assert items == [(JPEG, "a.jpg")]
