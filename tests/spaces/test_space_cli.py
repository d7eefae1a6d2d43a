"""``hfspace api`` and ``hfspace call``: value parsing and layout (pure), then real calls."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PIL import Image as PILImage
from space_support import DEMO_ID, recorded

from hfspace_sdk import File, Image, InvalidArgumentError
from hfspace_sdk.cli import main
from hfspace_sdk.cli.space_commands import api_lines, output_lines, parse_value, parse_values
from hfspace_sdk.gradio.api_info import describe_endpoints, parse_api_info
from hfspace_sdk.gradio.app_config import parse_config

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("512", 512),
        ("3.5", 3.5),
        ("true", True),
        ("null", None),
        ("[1, 2]", [1, 2]),
        ('{"a": 1}', {"a": 1}),
        ("a red fox", "a red fox"),
        ('"42"', "42"),
        ("", ""),
        ("@photo.png", Path("photo.png")),
        ("@@home", "@home"),
    ],
)
def test_values_are_json_when_they_parse(text: str, value: Any) -> None:
    assert parse_value(text) == value


def test_named_and_positional_values() -> None:
    assert parse_values(["a fox", "3", "width=512", "prompt=x=y", "img=@a.png"]) == (
        ["a fox", 3],
        {"width": 512, "prompt": "x=y", "img": Path("a.png")},
    )
    assert parse_values(['"x=1"', "1x=2"]) == (["x=1", "1x=2"], {})


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (["a=1", "a=2"], "a is given twice"),
        (["a=1", "positional"], "comes after a NAME=VALUE"),
        (["@"], "must be followed by a file path"),
    ],
)
def test_bad_values(values: list[str], message: str) -> None:
    with pytest.raises(InvalidArgumentError, match=message):
        parse_values(values)


def test_the_api_layout() -> None:
    info = parse_config(recorded("demo_config_6"))
    endpoints = describe_endpoints(info, parse_api_info(recorded("demo_info_6")))
    lines = api_lines([endpoints["repeat"], endpoints["count"], endpoints["reverse"]])
    assert lines[:9] == [
        "/repeat",
        "  parameters:",
        '    text: str            [Textbox "Text"]',
        '    times: float = 2     [Slider "Times"]',
        '    shout: bool = false  [Checkbox "Shout"]',
        "  returns:",
        '    Answer: str  [Textbox "Answer"]',
        "",
        "/count  (generator)",
    ]
    assert "/reverse  (hidden)" in lines
    undescribed = describe_endpoints(info, None)["echo"]
    assert api_lines([undescribed])[:3] == [
        "/echo  (not described by the Space: positional values only)",
        "  parameters:",
        '    #1: Any  [Textbox "Text"]',
    ]
    assert api_lines([]) == ["(no endpoint)"]


def test_outputs_printed_and_files_saved_without_collisions(tmp_path: Path) -> None:
    def image(caption: Any = None) -> Image:
        return Image(url="http://s/x.png", revised_prompt=caption, _downloader=lambda _: PNG)

    def file(name: str) -> File:
        return File(url="http://s/x", name=name, _downloader=lambda _: b"data")

    result = (
        "text",
        5,
        True,
        None,
        {"a": [1]},
        image(),
        [image("owl"), image("owl")],
        file("a.json"),
        file("a.json"),
    )
    lines = output_lines(result, tmp_path, stem="analyze")
    assert lines[:5] == ["text", "5", "true", "null", '{"a": [1]}']
    assert [Path(line).name for line in lines[5:]] == [
        "analyze-1.png",
        "owl.png",
        "owl-3.png",
        "a.json",
        "a-5.json",
    ]
    assert all(Path(line).parent == tmp_path for line in lines[5:])
    assert output_lines("one", tmp_path, stem="x") == ["one"]
    assert output_lines(image(), tmp_path, stem="mirror") == [str(tmp_path / "mirror.png")]


# --- real calls -----------------------------------------------------------------------------


@pytest.fixture
def space_url(demo_space: str) -> list[str]:
    return ["--space-url", f"{DEMO_ID}={demo_space}", "--timeout", "60"]


@pytest.mark.e2e
def test_api_prints_every_endpoint(
    space_url: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["api", DEMO_ID, *space_url]) == 0
    out = capsys.readouterr().out
    assert "/repeat\n  parameters:\n    text: str " in out
    assert "/reverse" not in out
    assert main(["api", DEMO_ID, "--all", *space_url]) == 0
    assert "/reverse  (hidden)" in capsys.readouterr().out


@pytest.mark.e2e
def test_call_prints_text_and_saves_images(
    space_url: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_dir = tmp_path / "out"
    assert (
        main(["call", DEMO_ID, "/analyze", "text=a fox", "seed=3", "-o", str(out_dir), *space_url])
        == 0
    )
    lines = capsys.readouterr().out.splitlines()
    assert lines[:2] == ["A FOX", "5"]
    assert lines[2] == str(out_dir / "analyze.png")
    with PILImage.open(lines[2]) as saved:
        assert saved.size == (64, 48)


@pytest.mark.e2e
def test_call_uploads_a_file_and_reports_errors(
    space_url: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_bytes(b"abc")
    assert main(["call", DEMO_ID, "/file_info", f"file=@{notes}", *space_url]) == 0
    assert capsys.readouterr().out.startswith("notes.txt: 3 bytes, sha256 ")
    assert main(["call", DEMO_ID, "/fail", "x", *space_url]) == 1
    assert "error: The demo Space's fail endpoint always fails" in capsys.readouterr().err
    assert main(["call", DEMO_ID, "/echo", "a", "b", *space_url]) == 2
    assert "takes 1 argument, 2 given" in capsys.readouterr().err
    assert main(["call", DEMO_ID, "/file_info", "file=@/no/such.txt", *space_url]) == 2


@pytest.mark.e2e
def test_call_in_a_real_process_saves_a_file_by_its_name(
    space_url: list[str], tmp_path: Path
) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "hfspace_sdk",
            "call",
            DEMO_ID,
            "/write_file",
            "hello",
            "-o",
            str(tmp_path),
            *space_url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == str(tmp_path / "summary.json")
    assert json.loads((tmp_path / "summary.json").read_text())["text"] == "hello"
    assert "hfspace: Running" in result.stderr


def test_help_for_api_and_call(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert (
        "api " in out and "call " in out and 'hfspace call owner/name /infer prompt="a fox"' in out
    )
    assert main(["call", "--help"]) == 0
    out = capsys.readouterr().out
    assert "@PATH" in out and "NAME=VALUE" in out and "default: the current" in out
    assert max(len(line) for line in out.splitlines()) <= 100
    assert main(["api", "--help"]) == 0
    assert "--all" in capsys.readouterr().out
