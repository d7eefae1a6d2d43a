"""The FLUX.1 look-alikes: schnell, dev, and dev as edited by its owner ("drifted").

The three share one layout (:func:`flux_layout`) and the dev ones one ``infer``
(:func:`flux_dev_infer`), so the drifted Space differs from FLUX.1-dev only where its owner
changed it: a "Enhance prompt" button above the prompt row, wired *before* ``infer``::

    ============  =======================================  =====================================
    look-alike    dependencies (fn_index)                  triggers of ``infer``
    ============  =======================================  =====================================
    flux-dev      0 examples, 1 cached example, 2 infer    ``[5, "click"], [4, "submit"]``
    drifted       0 examples, 1 cached example,            ``[6, "click"], [5, "submit"]``
                  2 ``enhance_prompt``, 3 infer
    ============  =======================================  =====================================

In the drifted Space, component 3 is the new button, 4 the prompt row (a layout block, no
events), 5 the prompt and 6 the Run button. A client that still sends FLUX.1-dev's numbers
(``fn_index`` 2, ``trigger_id`` 4, seven inputs) runs ``enhance_prompt`` instead of ``infer``:
gradio ignores the six extra inputs and never checks ``trigger_id`` against the targets, so the
call *succeeds* with one string (the enhanced prompt) where ``infer`` returns an image and a
seed. Only ``/config`` (``api_name`` -> ``id``, ``targets``) tells the right numbers.
``enhance_prompt`` stands for a CPU function: failure triggers and ``compute_seconds`` do not
apply to it.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Callable, Optional

import gradio as gr
from PIL import Image

from .app_parts import (
    FLUX_MAX_SEED,
    FLUX_MAX_SIZE,
    GPU_INFO,
    PROGRESS_DESC,
    as_int,
    prompt_examples,
    seed_and_size,
    wire_cached_example,
)
from .failures import check_failure
from .images import render_image
from .options import AppOptions, step_pauses

__all__ = [
    "ENHANCE_SUFFIX",
    "FluxLayout",
    "build_flux_dev",
    "build_flux_dev_drifted",
    "build_flux_schnell",
    "flux_dev_infer",
    "flux_layout",
]

#: What the drifted Space's ``enhance_prompt`` appends to the prompt.
ENHANCE_SUFFIX = ", highly detailed, 8k"


@dataclass(frozen=True)
class FluxLayout:
    """The components of a FLUX.1 Space, for wiring its events."""

    prompt: Any
    run_button: Any
    result: Any
    seed: Any
    randomize_seed: Any
    width: Any
    height: Any
    guidance_scale: Optional[Any]
    num_inference_steps: Any
    examples: Any
    extra: Optional[Any] = None  # what ``before_prompt`` added (the drifted Space's button)


def flux_layout(
    title: str, *, guidance: bool, before_prompt: Optional[Callable[[], Any]] = None
) -> FluxLayout:
    """The FLUX.1 Spaces' layout (inside a ``gr.Blocks``); ``before_prompt`` adds a component
    between the title and the prompt row, shifting every later component id by one."""
    with gr.Column(elem_id="col-container"):  # 1
        gr.Markdown(f"# {title}\nA local look-alike of the Hugging Face Space.")  # 2
        extra = before_prompt() if before_prompt is not None else None  # (3 when given)
        with gr.Row():  # 3
            prompt = gr.Text(  # 4
                label="Prompt",
                show_label=False,
                max_lines=1,
                placeholder="Enter your prompt",
                container=False,
            )
            run_button = gr.Button("Run", scale=0)  # 5
        result = gr.Image(label="Result", show_label=False)  # 6
        with gr.Accordion("Advanced Settings", open=False):
            seed = gr.Slider(label="Seed", minimum=0, maximum=FLUX_MAX_SEED, step=1, value=0)
            randomize_seed = gr.Checkbox(label="Randomize seed", value=True)
            with gr.Row():
                width = gr.Slider(
                    label="Width", minimum=256, maximum=FLUX_MAX_SIZE, step=32, value=1024
                )
                height = gr.Slider(
                    label="Height", minimum=256, maximum=FLUX_MAX_SIZE, step=32, value=1024
                )
            with gr.Row():
                guidance_scale = (
                    gr.Slider(label="Guidance Scale", minimum=1, maximum=15, step=0.1, value=3.5)
                    if guidance
                    else None
                )
                num_inference_steps = gr.Slider(
                    label="Number of inference steps",
                    minimum=1,
                    maximum=50,
                    step=1,
                    value=28 if guidance else 4,
                )
        examples = prompt_examples(  # fn 0
            ["a tiny astronaut hatching from an egg on the moon", "a cat holding a sign"],
            [prompt],
        )
    return FluxLayout(
        prompt=prompt,
        run_button=run_button,
        result=result,
        seed=seed,
        randomize_seed=randomize_seed,
        width=width,
        height=height,
        guidance_scale=guidance_scale,
        num_inference_steps=num_inference_steps,
        examples=examples,
        extra=extra,
    )


def _wire_cached_example(layout: FluxLayout) -> None:
    """fn 1: the real Spaces' lazily cached example outputs (hidden from the API docs)."""
    wire_cached_example(layout.examples, layout.prompt, layout.result, layout.seed)


