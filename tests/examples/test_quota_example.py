"""The "Quota and queue status" README example, run as a user runs it: the fake hub answers the
quota (``HF_ENDPOINT``), the FLUX.1-schnell look-alike its queue status (``HFSPACE_SPACE_URLS``)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]


def readme_example() -> str:
    """The Python block of the README's "Quota and queue status" section."""
    section = (ROOT / "README.md").read_text().split("\n## Quota and queue status\n", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert match is not None
    return match.group(1)


def test_the_readme_example_runs(example_env: dict[str, str], tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", readme_example()],
        env={**os.environ, **example_env, "HF_TOKEN": "hf_readme_example"},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.splitlines() == [
        "1810 of 2400 s left, resets at 2026-12-06 00:00:00+00:00",
        "0 jobs in the queue, wait estimate None s",
    ]


def test_without_a_token_the_example_stops_before_sending(
    example_env: dict[str, str], tmp_path: Path
) -> None:
    result = subprocess.run(
        [sys.executable, "-c", readme_example()],
        env={**os.environ, **example_env},  # HF_TOKEN blanked
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 1
    assert "MissingAuthError: The ZeroGPU quota needs an HF token" in result.stderr
