"""Saved file names cannot escape the target directory.

Names come from the prompt (never from the server's path): ``Image.save(dir)``,
``ImagesResponse.save(dir)``, ``ImageResponse.save(dir)`` and the command line's ``-o DIR`` must
write directly inside ``dir`` whatever the prompt holds: ``../``, absolute paths, Windows
separators and drive letters, NUL, very long names, dotfiles, leading dashes, control and
bidirectional characters. A property test covers ``file_name_for`` and ``Image.save`` on any text.
"""

from __future__ import annotations

import base64
import os
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from security_secrets import space_urls_to
from security_servers import PNG

from hfspace_sdk import Image, ImageResponse, ImagesResponse, cli
from hfspace_sdk.images import file_name_for

EVIL = [
    "../../../../etc/passwd",
    "/etc/passwd",
    "..",
    ".",
    "...",
    "~/.ssh/authorized_keys",
    "..\\..\\Windows\\System32\\drivers\\etc\\hosts",
    "C:\\Users\\Public\\evil",
    "\\\\server\\share\\evil",
    "foo/../../bar",
    "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "a\x00b",
    "x" * 10_000,
    ".bashrc",
    "-rf --no-preserve-root",
    "fox\n.sh",
    "\u202egpj.exe",  # right-to-left override
    "狐狸 🦊",
    "CON",
    "  ",
]
SAFE_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_-]{0,59}(-\d+)?\.(png|jpg|gif|webp|img)$")


def _assert_inside(path: Path, directory: Path) -> None:
    assert path.parent.resolve() == directory.resolve(), path
    assert SAFE_NAME.match(path.name), path.name
    assert path.is_file() and path.read_bytes()[:8] == PNG[:8]


def _only_files_in(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def _image(prompt: str) -> Image:
    return Image(b64_json=base64.b64encode(PNG).decode(), revised_prompt=prompt)


@pytest.mark.parametrize("prompt", EVIL, ids=[repr(p)[:30] for p in EVIL])
def test_image_and_images_response_save_inside_the_directory(prompt, tmp_path):
    target = tmp_path / "out"
    target.mkdir()
    _assert_inside(_image(prompt).save(target), target)
    paths = ImagesResponse.now(
        model="flux", provider="X", data=[_image(prompt), _image(prompt)]
    ).save(target)
    for path in paths:
        _assert_inside(path, target)
    assert len(set(paths)) == 2
    assert all(p.parent == target for p in _only_files_in(tmp_path))


@pytest.mark.parametrize("prompt", EVIL[:14], ids=[repr(p)[:30] for p in EVIL[:14]])
def test_image_response_save_inside_the_directory(prompt, space, tmp_path):
    """The server's file path is hostile too: the name still comes from the prompt."""
    hostile = f"{space.url}/gradio_api/file=/home/user/.bashrc"
    target = tmp_path / "out"
    paths = ImageResponse([hostile, hostile], prompt).save(target)
    for path in paths:
        _assert_inside(path, target)
    assert all(p.parent == target for p in _only_files_in(tmp_path))


@pytest.mark.parametrize(
    "prompt", [p for p in EVIL if p.strip() and "\x00" not in p], ids=lambda p: repr(p)[:30]
)
def test_the_command_lines_output_directory_holds_the_file(
    prompt, space, tmp_path, monkeypatch, capsys
):
    space.behaviour.image_url = f"{space.url}/gradio_api/file=/etc/cron.d/..evil.sh"
    monkeypatch.setenv(
        "HFSPACE_SPACE_URLS", ",".join(f"{k}={v}" for k, v in space_urls_to(space.url).items())
    )
    target = tmp_path / "out"
    target.mkdir()
    monkeypatch.chdir(tmp_path)
    argv = [
        "generate",
        prompt,
        "--model",
        "flux-schnell",
        "--provider",
        "BlackForestLabs_Flux1Schnell",
        "-o",
        str(target),
    ]
    assert cli.main(argv) == 0, capsys.readouterr().err
    printed = Path(capsys.readouterr().out.strip())
    _assert_inside(printed, target)
    assert _only_files_in(tmp_path) == [printed]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    stem=st.text() | st.sampled_from(EVIL),
    index=st.none() | st.integers(min_value=0, max_value=10**6),
    data=st.sampled_from(
        [PNG, b"\xff\xd8\xff\xe0", b"GIF89a", b"RIFF\0\0\0\0WEBP", b"not an image"]
    ),
)
def test_file_name_for_is_always_a_plain_safe_name(stem, index, data):
    name = file_name_for(data, stem=stem, index=index)
    assert os.sep not in name and "/" not in name and "\\" not in name and "\x00" not in name
    assert ".." not in name and not name.startswith((".", "-"))
    assert name == os.path.basename(name) and Path(name).name == name
    assert re.fullmatch(r"[A-Za-z0-9_-]+\.(png|jpg|gif|webp|img)", name), name
    assert len(name) <= 60 + len(f"-{index}") + len(".webp")


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300) | st.sampled_from(EVIL))
def test_image_save_always_writes_inside_the_directory(prompt):
    with tempfile.TemporaryDirectory() as root:
        target = Path(root) / "out"
        target.mkdir()
        path = _image(prompt).save(target)
        assert path.parent.resolve() == target.resolve()
        assert _only_files_in(Path(root)) == [path]
