"""The examples run as a user would run them, offline against local look-alike Spaces."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.mark.e2e
@pytest.mark.gradio  # --offline starts look-alike Spaces
def test_providers_example_runs_offline():
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / "providers.py"), "--offline", "a red fox"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Finished" in result.stdout
    assert "image: http://127.0.0.1:" in result.stdout
    assert "Janus, follow-up: Janus look-alike answer to: Say it shorter." in result.stdout
