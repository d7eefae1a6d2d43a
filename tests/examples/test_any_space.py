"""The "Any Space" README example and examples/any_space.py, run as a user runs them, against
the local look-alike of FLUX.1-schnell (HFSPACE_SPACE_URLS)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "examples" / "any_space.py"
FLUX = "black-forest-labs/FLUX.1-schnell"


def readme_example() -> str:
    """The first Python block of the README's "Any Space" section."""
    section = (ROOT / "README.md").read_text().split("\n## Any Space\n", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert match is not None
    return match.group(1)


def run(env: dict[str, str], cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        env={**os.environ, **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def test_the_readme_example_runs(example_env, tmp_path, image_size):
    result = run(example_env, tmp_path, "-c", readme_example())
    assert result.returncode == 0, result.stderr[-2000:]
    assert "/infer [('prompt', 'str', None), ('seed', " in result.stdout
    assert "Reasoning(status=" in result.stdout
    assert image_size((tmp_path / "fox.webp").read_bytes()) == (512, 384)


def test_the_script_lists_the_endpoints(example_env, tmp_path):
    result = run(example_env, tmp_path, str(SCRIPT), FLUX)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "/infer(prompt: str, seed: float = 0, " in result.stdout


def test_the_script_calls_an_endpoint_and_saves_the_image(example_env, tmp_path, image_size):
    result = run(
        example_env, tmp_path, str(SCRIPT), FLUX, "/infer", "a red fox", "width=256", "-o", "out"
    )
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.splitlines()
    assert lines[0] == "saved out/output-1.webp" and lines[1].isdigit()
    assert image_size((tmp_path / "out" / "output-1.webp").read_bytes()) == (256, 1024)
    assert "Running" in result.stderr


def test_the_script_reports_a_bad_call(example_env, tmp_path):
    result = run(example_env, tmp_path, str(SCRIPT), FLUX, "/infer", "steps=3")
    assert result.returncode == 1
    assert "error: /infer has no parameter 'steps'" in result.stderr
    assert "Traceback" not in result.stderr