def build_flux_schnell(options: AppOptions) -> Any:
    """Look-alike of ``black-forest-labs/FLUX.1-schnell``: ``infer`` is fn_index 2."""

    def infer(
        prompt: str,
        seed: int = 42,
        randomize_seed: bool = False,
        width: int = 1024,
        height: int = 1024,
        num_inference_steps: int = 4,
        progress: Any = gr.Progress(track_tqdm=True),  # noqa: B008 - gradio's idiom
    ) -> tuple[Image.Image, int]:
        check_failure(prompt, options.fail)
        seed, w, h = seed_and_size(seed, randomize_seed, width, height)
        steps = max(1, as_int(num_inference_steps, 4))
        for i, pause in enumerate(step_pauses(options, steps)):
            progress((i, steps), desc=PROGRESS_DESC)
            if pause:
                time.sleep(pause)
        return render_image(seed, prompt or "", w, h), seed

    with gr.Blocks(title="FLUX.1 [schnell] look-alike", analytics_enabled=False) as demo:
        layout = flux_layout("FLUX.1 [schnell]", guidance=False)
        _wire_cached_example(layout)  # fn 1
        gr.on(  # fn 2
            triggers=[layout.run_button.click, layout.prompt.submit],
            fn=infer,
            inputs=[
                layout.prompt,
                layout.seed,
                layout.randomize_seed,
                layout.width,
                layout.height,
                layout.num_inference_steps,
            ],
            outputs=[layout.result, layout.seed],
            api_name="infer",
        )
    return demo


def flux_dev_infer(options: AppOptions) -> Callable[..., Iterator[tuple[Image.Image, int]]]:
    """FLUX.1-dev's generator ``infer`` (seven inputs; yields previews, then the image)."""

    def infer(
        prompt: str,
        seed: int = 42,
        randomize_seed: bool = False,
        width: int = 1024,
        height: int = 1024,
        guidance_scale: float = 3.5,
        num_inference_steps: int = 28,
        progress: Any = gr.Progress(track_tqdm=True),  # noqa: B008 - gradio's idiom
    ) -> Iterator[tuple[Image.Image, int]]:
        check_failure(prompt, options.fail)
        gr.Info(GPU_INFO)
        seed, w, h = seed_and_size(seed, randomize_seed, width, height)
        steps = max(1, as_int(num_inference_steps, 28))
        text = prompt or ""
        # Up to two previews (variants 1 and 2), after about a third and two thirds of the
        # steps: at distinct steps before the last, whose image is the final one (so a 1-step
        # call yields the final image only, as a Schnell-like zero-compute Space would).
        preview_after = sorted({max(0, steps // 3 - 1), max(0, 2 * steps // 3 - 1)} - {steps - 1})
        for i, pause in enumerate(step_pauses(options, steps)):
            progress((i, steps), desc=PROGRESS_DESC)
            if pause:
                time.sleep(pause)
            if i in preview_after:
                variant = preview_after.index(i) + 1
                yield render_image(seed, text, w, h, variant=variant), seed
        yield render_image(seed, text, w, h), seed

    return infer


def _wire_flux_dev_infer(layout: FluxLayout, options: AppOptions) -> None:
    gr.on(
        triggers=[layout.run_button.click, layout.prompt.submit],
        fn=flux_dev_infer(options),
        inputs=[
            layout.prompt,
            layout.seed,
            layout.randomize_seed,
            layout.width,
            layout.height,
            layout.guidance_scale,
            layout.num_inference_steps,
        ],
        outputs=[layout.result, layout.seed],
        api_name="infer",
    )


def build_flux_dev(options: AppOptions) -> Any:
    """Look-alike of ``black-forest-labs/FLUX.1-dev``: generator ``infer``, fn 2, trigger 4."""
    with gr.Blocks(title="FLUX.1 [dev] look-alike", analytics_enabled=False) as demo:
        layout = flux_layout("FLUX.1 [dev]", guidance=True)
        _wire_cached_example(layout)  # fn 1
        _wire_flux_dev_infer(layout, options)  # fn 2; prompt (id 4) submit is what clients send
    return demo


def build_flux_dev_drifted(options: AppOptions) -> Any:
    """FLUX.1-dev after its owner added an "Enhance prompt" button: ``infer`` is fn 3,
    triggers ``[6, "click"], [5, "submit"]`` (see the module docstring)."""

    def enhance_prompt(prompt: str) -> str:
        return (prompt or "").strip() + ENHANCE_SUFFIX

    def enhance_button() -> Any:
        return gr.Button("✨ Enhance prompt", size="sm")  # 3

    with gr.Blocks(title="FLUX.1 [dev] look-alike (edited)", analytics_enabled=False) as demo:
        layout = flux_layout("FLUX.1 [dev]", guidance=True, before_prompt=enhance_button)
        _wire_cached_example(layout)  # fn 1
        assert layout.extra is not None
        layout.extra.click(  # fn 2: what FLUX.1-dev's old fn_index now runs
            fn=enhance_prompt,
            inputs=[layout.prompt],
            outputs=[layout.prompt],
            api_name="enhance_prompt",
        )
        _wire_flux_dev_infer(layout, options)  # fn 3
    return demo
