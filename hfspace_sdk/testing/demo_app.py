"""The ``demo`` look-alike: a made-up Space, ``hfspace-sdk/demo``, with one endpoint per kind.

It impersonates no real Space: it is for a generic client that calls any endpoint by
``api_name``. Every answer is a pure function of the inputs, so tests can check it. Defaults
are the components' values (what ``/info`` reports as ``parameter_default``):

====  ===============  ==============================  =======================================
fn    api_name         inputs (component = default)    outputs
====  ===============  ==============================  =======================================
0     ``echo``         text (Textbox)                  text, unchanged (no work at all)
1     ``repeat``       text (Textbox), times (Slider   ``" ".join([text] * times)``, upper-case
                       1..5 = 2), shout (Checkbox =    with ``shout``
                       False)
2     ``mirror``       image (Image, PIL)              the image mirrored left-right (PNG)
3     ``count``        text (Textbox), steps (Slider   generator: ``"{text} {i}/{steps}"`` for
                       1..10 = 3)                      i = 1..steps; progress ``(i - 1, steps)``
                                                       "Counting" before each
4     ``analyze``      text (Textbox), seed (Number    ``text.upper()`` (Textbox), ``len(text)``
                       = 7, precision 0)               (Number), ``render_image(seed, text,
                                                       64, 48)`` (Image, PNG)
5     ``gallery``      prompt (Textbox), count         Gallery of ``count`` PNGs
                       (Slider 1..4 = 3)               ``render_image(k, prompt, 64, 64)``,
                                                       captions ``"{prompt} #{k}"``, k = 1..count
6     ``write_file``   text (Textbox)                  File ``summary.json``: ``{"length",
                                                       "sha256", "text"}`` (sha256 of UTF-8 text)
7     ``file_info``    file (File, a path)             ``"{name}: {size} bytes, sha256 {hex}"``
8     ``fail``         text (Textbox)                  raises ``gr.Error(DEMO_ERROR)``
                                                       (``failures.DEMO_ERROR``)
9     ``reverse``      text (Textbox)                  ``text[::-1]``; undocumented (not in
                                                       ``/info``, still callable)
10    (none)           (none)                          ``""``; ``api_name=False`` (private)
====  ===============  ==============================  =======================================

Text inputs have no default (``/info``: ``parameter_has_default`` false); the others do. Each
endpoint is the click of its own button: fn ``i`` has the targets ``[[20 + i, "click"]]``. On
gradio 6 the private endpoint's ``api_name`` is ``"false"`` (``api_visibility`` ``"private"``)
and ``/call/false`` still runs it; on gradio 4 its ``api_name`` is ``false`` and only the queue,
by ``fn_index``, runs it. The server-wide ``fail`` option and the failure
tokens in a text input (``[[error]]``...) make any endpoint but ``fail`` and the private one
fail as the FLUX look-alikes do; ``compute_seconds`` is slept once per call (``count`` spreads
it over its steps), and nothing else is: ``echo`` costs what gradio costs.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Iterator
from typing import Any, Optional

import gradio as gr
from PIL import Image, ImageOps

from .app_parts import as_int, clamp, hidden_api, private_api
from .failures import DEMO_ERROR, check_failure, gradio_error
from .images import render_image
from .options import AppOptions, step_pauses

__all__ = ["COUNT_DESC", "SUMMARY_NAME", "build_demo", "file_summary"]

#: The progress description of the ``count`` generator.
COUNT_DESC = "Counting"
#: The file name of the ``write_file`` endpoint's output.
SUMMARY_NAME = "summary.json"
_ANALYZE_SIZE = (64, 48)
_GALLERY_SIZE = 64


def file_summary(text: str) -> bytes:
    """The content of ``write_file``'s ``summary.json`` for ``text``."""
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    summary = {"length": len(text), "sha256": digest, "text": text}
    return json.dumps(summary, sort_keys=True, ensure_ascii=False).encode("utf-8")


def _write_summary(text: str) -> str:
    """Write ``summary.json`` where gradio may serve it from (the system's temp directory).

    One directory per content, so concurrent calls never share a half-written file and the
    number of files is bounded by the number of distinct inputs (as gradio's own cache is).
    """
    content = file_summary(text)
    folder = os.path.join(
        tempfile.gettempdir(), "hfspace-lookalike-demo", hashlib.sha256(content).hexdigest()
    )
    path = os.path.join(folder, SUMMARY_NAME)
    if not os.path.exists(path):
        os.makedirs(folder, exist_ok=True)
        partial = f"{path}.{os.getpid()}.{time.monotonic_ns()}"
        with open(partial, "wb") as handle:
            handle.write(content)
        os.replace(partial, path)
    return path


def _describe_file(path: Optional[str]) -> str:
    if not path:
        return "no file"
    with open(path, "rb") as handle:
        content = handle.read()
    digest = hashlib.sha256(content).hexdigest()
    return f"{os.path.basename(path)}: {len(content)} bytes, sha256 {digest}"


