"""The Stable Diffusion 3.5 Large look-alike: text to image with a negative prompt.

Its layout follows ``stabilityai/stable-diffusion-3.5-large`` (a FLUX-like page with a hidden
negative-prompt box); clients call it by name (``/call/infer``), so only the api name and the
input order matter on the wire::

    ====  ===================================  ===============================================
    fn    dependency                           triggers
    ====  ===================================  ===============================================
    0     examples (load into the prompt)      the examples dataset
    1     lazily cached example (hidden)       after fn 0
    2     ``infer`` (api ``/infer``)           ``[5, "click"], [4, "submit"]``
    ====  ===================================  ===============================================

``infer(prompt, negative_prompt="", seed=42, randomize_seed=False, width=1024, height=1024,
guidance_scale=4.5, num_inference_steps=40)`` returns ``(image, seed)``. It streams one preview
before the final image (g4f turns ``/call``'s ``generating`` events into ``ImagePreview``), and
the negative prompt changes the picture, so a test can tell it arrived. A null negative prompt
(g4f's bug; the Space's own page always sends a string) is refused, so a test can tell that a
client sent ``""``.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any, Optional

import gradio as gr
from PIL import Image

from .app_parts import (
    FLUX_MAX_SEED,
    GPU_INFO,
    PROGRESS_DESC,
    as_int,
    prompt_examples,
    seed_and_size,
    wire_cached_example,
)
from .failures import check_failure, gradio_error
from .images import render_image
from .options import AppOptions, step_pauses

__all__ = ["NULL_NEGATIVE_PROMPT_ERROR", "build_sd35_large", "sd35_prompt_key"]

#: What the look-alike answers to a null negative prompt (g4f's bug).
NULL_NEGATIVE_PROMPT_ERROR = "negative_prompt must be a string, not None"


def sd35_prompt_key(prompt: str, negative_prompt: str) -> str:
    """The text the picture is drawn from: both prompts, so each one changes the image."""
    return f"{prompt}\x00{negative_prompt}" if negative_prompt else prompt


def build_sd35_large(options: AppOptions) -> Any:
    """Look-alike of ``stabilityai/stable-diffusion-3.5-large``: ``infer`` is fn 2."""

    def infer(
        prompt: str,
        negative_prompt: Optional[str] = "",
        seed: int = 42,
        randomize_seed: bool = False,
        width: int = 1024,
        height: int = 1024,
        guidance_scale: float = 4.5,
        num_inference_steps: int = 40,
        progress: Any = gr.Progress(track_tqdm=True),  # noqa: B008 - gradio's idiom
    ) -> Iterator[tuple[Image.Image, int]]:
        check_failure(prompt, options.fail)
        if negative_prompt is None:
            raise gradio_error(NULL_NEGATIVE_PROMPT_ERROR)
        gr.Info(GPU_INFO)
        seed, w, h = seed_and_size(seed, randomize_seed, width, height)
        steps = max(1, as_int(num_inference_steps, 40))
        key = sd35_prompt_key(prompt or "", negative_prompt)
        for i, pause in enumerate(step_pauses(options, steps)):
            progress((i, steps), desc=PROGRESS_DESC)
            if pause:
                time.sleep(pause)
            if i == steps // 2 and steps > 1:  # one preview, half way
                yield render_image(seed, key, w, h, variant=1), seed
        yield render_image(seed, key, w, h), seed

    with gr.Blocks(title="Stable Diffusion 3.5 Large look-alike", analytics_enabled=False) as demo:
        with gr.Column(elem_id="col-container"):  # 1
            gr.Markdown("# Stable Diffusion 3.5 Large (8B)\nA local look-alike.")  # 2
            with gr.Row():  # 3
                prompt = gr.Text(  # 4
                    label="Prompt",
                    show_label=False,
                    max_lines=1,
                    placeholder="Enter your prompt",
                    container=False,
                )
                run_button = gr.Button("Run", scale=0, variant="primary")  # 5
            result = gr.Image(label="Result", show_label=False)
            with gr.Accordion("Advanced Settings", open=False):
                negative_prompt = gr.Text(
                    label="Negative prompt",
                    max_lines=1,
                    placeholder="Enter a negative prompt",
                    visible=False,
                )
                seed = gr.Slider(label="Seed", minimum=0, maximum=FLUX_MAX_SEED, step=1, value=0)
                randomize_seed = gr.Checkbox(label="Randomize seed", value=True)
                with gr.Row():
                    width = gr.Slider(label="Width", minimum=512, maximum=1440, step=32, value=1024)
                    height = gr.Slider(
                        label="Height", minimum=512, maximum=1440, step=32, value=1024
                    )
                with gr.Row():
                    guidance_scale = gr.Slider(
                        label="Guidance scale", minimum=0.0, maximum=7.5, step=0.1, value=4.5
                    )
                    num_inference_steps = gr.Slider(
                        label="Number of inference steps", minimum=1, maximum=50, step=1, value=40
                    )
            examples = prompt_examples(
                ["A capybara wearing a suit holding a sign", "a cat in a hat"], [prompt]
            )

        wire_cached_example(examples, prompt, result, seed)  # fn 1: cached lazily, hidden
        gr.on(  # fn 2
            triggers=[run_button.click, prompt.submit],
            fn=infer,
            inputs=[
                prompt,
                negative_prompt,
                seed,
                randomize_seed,
                width,
                height,
                guidance_scale,
                num_inference_steps,
            ],
            outputs=[result, seed],
            api_name="infer",
        )
    return demo
