"""File (non-image outputs): once-only downloads, safe saving, pickling; load_file for uploads."""

from __future__ import annotations

import io
import pickle
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hfspace_sdk import File, InvalidArgumentError
from hfspace_sdk.files import safe_file_name
from hfspace_sdk.media import MAX_UPLOAD_BYTES, load_file

URL = "http://space.test/gradio_api/file=/tmp/gradio/h/summary.json"


class Counter:
    def __init__(self, data: bytes = b'{"a": 1}') -> None:
        self.data = data
        self.urls: list[str] = []

    def __call__(self, url: str) -> bytes:
        self.urls.append(url)
        return self.data


def test_bytes_download_once() -> None:
    download = Counter()
    file = File(url=URL, name="summary.json", _downloader=download)
    assert file.bytes() == file.bytes() == b'{"a": 1}'
    assert download.urls == [URL]


def test_save_into_a_directory_under_its_own_name(tmp_path: Path) -> None:
    file = File(url=URL, name="summary.json", _downloader=Counter())
    assert file.save(tmp_path) == tmp_path / "summary.json"
    assert file.save(tmp_path / "other.txt").read_bytes() == b'{"a": 1}'
    with pytest.raises(InvalidArgumentError, match="does not exist"):
        file.save(tmp_path / "missing" / "x.json")


@pytest.mark.parametrize(
    ("name", "saved"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\win.ini", "win.ini"),
        ("/abs/path.txt", "path.txt"),
        ("..", "file"),
        ("", "file"),
        (".hidden", "hidden"),
        ("a b:c?.wav", "a b_c_.wav"),
    ],
)
def test_a_servers_name_never_leaves_the_directory(tmp_path: Path, name: str, saved: str) -> None:
    file = File(url=URL, name=name, _downloader=Counter())
    path = file.save(tmp_path)
    assert path == tmp_path / saved and path.parent == tmp_path


@given(st.text(max_size=300))
def test_safe_names_are_plain_file_names(name: str) -> None:
    safe = safe_file_name(name)
    assert safe and safe not in (".", "..") and "/" not in safe and "\\" not in safe
    assert not safe.startswith(".") and len(safe) <= 120
    assert Path(safe).name == safe


def test_a_long_name_keeps_its_extension() -> None:
    assert safe_file_name("x" * 500 + ".json").endswith("x.json")
    assert len(safe_file_name("x" * 500 + ".json")) == 120


def test_pickled_files_download_with_defaults() -> None:
    file = File(url=URL, name="summary.json", mime_type="application/json", _downloader=Counter())
    file.bytes()
    copy = pickle.loads(pickle.dumps(file))
    assert copy == file and copy.name == "summary.json" and copy.mime_type == "application/json"


def test_load_file_takes_any_type_and_names_it(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    media = load_file(tmp_path / "notes.txt")
    assert (media.name, media.mime_type, media.data) == ("notes.txt", "text/plain", b"hello")
    assert load_file(b"\x00\x01").mime_type == "application/octet-stream"
    assert load_file(b"\x00\x01").name == "file"
    assert load_file(b"\x89PNG\r\n\x1a\n....").name == "image.png"
    assert load_file(io.BytesIO(b"abc"), "données.csv").name == "donn_es.csv"


def test_load_file_refuses_what_it_cannot_send(tmp_path: Path) -> None:
    with pytest.raises(InvalidArgumentError, match="No file at"):
        load_file(tmp_path / "missing.txt")
    with pytest.raises(InvalidArgumentError, match="Cannot use int as a file"):
        load_file(5)
    with pytest.raises(InvalidArgumentError, match="File URLs are not downloaded"):
        load_file("https://example.test/x.txt")
    with pytest.raises(InvalidArgumentError, match=f"larger than {MAX_UPLOAD_BYTES}"):
        load_file(io.BytesIO(b"x" * (MAX_UPLOAD_BYTES + 1)))
