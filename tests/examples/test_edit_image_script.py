"""examples/edit_image.py and the README's "Editing images" example, run as a user runs them."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from example_runs import run_example
from PIL import Image as PILImage

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "examples" / "edit_image.py"


def run(env: dict[str, str], cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_example(args, env, cwd)


def photo(path: Path) -> Path:
    """Red on the left, blue on the right (the look-alike's edit mirrors it)."""
    picture = PILImage.new("RGB", (64, 40), (255, 0, 0))
    picture.paste((0, 0, 255), (32, 0, 64, 40))
    picture.save(path)
    return path


def test_the_script_saves_the_edited_image(example_env, tmp_path):
    source, output = photo(tmp_path / "photo.png"), tmp_path / "snowy.png"
    result = run(
        example_env, tmp_path, str(SCRIPT), str(source), "make it snowy", "-o", str(output),
        "--seed", "4", "--steps", "2",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == f"saved {output}"
    with PILImage.open(output) as edited:
        assert edited.format == "PNG" and edited.size == (64, 40)
        left = edited.convert("RGB").getpixel((5, 20))
    assert left[2] > left[0]  # mirrored: the blue half is now on the left


def test_the_script_refuses_a_file_that_is_not_an_image(example_env, tmp_path):
    notes = tmp_path / "notes.png"
    notes.write_text("not a picture")
    result = run(example_env, tmp_path, str(SCRIPT), str(notes), "make it snowy")
    assert result.returncode == 1
    assert "error: The file is not an image" in result.stderr
    assert "Traceback" not in result.stderr


def readme_example() -> str:
    """The Python block of the README's "Editing images" section."""
    section = (ROOT / "README.md").read_text().split("\n### Editing images\n", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert match is not None
    return match.group(1)


def test_the_readme_example_runs(example_env, tmp_path):
    result = run(example_env, tmp_path, "-c", readme_example())
    assert result.returncode == 0, result.stderr[-2000:]
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/\S+\n", result.stdout)
    with PILImage.open(tmp_path / "snowy-fox.png") as edited:
        assert edited.format == "PNG" and edited.size == (512, 512)
