"""Bad input on the command line: exit code 2, a one-line message, no traceback, nothing sent.

``hfspace_sdk.cli.main([...])`` runs in-process under a ``responses`` mock with nothing
registered; ``python -m hfspace_sdk ...`` runs as a subprocess whose every Space and hub point at a
local server that must receive nothing.
"""

from __future__ import annotations

import contextlib
import os
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from input_support import SilentServer

from hfspace_sdk import cli
from hfspace_sdk.params import MAX_PROMPT_CHARS
from hfspace_sdk.providers import PROVIDERS

HUGE = "x" * (MAX_PROMPT_CHARS + 1)
_URL_PARSE = (
    "config.py check_http_url lets urlsplit()'s ValueError escape: the CLI crashes with a "
    "traceback (exit 1) instead of exit 2"
)
_TOKEN_HEADER = (
    "config.py Settings.from_options accepts an HF_TOKEN with a trailing newline; the generation "
    "then fails after sending requests (exit 1) instead of exit 2 before any request"
)


def _files(tmp: Path) -> dict[str, str]:
    (tmp / "notes.txt").write_text("not an image\n")
    (tmp / "empty.png").write_bytes(b"")
    (tmp / "truncated.png").write_bytes(b"\x89PNG\r")
    (tmp / "random.webp").write_bytes(random.Random(3).randbytes(300))
    (tmp / "a-file").write_text("x")
    return {
        name: str(tmp / name)
        for name in ("notes.txt", "empty.png", "truncated.png", "random.webp", "a-file")
    }


