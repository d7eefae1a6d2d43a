"""The ``hfspace`` command line: real commands against real local look-alike Spaces.

Commands run as ``python -m hfspace_sdk ...`` in a subprocess (what a user types) or through
``main([...])`` in-process where the output is easier to capture. The look-alike Spaces and the
fake hub are started once for the module; the demo test starts (and must stop) its own Space.
"""

from __future__ import annotations

import io
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from hfspace_sdk import cli
from hfspace_sdk.providers import PROVIDERS
from hfspace_sdk.testing import FAILURE_MESSAGES, serve_hub, serve_spaces, space_urls_for

FIXED_ENV = ("HFSPACE_SPACE_URLS", "HF_ENDPOINT", "HF_TOKEN", "HFSPACE_LOOKALIKE_PYTHON")


def run_cli(
    *args: str, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m hfspace_sdk ARGS`` with a clean SDK environment."""
    child_env = {k: v for k, v in os.environ.items() if k not in FIXED_ENV}
    child_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "hfspace_sdk", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=child_env,
        check=False,
    )


def image_size(path: Path) -> tuple[int, int]:
    from PIL import Image

    with Image.open(path) as picture:
        picture.load()
        return picture.size


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in FIXED_ENV:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="module")
def spaces() -> Iterator[dict[str, str]]:
    """{Space id: URL} of running look-alikes (FLUX.1-schnell, FLUX.1-dev, Janus)."""
    with serve_spaces("flux-schnell", "flux-dev", "janus") as urls:
        yield space_urls_for(urls)


@pytest.fixture(scope="module")
def hub_url() -> Iterator[str]:
    with serve_hub() as hub:
        yield hub.url


@pytest.fixture(scope="module")
def local(spaces: dict[str, str], hub_url: str) -> list[str]:
    """Global options sending every Space and hub request to the local servers."""
    options = ["--hub-url", hub_url, "--timeout", "30"]
    for space_id, url in spaces.items():
        options += ["--space-url", f"{space_id}={url}"]
    return options


# --- without servers --------------------------------------------------------------------


def test_help_lists_commands_global_options_and_exit_codes() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    for text in (
        "generate",
        "chat",
        "models",
        "demo",
        "--space-url",
        "--hub-url",
        "--timeout",
        "before or after the command",
        "exit codes",
        "130",
    ):
        assert text in result.stdout
    assert result.stderr == ""


def test_no_command_is_a_usage_error() -> None:
    result = run_cli()
    assert result.returncode == 2
    assert "usage: hfspace" in result.stderr


def test_models_lists_every_provider_model_and_alias(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["models"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    rows = [line.split() for line in out.splitlines()]
    for name, provider in PROVIDERS.items():
        mine = [row for row in rows if row and row[0] == name]
        assert mine, name
        for model in provider.get_models():
            assert any(row[1] == model for row in mine), (name, model)
        for alias, target in provider.model_aliases.items():
            assert [name, alias, "image", "alias", "->", target] in mine, (name, alias)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--width", "512"], "--width and --height go together"),
        (["--height", "512"], "--width and --height go together"),
        (["--width", "512", "--height", "512", "--aspect-ratio", "1:1"], "not both"),
        (["--aspect-ratio", "0:5"], "aspect_ratio"),
        (["--model", "nope"], "flux-dev"),
        (["--provider", "Nope"], "BlackForestLabs_Flux1Dev"),
        (["--steps", "many"], "invalid int value"),
        (["--timeout", "0"], "positive number of seconds"),
        (["--space-url", "no-equals-sign"], "SPACE=URL"),
        (["--space-url", "a/b=ftp://host"], "http(s) URL"),
        (["-o", "missing-dir/fox.webp"], "does not exist"),
    ],
)
def test_usage_errors_exit_2_without_traceback(
    args: list[str],
    message: str,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    # No server is needed: nothing may be sent for these.
    code = cli.main(
        [
            "generate",
            "a red fox",
            "--space-url",
            "black-forest-labs/FLUX.1-dev=http://127.0.0.1:9",
            *args,
        ]
    )
    out, err = capsys.readouterr()
    assert code == 2
    assert message in err
    assert "Traceback" not in err
    assert out == ""
    assert list(tmp_path.iterdir()) == []


def test_usage_errors_exit_2_in_a_real_process() -> None:
    result = run_cli("generate", "a red fox", "--model", "nope")
    assert result.returncode == 2
    assert result.stderr.startswith("hfspace: error: Model 'nope' not found")
    assert "flux-schnell" in result.stderr and "janus-pro-7b" in result.stderr
    assert "Traceback" not in result.stderr
    result = run_cli("generate", "a red fox", "--width", "512")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_ctrl_c_exits_130_with_a_short_message(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli.commands, "generate_image", interrupted)
    assert cli.main(["generate", "a red fox"]) == 130
    out, err = capsys.readouterr()
    assert err == "hfspace: interrupted\n"
    assert out == ""


def test_demo_without_gradio_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "gradio", None)  # find_spec() now reports it missing
    assert cli.main(["demo"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1
    assert "pip install 'hfspace_sdk[testing]'" in err


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_status_line_rewrites_one_line_on_a_terminal() -> None:
    stream = FakeTerminal()
    status = cli.StatusLine(stream)
    status.update("Using 1 GPU")
    status.update("Sampling 8/28")
    status.update("Sampling 8/28", previews=1)
    status.update("Finished", previews=3)
    status.end()
    text = stream.getvalue()
    assert text.count("\n") == 1 and text.endswith("\n")
    assert text.split("\r")[1:] == [
        "hfspace: Using 1 GPU",
        "hfspace: Sampling 8/28",
        "hfspace: Sampling 8/28 (1 preview)",
        "hfspace: Finished (3 previews)    \n",  # padded over the longer line before
    ]


def test_status_line_prints_each_new_status_once_elsewhere() -> None:
    stream = io.StringIO()
    status = cli.StatusLine(stream)
    for text, previews in [
        ("Using 1 GPU", 0),
        ("Sampling 8/28", 0),
        ("Sampling 8/28", 1),
        ("Sampling 17/28\n", 1),
        ("Finished", 3),
    ]:
        status.update(text, previews)
    status.end()
    assert stream.getvalue().splitlines() == [
        "hfspace: Using 1 GPU",
        "hfspace: Sampling 8/28",
        "hfspace: Sampling 17/28 (1 preview)",
        "hfspace: Finished (3 previews)",
    ]
    assert "\r" not in stream.getvalue()


# --- against the look-alike Spaces ------------------------------------------------------


@pytest.mark.e2e
def test_generate_saves_an_image_of_the_requested_size(local: list[str], tmp_path: Path) -> None:
    target = tmp_path / "fox.webp"
    # Global options both before and after the command.
    result = run_cli(
        *local[:4],
        "generate",
        "a red fox",
        "--width",
        "512",
        "--height",
        "256",
        "--seed",
        "7",
        "--steps",
        "4",
        "-o",
        str(target),
        *local[4:],
    )
    assert result.returncode == 0, result.stderr
    assert image_size(target) == (512, 256)
    assert result.stdout == f"{target}\n"
    status_lines = result.stderr.splitlines()
    assert status_lines[0] == "hfspace: Submitting to flux"
    assert "hfspace: Using 1 GPU" in status_lines
    assert any(re.fullmatch(r"hfspace: Sampling \d+/4.*", line) for line in status_lines)
    assert status_lines[-1].startswith("hfspace: Finished")
    assert "\r" not in result.stderr  # not a terminal: one line per status
    assert len(status_lines) == len(set(status_lines))


@pytest.mark.e2e
def test_generate_with_an_aspect_ratio_and_verbose_logs(local: list[str], tmp_path: Path) -> None:
    result = run_cli(
        "-v",
        "generate",
        "a red fox",
        "--model",
        "flux-schnell",
        "--aspect-ratio",
        "16:9",
        "-o",
        str(tmp_path),
        *local,
    )
    assert result.returncode == 0, result.stderr
    [saved] = tmp_path.iterdir()
    assert result.stdout == f"{saved}\n"
    assert saved.name == "a-red-fox.webp"  # a directory: the name comes from the prompt
    width, height = image_size(saved)
    assert abs(width / height - 16 / 9) < 0.02
    assert "INFO hfspace_sdk" in result.stderr


@pytest.mark.e2e
def test_generate_without_output_prints_the_url(
    local: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        cli.main(
            [
                "generate",
                "a red fox",
                "--provider",
                "BlackForestLabs_Flux1Dev",
                "--aspect-ratio",
                "1:1",
                "--steps",
                "3",
                *local,
            ]
        )
        == 0
    )
    out, err = capsys.readouterr()
    [url] = out.splitlines()
    assert url.startswith("http://127.0.0.1:") and url.endswith(".webp")
    assert "Sampling" not in out and "Sampling 2/3" in err
    assert "hfspace: Finished (3 previews)" in err.splitlines()


@pytest.mark.e2e
def test_saving_to_an_unwritable_file_exits_1(
    local: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    code = cli.main(["generate", "a red fox", "--model", "flux-schnell", "-o", "/dev/full", *local])
    out, err = capsys.readouterr()
    assert code == 1
    assert out == ""
    assert "hfspace: error: cannot write '/dev/full'" in err
    assert "warning" not in err
    assert "Traceback" not in err


@pytest.mark.e2e
def test_chat_about_an_image(spaces: dict[str, str], hub_url: str, tmp_path: Path) -> None:
    from PIL import Image

    picture = tmp_path / "small.png"
    Image.new("RGB", (64, 48), "orange").save(picture)
    # Space URLs from the environment this time: the SDK reads HFSPACE_SPACE_URLS itself.
    env = {
        "HFSPACE_SPACE_URLS": ",".join(f"{k}={v}" for k, v in spaces.items()),
        "HF_ENDPOINT": hub_url,
    }
    result = run_cli("chat", "What is this?", "--image", str(picture), env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Janus look-alike answer to: What is this? [image 64x48]\n"
    assert "Janus look-alike" not in result.stderr


@pytest.mark.e2e
def test_chat_without_an_image(local: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["chat", "Hello?", "--provider", "DeepseekAI_JanusPro7b", *local]) == 0
    out, err = capsys.readouterr()
    assert out == "Janus look-alike answer to: Hello?\n"
    assert "Traceback" not in err


@pytest.mark.e2e
def test_a_space_failure_exits_1_with_its_message(local: list[str]) -> None:
    result = run_cli("generate", "a red fox [[error]]", "--model", "flux-dev", *local)
    assert result.returncode == 1
    assert FAILURE_MESSAGES["error"] in result.stderr
    assert "hfspace: error: " in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


@pytest.mark.e2e
def test_an_unreachable_space_exits_1_quickly(hub_url: str) -> None:
    started = time.monotonic()
    result = run_cli(
        "generate",
        "a red fox",
        "--provider",
        "BlackForestLabs_Flux1Dev",
        "--space-url",
        "black-forest-labs/FLUX.1-dev=http://127.0.0.1:9",
        "--hub-url",
        hub_url,
        "--timeout",
        "20",
    )
    assert result.returncode == 1
    assert time.monotonic() - started < 15
    assert result.stderr.splitlines()[-1].startswith("hfspace: error: Could not connect")
    assert "Traceback" not in result.stderr


def _port_is_closed(url: str) -> bool:
    host, port = url.removeprefix("http://").split(":")
    try:
        with socket.create_connection((host, int(port)), timeout=2):
            return False
    except OSError:
        return True


def _process_is_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.mark.e2e
@pytest.mark.gradio  # the demo starts a look-alike Space
def test_demo_saves_an_image_and_stops_its_space(tmp_path: Path) -> None:
    target = tmp_path / "fox.png"  # the look-alike sends WebP: saving converts to the named type
    result = run_cli("demo", "a red fox", "-o", str(target), timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{target.resolve()}\n"
    assert image_size(target) == (1024, 1024)
    assert target.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    match = re.search(r"look-alike Space at (http://127\.0\.0\.1:\d+) \(pid (\d+)\)", result.stderr)
    assert match, result.stderr
    assert "look-alike Space stopped" in result.stderr
    assert _process_is_gone(int(match.group(2)))
    assert _port_is_closed(match.group(1))