def build_demo(options: AppOptions) -> Any:
    """The ``demo`` look-alike (see the module docstring for its endpoints)."""

    def compute(text: Optional[str]) -> None:
        check_failure(text, options.fail)
        if options.compute_seconds:
            time.sleep(options.compute_seconds)

    async def echo(text: str) -> str:
        # A coroutine: gradio awaits it on its event loop instead of handing a sync function
        # to a worker thread, so a call costs only gradio's own work.
        check_failure(text, options.fail)  # (two comparisons when nothing is asked for)
        if options.compute_seconds:
            await asyncio.sleep(options.compute_seconds)
        return text

    def repeat(text: str, times: int = 2, shout: bool = False) -> str:
        compute(text)
        joined = " ".join([text or ""] * clamp(as_int(times, 2), 1, 5))
        return joined.upper() if shout else joined

    def mirror(image: Optional[Image.Image]) -> Optional[Image.Image]:
        compute(None)
        return None if image is None else ImageOps.mirror(image)

    def count(
        text: str,
        steps: int = 3,
        progress: Any = gr.Progress(),  # noqa: B008 - gradio's idiom
    ) -> Iterator[str]:
        check_failure(text, options.fail)
        total = clamp(as_int(steps, 3), 1, 10)
        for i, pause in enumerate(step_pauses(options, total)):
            progress((i, total), desc=COUNT_DESC)
            if pause:
                time.sleep(pause)
            yield f"{text or ''} {i + 1}/{total}"

    def analyze(text: str, seed: float = 7) -> tuple[str, int, Image.Image]:
        compute(text)
        text = text or ""
        return text.upper(), len(text), render_image(as_int(seed, 7), text, *_ANALYZE_SIZE)

    def gallery(prompt: str, count: int = 3) -> list[tuple[Image.Image, str]]:
        compute(prompt)
        prompt = prompt or ""
        return [
            (render_image(k, prompt, _GALLERY_SIZE, _GALLERY_SIZE), f"{prompt} #{k}")
            for k in range(1, clamp(as_int(count, 3), 1, 4) + 1)
        ]

    def write_file(text: str) -> str:
        compute(text)
        return _write_summary(text or "")

    def file_info(file: Optional[str]) -> str:
        compute(None)
        return _describe_file(file)

    def fail(text: str) -> str:
        raise gradio_error(DEMO_ERROR)

    def reverse(text: str) -> str:
        compute(text)
        return (text or "")[::-1]

    def clear() -> str:
        return ""

    with gr.Blocks(title="hfspace-sdk demo look-alike", analytics_enabled=False) as demo:
        gr.Markdown("# hfspace-sdk demo\nOne endpoint of each kind, for generic clients.")
        text = gr.Textbox(label="Text")
        answer = gr.Textbox(label="Answer")
        with gr.Row():
            times = gr.Slider(label="Times", minimum=1, maximum=5, step=1, value=2)
            shout = gr.Checkbox(label="Shout", value=False)
            steps = gr.Slider(label="Steps", minimum=1, maximum=10, step=1, value=3)
            seed = gr.Number(label="Seed", value=7, precision=0)
            count_slider = gr.Slider(label="Images", minimum=1, maximum=4, step=1, value=3)
        with gr.Row():
            image_in = gr.Image(label="Image", type="pil")
            image_out = gr.Image(label="Mirrored", format="png")
            length = gr.Number(label="Length", precision=0)
            images = gr.Gallery(label="Gallery", format="png")
        with gr.Row():
            file_in = gr.File(label="File in", type="filepath")
            file_out = gr.File(label="File out")
        buttons = {
            name: gr.Button(name)
            for name in (
                "echo", "repeat", "mirror", "count", "analyze", "gallery", "write_file",
                "file_info", "fail", "reverse", "clear",
            )
        }  # fmt: skip
        # fn i is the click of the i-th button, in this order (see the module docstring).
        buttons["echo"].click(echo, [text], [answer], api_name="echo")
        buttons["repeat"].click(repeat, [text, times, shout], [answer], api_name="repeat")
        buttons["mirror"].click(mirror, [image_in], [image_out], api_name="mirror")
        buttons["count"].click(count, [text, steps], [answer], api_name="count")
        buttons["analyze"].click(
            analyze, [text, seed], [answer, length, image_out], api_name="analyze"
        )
        buttons["gallery"].click(gallery, [text, count_slider], [images], api_name="gallery")
        buttons["write_file"].click(write_file, [text], [file_out], api_name="write_file")
        buttons["file_info"].click(file_info, [file_in], [answer], api_name="file_info")
        buttons["fail"].click(fail, [text], [answer], api_name="fail")
        buttons["reverse"].click(reverse, [text], [answer], api_name="reverse", **hidden_api())
        buttons["clear"].click(clear, None, [answer], **private_api())
    return demo
