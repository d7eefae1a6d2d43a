"""The Janus-Pro-7B look-alike: chat about an uploaded image, and image generation."""

from __future__ import annotations

import time
from typing import Any, Optional

import gradio as gr
import numpy as np
from PIL import Image

from .app_parts import (
    GPU_INFO,
    JANUS_IMAGE_COUNT,
    JANUS_IMAGE_SIZE,
    PROGRESS_DESC,
    as_int,
    prompt_examples,
)
from .failures import check_failure
from .images import render_upscaled
from .options import AppOptions, step_pauses

__all__ = ["build_janus", "janus_answer"]


def _image_size(image: Any) -> Optional[tuple[int, int]]:
    """(width, height) of a numpy array or PIL image, or ``None``."""
    if image is None:
        return None
    if isinstance(image, np.ndarray):
        if image.ndim < 2:
            return None
        return int(image.shape[1]), int(image.shape[0])
    size = getattr(image, "size", None)
    if isinstance(size, tuple) and len(size) == 2:
        return int(size[0]), int(size[1])
    return None


def janus_answer(question: Optional[str], image_size: Optional[tuple[int, int]]) -> str:
    """The Janus look-alike's deterministic answer (proves what arrived)."""
    answer = f"Janus look-alike answer to: {question or ''}"
    if image_size is not None:
        answer += f" [image {image_size[0]}x{image_size[1]}]"
    return answer


def build_janus(options: AppOptions) -> Any:
    """Look-alike of ``deepseek-ai/Janus-Pro-7B``: fn 2 / trigger 10 and fn 3 / trigger 20."""
    janus_steps = 2

    def multimodal_understanding(
        image: Any,
        question: str,
        seed: Optional[float],
        top_p: float,
        temperature: float,
        progress: Any = gr.Progress(track_tqdm=True),  # noqa: B008 - gradio's idiom
    ) -> str:
        check_failure(question, options.fail)
        gr.Info(GPU_INFO)
        for i, pause in enumerate(step_pauses(options, janus_steps)):
            progress((i, janus_steps), desc=PROGRESS_DESC)
            if pause:
                time.sleep(pause)
        return janus_answer(question, _image_size(image))

    def generate_image(
        prompt: str,
        seed: Optional[float] = None,
        guidance: float = 5,
        t2i_temperature: float = 1.0,
        progress: Any = gr.Progress(track_tqdm=True),  # noqa: B008 - gradio's idiom
    ) -> list[Image.Image]:
        check_failure(prompt, options.fail)
        gr.Info(GPU_INFO)
        seed_value = as_int(seed, 12345)
        for i, pause in enumerate(step_pauses(options, janus_steps)):
            progress((i, janus_steps), desc=PROGRESS_DESC)
            if pause:
                time.sleep(pause)
        # The real Space draws 384x384 and upscales to 768x768.
        return [
            render_upscaled(seed_value + k, prompt or "", JANUS_IMAGE_SIZE)
            for k in range(JANUS_IMAGE_COUNT)
        ]

    with gr.Blocks(title="Janus-Pro-7B look-alike", analytics_enabled=False) as demo:
        gr.Markdown("# Multimodal Understanding")  # 1
        with gr.Row():  # 2
            image_input = gr.Image()  # 3 (numpy)
            with gr.Column():  # 4
                question_input = gr.Textbox(label="Question")  # 5
                und_seed_input = gr.Number(label="Seed", precision=0, value=42)  # 6
                top_p = gr.Slider(minimum=0, maximum=1, value=0.95, step=0.05, label="top_p")  # 7
                temperature = gr.Slider(
                    minimum=0, maximum=1, value=0.1, step=0.05, label="temperature"
                )  # 8
            # 9: the Column's form
        understanding_button = gr.Button("Chat")  # 10
        understanding_output = gr.Textbox(label="Response")  # 11
        prompt_examples(  # 12 (fn 0)
            ["explain this meme", "Convert the formula into latex code."], [question_input]
        )
        gr.Markdown("# Text-to-Image Generation")  # 13
        with gr.Row():  # 14
            cfg_weight_input = gr.Slider(
                minimum=1, maximum=10, value=5, step=0.5, label="CFG Weight"
            )  # 15
            t2i_temperature = gr.Slider(
                minimum=0, maximum=1, value=1.0, step=0.05, label="temperature"
            )  # 16
        # 17: the Row's form
        prompt_input = gr.Textbox(  # 18
            label="Prompt. (Prompt in more detail can help produce better images!)"
        )
        seed_input = gr.Number(label="Seed (Optional)", precision=0, value=12345)  # 19
        generation_button = gr.Button("Generate Images")  # 20
        image_output = gr.Gallery(label="Generated Images", columns=2, rows=2, height=300)
        prompt_examples(  # fn 1
            ["Master shifu racoon wearing drip attire as a street gangster.", "A cute cat"],
            prompt_input,
        )
        understanding_button.click(  # fn 2, trigger 10
            multimodal_understanding,
            inputs=[image_input, question_input, und_seed_input, top_p, temperature],
            outputs=understanding_output,
        )
        generation_button.click(  # fn 3, trigger 20
            fn=generate_image,
            inputs=[prompt_input, seed_input, cfg_weight_input, t2i_temperature],
            outputs=image_output,
        )
    return demo
