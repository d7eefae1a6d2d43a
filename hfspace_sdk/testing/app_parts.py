"""What the look-alike apps share: the real Spaces' limits and texts, and small gradio helpers."""

from __future__ import annotations

import inspect
import random
from typing import Any

import gradio as gr
from PIL import Image

from .images import render_image

FLUX_MAX_SEED = 2147483647  # np.iinfo(np.int32).max, as in the FLUX Spaces
G4F_MAX_SEED = 4294967295  # 2**32 - 1: the SDK draws seeds up to this
FLUX_MAX_SIZE = 2048
#: Safety net for gradio 4, which does not enforce slider bounds: larger sizes are clamped.
RENDER_MAX_SIZE = 4096
JANUS_IMAGE_SIZE = 768
JANUS_IMAGE_COUNT = 5
GPU_INFO = "Using 1 GPU"
PROGRESS_DESC = "Sampling"


def hidden_api() -> dict[str, Any]:
    """Keyword arguments that keep an event out of the documented API, on any gradio version."""
    params = inspect.signature(gr.on).parameters  # (an instance would join the layout)
    if "api_visibility" in params:  # gradio 6
        return {"api_visibility": "undocumented"}
    return {"show_api": False}  # gradio 4 and 5


def private_api() -> dict[str, Any]:
    """Keyword arguments that make an event private (not in the API, not callable by name).

    ``api_name=False`` is what Spaces written for gradio 4 and 5 use; gradio 6 still takes it
    (it types ``api_name`` as ``str | None``, hence the dict) and makes the event private.
    """
    return {"api_name": False}


def prompt_examples(prompts: list[str], inputs: Any) -> Any:
    """``gr.Examples`` without caching (it registers exactly one ``load_example`` event)."""
    return gr.Examples(examples=[[p] for p in prompts], inputs=inputs, cache_examples=False)


def wire_cached_example(examples: Any, prompt: Any, result: Any, seed: Any) -> None:
    """The real Spaces' lazily cached example outputs: one hidden ``load_cached_example`` event
    after ``examples``' own (it takes the next fn_index)."""

    def load_cached_example(text: str) -> tuple[Image.Image, int]:
        return render_image(0, text or "", 512, 512), 0

    examples.load_input_event.then(
        fn=load_cached_example,
        inputs=[prompt],
        outputs=[result, seed],
        api_name="load_cached_example",
        **hidden_api(),
    )


def as_int(value: Any, default: int) -> int:
    if value is None or value == "":
        return default
    return round(float(value))


def clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


def seed_and_size(
    seed: Any, randomize_seed: Any, width: Any, height: Any, *, max_seed: int = FLUX_MAX_SEED
) -> tuple[int, int, int]:
    """One render's seed (drawn up to ``max_seed`` when asked) and size (clamped), read from the
    sliders' values as the FLUX-like Spaces read them."""
    drawn = random.randint(0, max_seed) if randomize_seed else as_int(seed, 42)
    w = clamp(as_int(width, 1024), 1, RENDER_MAX_SIZE)
    h = clamp(as_int(height, 1024), 1, RENDER_MAX_SIZE)
    return drawn, w, h
