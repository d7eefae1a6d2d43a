"""The "Sleeping, paused and broken Spaces" README examples and ``examples/sleeping_space.py``,
run as a user runs them: a fake hub scripts the Space's stage, a front answers for the Space as
``*.hf.space`` does, and the FLUX.1-dev look-alike runs behind it."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from example_runs import run_example

from hfspace_sdk.config import parse_space_urls
from hfspace_sdk.testing import FakeHub, ScriptedSpace, serve_hub, serve_space_front

pytestmark = [pytest.mark.e2e, pytest.mark.gradio]

ROOT = Path(__file__).resolve().parents[2]
SPACE = "roxky/FLUX.1-dev"


def readme_examples() -> list[str]:
    """The Python blocks of the README's section on sleeping Spaces."""
    text = (ROOT / "README.md").read_text()
    section = text.split("\n## Sleeping, paused and broken Spaces\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, re.DOTALL)


def run(code: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_example(code, env, cwd)


@pytest.fixture
def hub() -> Iterator[FakeHub]:
    with serve_hub() as fake_hub:
        yield fake_hub


@pytest.fixture
def sleeping(hub: FakeHub, example_env: dict[str, str]) -> Iterator[tuple[ScriptedSpace, dict]]:
    """roxky/FLUX.1-dev asleep behind a front; the environment that sends the SDK there."""
    lookalike = parse_space_urls(example_env["HFSPACE_SPACE_URLS"])["black-forest-labs/FLUX.1-dev"]
    space = hub.add_space(SPACE, "SLEEPING", start_seconds=2)
    with serve_space_front(space, lookalike) as front:
        yield (
            space,
            {
                **example_env,
                "HF_ENDPOINT": hub.url,
                "HFSPACE_SPACE_URLS": f"{SPACE}={front.url}",
            },
        )


def test_the_readme_example_shows_the_stages_and_then_the_advice(
    sleeping: tuple[ScriptedSpace, dict], tmp_path: Path
) -> None:
    space, env = sleeping
    example = readme_examples()[0]
    woken = run(["-c", example], env, tmp_path)
    assert woken.returncode == 0, woken.stderr[-2000:]
    assert woken.stdout.splitlines() == [
        f"Waking up {SPACE} (SLEEPING)",
        f"Waiting for the start of {SPACE} (APP_STARTING)",
        f"{SPACE} is running (RUNNING)",
    ]
    space.set_stage("PAUSED")
    paused = run(["-c", example], env, tmp_path)
    assert paused.returncode == 0, paused.stderr[-2000:]
    assert paused.stdout.startswith(f"{SPACE} cannot run now (PAUSED): {SPACE} is paused")


def test_the_readme_testing_example_runs(example_env: dict[str, str], tmp_path: Path) -> None:
    result = run(["-c", readme_examples()[1]], example_env, tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert re.fullmatch(r"RUNNING 1 \['http://127\.0\.0\.1:\d+/\S+'\]\n", result.stdout), (
        result.stdout
    )


def test_the_sleeping_space_example_runs(example_env: dict[str, str], tmp_path: Path) -> None:
    result = run([str(ROOT / "examples" / "sleeping_space.py"), "a fox"], example_env, tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.splitlines()
    assert lines[:3] == [
        f"status: Waking up {SPACE} (SLEEPING)",
        f"status: Waiting for the start of {SPACE} (APP_STARTING)",
        f"status: {SPACE} is running (RUNNING)",
    ]
    assert lines[3].startswith("image: http://127.0.0.1:")
    assert lines[4].startswith(f"not running: PAUSED: {SPACE} is paused by its owner")
    assert len(lines) == 5