# (id, argv (with {tmp} and {name} placeholders), environment, what the error line says)
CASES: list[Any] = [
    (
        "zero width",
        ["generate", "a fox", "--width", "0", "--height", "512"],
        {},
        "width must be between",
    ),
    (
        "huge size",
        ["generate", "a fox", "--width", "1000000", "--height", "1000000"],
        {},
        "width must be between",
    ),
    (
        "text width",
        ["generate", "a fox", "--width", "wide", "--height", "5"],
        {},
        "invalid int value",
    ),
    ("width alone", ["generate", "a fox", "--width", "512"], {}, "go together"),
    (
        "size and ratio",
        ["generate", "a fox", "--aspect-ratio", "1:1", "--width", "8", "--height", "8"],
        {},
        "not both",
    ),
    ("zero steps", ["generate", "a fox", "--steps", "0"], {}, "num_inference_steps"),
    ("huge steps", ["generate", "a fox", "--steps", "1000000"], {}, "num_inference_steps"),
    ("float steps", ["generate", "a fox", "--steps", "2.5"], {}, "invalid int value"),
    ("negative seed", ["generate", "a fox", "--seed", "-1"], {}, "seed must be"),
    ("float seed", ["generate", "a fox", "--seed", "1.5"], {}, "invalid int value"),
    ("huge seed", ["generate", "a fox", "--seed", str(2**70)], {}, "seed must be"),
    ("unknown ratio", ["generate", "a fox", "--aspect-ratio", "wide"], {}, "aspect_ratio"),
    ("zero ratio", ["generate", "a fox", "--aspect-ratio", "0:9"], {}, "aspect_ratio"),
    ("unknown model", ["generate", "a fox", "--model", "dall-e-3"], {}, "dall-e-3"),
    (
        "unknown provider",
        ["generate", "a fox", "--provider", "Nope"],
        {},
        "Unknown provider 'Nope'",
    ),
    (
        "chat provider for images",
        ["generate", "a fox", "--provider", "DeepseekAI_JanusPro7b"],
        {},
        "'flux' not found",
    ),
    ("empty prompt", ["generate", ""], {}, "prompt is empty"),
    ("blank prompt", ["generate", " \t "], {}, "prompt is empty"),
    ("huge prompt", ["generate", HUGE], {}, f"the limit is {MAX_PROMPT_CHARS}"),
    (
        "missing output dir",
        ["generate", "a fox", "-o", "{tmp}/missing/fox.webp"],
        {},
        "does not exist",
    ),
    ("output under a file", ["generate", "a fox", "-o", "{a-file}/fox.webp"], {}, "does not exist"),
    ("space-url without =", ["--space-url", "garbage", "generate", "a fox"], {}, "SPACE=URL"),
    (
        "space-url ftp",
        ["generate", "a fox", "--space-url", "a/b=ftp://127.0.0.1"],
        {},
        "space_urls",
    ),
    (
        "space-url bad key",
        ["generate", "a fox", "--space-url", "flux=http://127.0.0.1:1"],
        {},
        "space_urls keys",
    ),
    (
        "space-url with credentials",
        ["generate", "a fox", "--space-url", "a/b=http://u:p@127.0.0.1:1"],
        {},
        "credentials",
    ),
    ("hub-url ftp", ["--hub-url", "ftp://huggingface.co", "generate", "a fox"], {}, "hub_url"),
    (
        "hub-url with credentials",
        ["generate", "a fox", "--hub-url", "https://u:p@hf.invalid"],
        {},
        "hub_url",
    ),
    ("zero timeout", ["--timeout", "0", "generate", "a fox"], {}, "positive number of seconds"),
    ("nan timeout", ["--timeout", "nan", "generate", "a fox"], {}, "positive number of seconds"),
    ("text timeout", ["generate", "a fox", "--timeout", "soon"], {}, "not a number of seconds"),
    ("chat text file", ["chat", "What is it?", "--image", "{notes.txt}"], {}, "not an image"),
    ("chat empty file", ["chat", "What is it?", "--image", "{empty.png}"], {}, "not an image"),
    (
        "chat truncated PNG",
        ["chat", "What is it?", "--image", "{truncated.png}"],
        {},
        "not an image",
    ),
    ("chat random bytes", ["chat", "What is it?", "--image", "{random.webp}"], {}, "not an image"),
    ("chat directory", ["chat", "What is it?", "--image", "{tmp}"], {}, "No image file"),
    (
        "chat missing image",
        ["chat", "What is it?", "--image", "{tmp}/missing.png"],
        {},
        "No image file",
    ),
    ("chat unknown model", ["chat", "What is it?", "--model", "gpt-4o"], {}, "gpt-4o"),
    ("chat empty question", ["chat", ""], {}, "prompt is empty"),
    ("unknown command", ["paint", "a fox"], {}, "invalid choice"),
    ("no command", [], {}, "required"),
    ("no prompt", ["generate"], {}, "PROMPT"),
    (
        "bad HFSPACE_SPACE_URLS",
        ["generate", "a fox"],
        {"HFSPACE_SPACE_URLS": "garbage"},
        "SPACE=URL",
    ),
    (
        "bad HFSPACE_SPACE_URLS beside --space-url",
        ["generate", "a fox", "--space-url", "a/b=http://127.0.0.1:1"],
        {"HFSPACE_SPACE_URLS": "garbage"},
        "SPACE=URL",
    ),
    ("bad HF_ENDPOINT", ["generate", "a fox"], {"HF_ENDPOINT": "ftp://huggingface.co"}, "hub_url"),
    pytest.param(
        "hub-url with a bad IPv6 host",
        ["--hub-url", "http://[::1", "generate", "a fox"],
        {},
        "hub_url",
        id="hub-url with a bad IPv6 host",
    ),
    pytest.param(
        "space-url with a bad IPv6 host",
        ["generate", "a fox", "--space-url", "a/b=http://[x"],
        {},
        "space_urls",
        id="space-url with a bad IPv6 host",
    ),
    pytest.param(
        "HF_TOKEN with a newline",
        ["generate", "a fox"],
        {"HF_TOKEN": "hf_SECRETtoken\n"},
        "hf_token",
        id="HF_TOKEN with a newline",
    ),
]


def _fill(argv: list[str], tmp: Path) -> list[str]:
    names = {**_files(tmp), "tmp": str(tmp)}
    filled = []
    for arg in argv:
        for key, value in names.items():
            arg = arg.replace("{" + key + "}", value)
        filled.append(arg)
    return filled


def _check_output(code: int, out: str, err: str, match: str) -> None:
    assert code == 2, (code, err[-2000:])
    assert "Traceback" not in err and "Traceback" not in out
    assert out == ""
    error_lines = [line for line in err.splitlines() if "error:" in line]
    assert len(error_lines) == 1, err
    assert error_lines[0].startswith("hfspace"), err
    assert match in error_lines[0], (match, error_lines[0])
    assert len(error_lines[0]) < 1000  # the huge prompt is not echoed back


