"""Running an example as a user runs it: a fresh interpreter, the examples' environment."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

#: The longest an example may run (a look-alike generation takes a second or two).
TIMEOUT = 300


def run_example(
    args: Sequence[str], env: Mapping[str, str], cwd: Path, *, program: Sequence[str] = ()
) -> subprocess.CompletedProcess[str]:
    """``python ARGS`` (or ``PROGRAM ARGS``) with ``env`` over this process's environment."""
    return subprocess.run(
        [*(program or [sys.executable]), *args],
        env={**os.environ, **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
