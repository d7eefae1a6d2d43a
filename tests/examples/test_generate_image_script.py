"""examples/generate_image.py, run as a user runs it: a subprocess configured by environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

SCRIPT = Path(__file__).resolve().parents[2] / "examples" / "generate_image.py"


def run_script(env: dict[str, str], cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        env={**os.environ, **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_saves_the_image_at_the_requested_size(example_env, tmp_path, image_size):
    output = tmp_path / "fox.webp"
    result = run_script(
        example_env,
        tmp_path,
        "a red fox",
        "-o",
        str(output),
        "--model",
        "flux-dev",
        "--size",
        "512x384",
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert image_size(output.read_bytes()) == (512, 384)
    assert f"saved {output}" in result.stdout
    assert "Finished" in result.stderr  # the progress bar's last status


def test_names_the_file_after_the_prompt_by_default(example_env, tmp_path, image_size):
    result = run_script(example_env, tmp_path, "a red fox")
    assert result.returncode == 0, result.stderr[-2000:]
    assert [path.name for path in tmp_path.iterdir()] == ["a-red-fox.webp"]
    assert image_size((tmp_path / "a-red-fox.webp").read_bytes()) == (1024, 1024)


def test_a_failing_space_exits_1_with_its_message(example_env, tmp_path):
    result = run_script(example_env, tmp_path, "a red fox [[error]]", "--model", "flux-dev")
    assert result.returncode == 1
    assert "error: " in result.stderr
    assert "The look-alike Space failed on purpose" in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_model_exits_1_naming_the_models(example_env, tmp_path):
    result = run_script(example_env, tmp_path, "a red fox", "--model", "flux-pro")
    assert result.returncode == 1
    assert "Model 'flux-pro' not found" in result.stderr
    assert "flux-dev" in result.stderr
    assert "Traceback" not in result.stderr
