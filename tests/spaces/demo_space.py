"""A stand-in for the ``demo`` look-alike Space, run as a script: ``python demo_space.py``.

The ``demo`` look-alike (``hfspace_sdk.testing``, Space id ``hfspace-sdk/demo``) is being built
on another branch; until it merges, the generic-client tests serve this copy of its endpoints
(same api names, inputs, defaults and answers). It prints ``READY {"demo": URL}`` on stdout and
serves until its stdin closes. Delete it once ``serve_space("demo")`` exists (the fixture in
``conftest.py`` already prefers it).

====  ==============  =============================  ==========================================
fn    api_name        inputs (component = default)   outputs
====  ==============  =============================  ==========================================
0     ``echo``        text                           text
1     ``repeat``      text, times (Slider 1..5 = 2), ``" ".join([text] * times)`` (upper with
                      shout (Checkbox = False)       shout)
2     ``mirror``      image (Image, PIL)             the image mirrored left-right (PNG)
3     ``count``       text, steps (Slider 1..10 =3)  generator ``"{text} {i}/{steps}"``, progress
4     ``analyze``     text, seed (Number = 7)        upper text, length, image (PNG)
5     ``gallery``     text, count (Slider 1..4 = 3)  Gallery of ``count`` PNGs
6     ``write_file``  text                           File ``summary.json``
7     ``file_info``   file (File, path)              ``"{name}: {size} bytes, sha256 {hex}"``
8     ``fail``        text                           raises ``gr.Error(DEMO_ERROR)``
9     ``reverse``     text                           ``text[::-1]``, undocumented
10    (none)          (none)                         private
====  ==============  =============================  ==========================================
"""

from __future__ import annotations

import hashlib
import inspect
import json
import os
import sys
import tempfile
import time
from typing import Any

DEMO_ERROR = "The demo Space's fail endpoint always fails"
COUNT_DESC = "Counting"
SUMMARY_NAME = "summary.json"


def file_summary(text: str) -> bytes:
    """The content of ``write_file``'s ``summary.json`` for ``text``."""
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    summary = {"length": len(text), "sha256": digest, "text": text}
    return json.dumps(summary, sort_keys=True, ensure_ascii=False).encode("utf-8")


def _clamp(value: Any, default: int, low: int, high: int) -> int:
    number = default if value in (None, "") else round(float(value))
    return max(low, min(high, number))


def build_demo() -> Any:
    import gradio as gr
    from PIL import ImageOps

    from hfspace_sdk.testing.images import render_image

    def hidden() -> dict[str, Any]:
        if "api_visibility" in inspect.signature(gr.on).parameters:
            return {"api_visibility": "undocumented"}
        return {"show_api": False}

    def error(message: str) -> Exception:
        params = inspect.signature(gr.Error.__init__).parameters
        return gr.Error(
            message, **({"print_exception": False} if "print_exception" in params else {})
        )

    def echo(text: str) -> str:
        return text

    def repeat(text: str, times: int = 2, shout: bool = False) -> str:
        joined = " ".join([text or ""] * _clamp(times, 2, 1, 5))
        return joined.upper() if shout else joined

    def mirror(image: Any) -> Any:
        return None if image is None else ImageOps.mirror(image)

    def count(text: str, steps: int = 3, progress: Any = gr.Progress()) -> Any:  # noqa: B008
        total = _clamp(steps, 3, 1, 10)
        for i in range(total):
            progress((i, total), desc=COUNT_DESC)
            time.sleep(0.12 if i == 0 else 0.02)
            yield f"{text or ''} {i + 1}/{total}"

    def analyze(text: str, seed: float = 7) -> tuple[str, int, Any]:
        text = text or ""
        return text.upper(), len(text), render_image(_clamp(seed, 7, 0, 2**31), text, 64, 48)

    def gallery(prompt: str, count: int = 3) -> list[tuple[Any, str]]:
        prompt = prompt or ""
        return [
            (render_image(k, prompt, 64, 64), f"{prompt} #{k}")
            for k in range(1, _clamp(count, 3, 1, 4) + 1)
        ]

    def write_file(text: str) -> str:
        content = file_summary(text or "")
        folder = os.path.join(
            tempfile.gettempdir(), "hfspace-demo-stand-in", hashlib.sha256(content).hexdigest()
        )
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, SUMMARY_NAME)
        with open(path, "wb") as handle:
            handle.write(content)
        return path

    def file_info(file: Any) -> str:
        if not file:
            return "no file"
        with open(file, "rb") as handle:
            content = handle.read()
        digest = hashlib.sha256(content).hexdigest()
        return f"{os.path.basename(file)}: {len(content)} bytes, sha256 {digest}"

    def fail(text: str) -> str:
        raise error(DEMO_ERROR)

    def reverse(text: str) -> str:
        return (text or "")[::-1]

    def clear() -> str:
        return ""

    with gr.Blocks(title="demo stand-in", analytics_enabled=False) as demo:
        text = gr.Textbox(label="Text")
        answer = gr.Textbox(label="Answer")
        times = gr.Slider(label="Times", minimum=1, maximum=5, step=1, value=2)
        shout = gr.Checkbox(label="Shout", value=False)
        steps = gr.Slider(label="Steps", minimum=1, maximum=10, step=1, value=3)
        seed = gr.Number(label="Seed", value=7, precision=0)
        count_slider = gr.Slider(label="Images", minimum=1, maximum=4, step=1, value=3)
        image_in = gr.Image(label="Image", type="pil")
        image_out = gr.Image(label="Mirrored", format="png")
        length = gr.Number(label="Length", precision=0)
        images = gr.Gallery(label="Gallery", format="png")
        file_in = gr.File(label="File in", type="filepath")
        file_out = gr.File(label="File out")
        names = ("echo", "repeat", "mirror", "count", "analyze", "gallery", "write_file",
                 "file_info", "fail", "reverse", "clear")  # fmt: skip
        buttons = {name: gr.Button(name) for name in names}
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
        buttons["reverse"].click(reverse, [text], [answer], api_name="reverse", **hidden())
        buttons["clear"].click(clear, None, [answer], api_name=False)
    return demo


def main() -> int:
    from hfspace_sdk.testing.server import configure_environment

    configure_environment()
    demo = build_demo()
    demo.queue(api_open=False)
    launch = {"server_name": "127.0.0.1", "server_port": None, "prevent_thread_lock": True,
              "quiet": True, "show_error": False, "ssr_mode": False}  # fmt: skip
    supported = inspect.signature(demo.launch).parameters
    demo.launch(**{key: value for key, value in launch.items() if key in supported})
    sys.stdout.write("READY " + json.dumps({"demo": demo.local_url.rstrip("/")}) + "\n")
    sys.stdout.flush()
    while sys.stdin.buffer.read(4096):
        pass
    demo.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