def _as_params(cases: list[Any]) -> list[Any]:
    return [case if hasattr(case, "marks") else pytest.param(*case, id=case[0]) for case in cases]


@pytest.mark.parametrize(("label", "argv", "env", "match"), _as_params(CASES))
def test_bad_input_in_process_exits_2_before_any_request(
    label, argv, env, match, tmp_path, monkeypatch, capsys, no_requests, tally
):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    tally.add("hfspace_sdk.cli.main", f"cli: {label}")
    code = cli.main(_fill(argv, tmp_path))
    captured = capsys.readouterr()
    assert len(no_requests.calls) == 0, [c.request.url for c in no_requests.calls]
    _check_output(code, captured.out, captured.err, match)


# --- the real command, as a subprocess ----------------------------------------------------------

SUBPROCESS_CASES: list[Any] = [
    (
        "zero width",
        [b"generate", b"a fox", b"--width", b"0", b"--height", b"64"],
        "width must be between",
    ),
    ("bad space-url", [b"generate", b"a fox", b"--space-url", b"a/b=ftp://x"], "space_urls"),
    ("chat text file", [b"chat", b"What?", b"--image", b"{notes.txt}"], "not an image"),
    pytest.param(
        "non-UTF-8 prompt",
        [b"generate", b"a red fox \xff\xfe"],
        "prompt",
        id="non-UTF-8 prompt",
    ),
    pytest.param(
        "bad IPv6 hub-url",
        [b"--hub-url", b"http://[::1", b"generate", b"a fox"],
        "hub_url",
        id="bad IPv6 hub-url",
    ),
]


SPACE_IDS = sorted(
    {
        provider.space
        for provider in PROVIDERS.values()
        if isinstance(getattr(provider, "space", None), str)
    }
    | {"roxky/g4f-flux", "roxky/FLUX.1-dev", "roxky/Janus-Pro-7B"}
)


@pytest.fixture(scope="module")
def subprocess_results(tmp_path_factory) -> Iterator[dict[str, tuple[int, str, str, list[str]]]]:
    """Run every subprocess case at once (they are independent), each with its own silent server.

    Every Space (``HFSPACE_SPACE_URLS``) and the hub (``HF_ENDPOINT``) point at that server, so a
    request sent by mistake is recorded there instead of leaving the machine.
    """
    tmp = tmp_path_factory.mktemp("cli-inputs")
    names = {
        key.encode(): value.encode() for key, value in {**_files(tmp), "tmp": str(tmp)}.items()
    }
    base_env = {key: value for key, value in os.environ.items() if key not in ("HF_TOKEN",)}
    with contextlib.ExitStack() as stack:
        running = {}
        for case in _as_params(SUBPROCESS_CASES):
            label, argv, _ = case.values
            server = stack.enter_context(SilentServer())
            env = {
                **base_env,
                "HFSPACE_SPACE_URLS": ",".join(f"{space}={server.url}" for space in SPACE_IDS),
                "HF_ENDPOINT": server.url,
            }
            args = []
            for arg in argv:
                for key, value in names.items():
                    arg = arg.replace(b"{" + key + b"}", value)
                args.append(arg)
            process = subprocess.Popen(
                [sys.executable.encode(), b"-m", b"hfspace_sdk", *args],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=env,
            )
            running[label] = (process, server)
        results = {}
        for label, (process, server) in running.items():
            out, err = process.communicate(timeout=120)
            results[label] = (
                process.returncode,
                out.decode("utf-8", "replace"),
                err.decode("utf-8", "replace"),
                list(server.seen),
            )
        yield results


@pytest.mark.parametrize(("label", "argv", "match"), _as_params(SUBPROCESS_CASES))
def test_bad_input_in_a_subprocess_exits_2_before_any_request(
    label, argv, match, subprocess_results, tally
):
    tally.add("python -m hfspace_sdk", f"cli: {label}")
    code, out, err, seen = subprocess_results[label]
    assert seen == [], seen
    _check_output(code, out, err, match)
