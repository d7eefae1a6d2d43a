"""examples/notebook.ipynb, executed cell by cell in a Jupyter kernel by nbclient."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

pytestmark = pytest.mark.e2e

NOTEBOOK = Path(__file__).resolve().parents[2] / "examples" / "notebook.ipynb"


def outputs_of(cell) -> tuple[str, str]:
    """A code cell's text (streams and text/plain) and its HTML, each joined into one string."""
    texts, htmls = [], []
    for output in cell.get("outputs", []):
        assert output.output_type != "error", "".join(output.get("traceback", []))
        if output.output_type == "stream":
            texts.append(output.text)
        data = output.get("data", {})
        texts.append(data.get("text/plain", ""))
        htmls.append(data.get("text/html", ""))
    return "".join(texts), "".join(htmls)


def test_is_committed_without_outputs():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source


def test_runs_shows_the_image_and_the_answer(example_env, tmp_path):
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    # Not part of the example: prove the kernel runs this interpreter (and so this venv).
    notebook.cells.insert(0, nbformat.v4.new_code_cell("import sys; print(sys.prefix)"))
    client = NotebookClient(
        notebook,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},  # the kernel's working directory
    )
    client.execute(env={**os.environ, **example_env})  # raises CellExecutionError on any error

    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    results = [outputs_of(cell) for cell in code]
    texts = "".join(text for text, _ in results)
    assert results[0][0].strip() == sys.prefix
    # The image cell ends with the image, displayed through its _repr_html_ (embedded bytes).
    assert '<img src="data:image/webp;base64,' in results[2][1]
    # The stream cell printed every status and ended showing the final image.
    assert "Using 1 GPU" in results[3][0]
    assert "Sampling 27/28" in results[3][0]
    assert results[3][0].rstrip().endswith("Finished")
    assert '<img src="http://127.0.0.1:' in results[3][1]
    # Janus saw the 16:9 picture.
    assert (
        "Janus look-alike answer to: What animal is in this picture, and what is it doing? "
        "[image 1024x576]"
    ) in texts
    # The edit cell shows the fox edited (the look-alike mirrors it): same size, other pixels.
    fox, edited = embedded_image(results[2][1]), embedded_image(results[5][1])
    assert edited.size == fox.size == (1024, 576)
    assert edited.tobytes() != fox.tobytes()


def embedded_image(html: str):
    """The picture an ``<img src="data:...;base64,...">`` output embeds."""
    import base64
    import io
    import re

    from PIL import Image

    match = re.search(r'src="data:image/\w+;base64,([^"]+)"', html)
    assert match is not None, html[:200]
    picture = Image.open(io.BytesIO(base64.b64decode(match.group(1))))
    picture.load()
    return picture.convert("RGB")
