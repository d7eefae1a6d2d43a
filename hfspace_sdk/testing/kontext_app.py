"""The FLUX.1-Kontext-dev look-alike: edits an uploaded image with an instruction.

Its layout and event order copy ``black-forest-labs/FLUX.1-Kontext-Dev`` as g4f calls it
(``fn_index`` 2, ``trigger_id`` 7)::

    ====  ===================================  ===============================================
    fn    dependency                           triggers
    ====  ===================================  ===============================================
    0     examples (load into the prompt)      the examples dataset
    1     lazily cached example (hidden)       after fn 0
    2     ``infer`` (api ``/infer``)           ``[8, "click"], [7, "submit"]``
    3     ``reuse`` the result as input        ``[17, "click"]`` (hidden)
    ====  ===================================  ===============================================

``infer(input_image, prompt, seed=42, randomize_seed=False, guidance_scale=2.5, steps=28)``
returns ``(image, seed, reuse_button)`` as the real Space does. The edit is visible and
deterministic (:func:`kontext_edit`): the uploaded picture mirrored left to right and tinted
with a colour drawn from the seed and the prompt, at the upload's size. A test can so tell that
the edit was applied to *its* image. Without an image it draws from the prompt alone, as the
real Space does.
"""

from __future__ import annotations

import random
import time
from typing import Any, Optional

import gradio as gr
import numpy as np
from PIL import Image, ImageOps

from .app_parts import (
    FLUX_MAX_SEED,
    GPU_INFO,
    PROGRESS_DESC,
    as_int,
    hidden_api,
    prompt_examples,
    wire_cached_example,
)
from .failures import check_failure
from .images import image_digest, render_image
from .options import AppOptions, step_pauses

__all__ = ["KONTEXT_TINT_WEIGHT", "build_flux_kontext", "kontext_edit", "kontext_tint"]

#: How much of the tint colour goes into each edited pixel (the rest is the mirrored input).
KONTEXT_TINT_WEIGHT = 0.25


def kontext_tint(seed: int, prompt: str) -> tuple[int, int, int]:
    """The colour an edit blends in, from the seed and the instruction."""
    digest = image_digest(seed, prompt, variant=7)
    return digest[0], digest[1], digest[2]


def kontext_edit(image: Image.Image, seed: int, prompt: str) -> Image.Image:
    """The look-alike's edit: ``image`` mirrored left to right, tinted by the instruction.

    Pure and deterministic, so tests can compute the expected picture from what they uploaded.
    """
    mirrored = np.asarray(ImageOps.mirror(image.convert("RGB")), dtype=np.float32)
    tint = np.array(kontext_tint(seed, prompt), dtype=np.float32)
    blended = mirrored * (1 - KONTEXT_TINT_WEIGHT) + tint * KONTEXT_TINT_WEIGHT
    return Image.fromarray(np.clip(np.rint(blended), 0, 255).astype(np.uint8))


def build_flux_kontext(options: AppOptions) -> Any:
    """Look-alike of ``black-forest-labs/FLUX.1-Kontext-Dev``: ``infer`` is fn 2, trigger 7."""

    def infer(
        input_image: Optional[Image.Image],
        prompt: str,
        seed: int = 42,
        randomize_seed: bool = False,
        guidance_scale: float = 2.5,
        steps: int = 28,
        progress: Any = gr.Progress(track_tqdm=True),  # noqa: B008 - gradio's idiom
    ) -> tuple[Image.Image, int, Any]:
        check_failure(prompt, options.fail)
        gr.Info(GPU_INFO)
        seed = random.randint(0, FLUX_MAX_SEED) if randomize_seed else as_int(seed, 42)
        total = max(1, as_int(steps, 28))
        for i, pause in enumerate(step_pauses(options, total)):
            progress((i, total), desc=PROGRESS_DESC)
            if pause:
                time.sleep(pause)
        text = prompt or ""
        edited = (
            kontext_edit(input_image, seed, text)
            if input_image is not None
            else render_image(seed, text, 1024, 1024)
        )
        return edited, seed, gr.update(visible=True)

    with gr.Blocks(title="FLUX.1 Kontext [dev] look-alike", analytics_enabled=False) as demo:
        with gr.Column(elem_id="col-container"):  # 1
            gr.Markdown("# FLUX.1 Kontext [dev]\nA local look-alike of the Hugging Face Space.")
            with gr.Row():  # 3
                with gr.Column():  # 4
                    input_image = gr.Image(  # 5
                        label="Upload the image for editing", type="pil"
                    )
                    with gr.Row():  # 6
                        prompt = gr.Text(  # 7
                            label="Prompt",
                            show_label=False,
                            max_lines=1,
                            placeholder="Enter your prompt for editing (e.g., 'Add a hat')",
                            container=False,
                        )
                        run_button = gr.Button("Run", scale=0)  # 8
                    with gr.Accordion("Advanced Settings", open=False):  # 9
                        seed = gr.Slider(  # 10
                            label="Seed", minimum=0, maximum=FLUX_MAX_SEED, step=1, value=0
                        )
                        randomize_seed = gr.Checkbox(label="Randomize seed", value=True)  # 11
                        guidance_scale = gr.Slider(
                            label="Guidance Scale", minimum=1, maximum=10, step=0.1, value=2.5
                        )
                        steps = gr.Slider(label="Steps", minimum=1, maximum=30, value=28, step=1)
                with gr.Column():
                    result = gr.Image(label="Result", show_label=False, interactive=False)
                    reuse_button = gr.Button("Reuse this image", visible=False)
            examples = prompt_examples(  # fn 0
                ["Make this a 90s cartoon", "Add a hat to the cat"], [prompt]
            )

        wire_cached_example(examples, prompt, result, seed)  # fn 1: cached lazily, hidden
        gr.on(  # fn 2
            triggers=[run_button.click, prompt.submit],
            fn=infer,
            inputs=[input_image, prompt, seed, randomize_seed, guidance_scale, steps],
            outputs=[result, seed, reuse_button],
            api_name="infer",
        )
        reuse_button.click(  # fn 3
            fn=lambda image: image,
            inputs=[result],
            outputs=[input_image],
            api_name="reuse",
            **hidden_api(),
        )
    return demo
