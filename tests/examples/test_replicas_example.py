"""The README's replica examples, run with their placeholder URLs pointing at a local FLUX.1-dev
look-alike: as ``127.0.0.1`` and as ``localhost``, two base URLs and so two replicas."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from example_runs import run_example

from hfspace_sdk.config import parse_space_urls

pytestmark = [pytest.mark.e2e, pytest.mark.gradio]

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDERS = ("https://you-flux-a.hf.space", "https://you-flux-b.hf.space")


def section_blocks(language: str) -> list[str]:
    text = (ROOT / "README.md").read_text()
    section = re.split(r"\n##+ ", text.split("\n### Replicas\n", 1)[1], maxsplit=1)[0]
    return re.findall(rf"```{language}\n(.*?)```", section, re.DOTALL)


def local(text: str, lookalike: str) -> str:
    """The example with its replicas on the look-alike (two spellings of its address)."""
    port = lookalike.rsplit(":", 1)[1]
    text = text.replace(PLACEHOLDERS[0], f"http://127.0.0.1:{port}")
    text = text.replace(PLACEHOLDERS[1], f"http://localhost:{port}")
    return text.replace("https://you-flux-c.hf.space", f"http://localhost:{port}")


def flux_dev(example_env: dict[str, str]) -> str:
    return str(parse_space_urls(example_env["HFSPACE_SPACE_URLS"])["black-forest-labs/FLUX.1-dev"])


def test_the_python_example_runs_on_two_replicas(
    example_env: dict[str, str], tmp_path: Path
) -> None:
    lookalike = flux_dev(example_env)
    (code,) = section_blocks("python")
    result = run_example(["-c", local(code, lookalike)], example_env, tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    port = lookalike.rsplit(":", 1)[1]
    assert re.fullmatch(rf"http://(127\.0\.0\.1|localhost):{port}/\S+\n", result.stdout)


def test_the_shell_example_runs(example_env: dict[str, str], tmp_path: Path) -> None:
    lookalike = flux_dev(example_env)
    (script,) = section_blocks("bash")
    hfspace = Path(sys.executable).with_name("hfspace")
    script = local(script, lookalike).replace("hfspace generate", f"{hfspace} generate")
    result = run_example(
        ["-euo", "pipefail", "-c", script], example_env, tmp_path, program=["bash"]
    )
    assert result.returncode == 0, result.stderr[-2000:]
    port = lookalike.rsplit(":", 1)[1]
    assert f"http://localhost:{port}/" in result.stdout  # the --space-url replica served it
