"""The look-alike Spaces as ``gr.Blocks`` builders, and :func:`build_app`.

Each builder reproduces, on the wire, one real Hugging Face Space: the same function signatures,
the same component order (so the component ids used as ``trigger_id`` match) and the same event
registration order (so the ``fn_index`` values hard-coded by clients match). The layouts are
checked on gradio 4.44 and 6.x:

================  ======================================  ======================================
look-alike        dependency (fn_index)                   triggers (component id, event)
================  ======================================  ======================================
flux-schnell      2 ``infer`` (api ``/infer``)            ``[5, "click"], [4, "submit"]``
flux-dev          2 ``infer`` (generator)                 ``[5, "click"], [4, "submit"]``
janus             2 ``multimodal_understanding``          ``[10, "click"]``
janus             3 ``generate_image``                    ``[20, "click"]``
g4f-flux          3 ``RealtimeFlux`` (``queue=False``)    ``[10, "change"]``
flux-kontext      2 ``infer`` (image edit)                ``[8, "click"], [7, "submit"]``
sd35-large        2 ``infer`` (generator)                 ``[5, "click"], [4, "submit"]``
flux-dev-drifted  2 ``enhance_prompt``                    ``[3, "click"]``
flux-dev-drifted  3 ``infer`` (generator)                 ``[6, "click"], [5, "submit"]``
================  ======================================  ======================================

The FLUX builders live in :mod:`.flux_apps` (with the drifted variant of FLUX.1-dev), Janus in
:mod:`.janus_app`, FLUX.1-Kontext-dev in :mod:`.kontext_app`, Stable Diffusion 3.5 Large in
:mod:`.sd35_app` and the made-up ``demo`` Space, whose endpoints are listed there, in
:mod:`.demo_app`.

Component ids come from a process-wide counter in gradio, so :func:`build_app` resets it before
building each app; several apps can then live in one process with the ids of the real Spaces.
"""

from __future__ import annotations

import threading
import time
from typing import Any, Callable, Optional

import gradio as gr
from PIL import Image

from .app_parts import (
    FLUX_MAX_SIZE,
    G4F_MAX_SEED,
    as_int,
    hidden_api,
    prompt_examples,
    seed_and_size,
)
from .catalog import LOOKALIKE_NAMES
from .demo_app import build_demo
from .failures import check_failure
from .flux_apps import build_flux_dev, build_flux_dev_drifted, build_flux_schnell
from .images import render_image
from .janus_app import build_janus
from .kontext_app import build_flux_kontext
from .options import AppOptions, step_pauses
from .sd35_app import build_sd35_large

__all__ = [
    "APP_BUILDERS",
    "AppOptions",
    "build_app",
    "build_demo",
    "build_flux_dev",
    "build_flux_dev_drifted",
    "build_flux_kontext",
    "build_flux_schnell",
    "build_g4f_flux",
    "build_janus",
    "build_sd35_large",
]

_build_lock = threading.Lock()


def build_g4f_flux(options: AppOptions) -> Any:
    """Look-alike of ``roxky/g4f-flux`` ("Realtime FLUX"): fn 3 / trigger 10, ``queue=False``.

    No progress is reported (a progress report makes ``/run`` hang on gradio 4.44).
    """

    def generate_image(
        prompt: str,
        seed: int = 42,
        width: int = 1024,
        height: int = 1024,
        randomize_seed: bool = False,
        num_inference_steps: int = 2,
    ) -> tuple[Image.Image, int, str]:
        check_failure(prompt, options.fail)
        seed, w, h = seed_and_size(seed, randomize_seed, width, height, max_seed=G4F_MAX_SEED)
        steps = max(1, as_int(num_inference_steps, 2))
        for pause in step_pauses(options, steps, visible_progress=False):
            if pause:
                time.sleep(pause)
        image = render_image(seed, prompt or "", w, h)
        # Deterministic "latency": the simulated compute time plus 10 ms.
        return image, seed, f"Latency: {options.compute_seconds + 0.01:.2f} seconds"

    def realtime_generation(*args: Any) -> Any:
        if args and args[0]:
            return generate_image(*args[1:])
        return gr.update(), gr.update(), gr.update()

    with gr.Blocks(title="Realtime FLUX look-alike", analytics_enabled=False) as demo:
        gr.Markdown("# Realtime FLUX Image Generator (look-alike)")  # 1
        with gr.Row():  # 2
            with gr.Column(scale=2):  # 3
                result = gr.Image(  # 4
                    label="Generated Image", show_label=False, interactive=False
                )
            with gr.Column(scale=1):  # 5
                prompt = gr.Text(  # 6
                    label="Prompt",
                    placeholder="Describe the image you want to generate...",
                    lines=3,
                    show_label=False,
                    container=False,
                )
                enhance_button = gr.Button("Enhance Image")  # 7
                with gr.Column():  # 8: "Advanced Options"
                    with gr.Row():  # 9
                        realtime = gr.Checkbox(  # 10
                            label="Realtime Toggler",
                            info="If TRUE then uses more GPU but create image in realtime.",
                            value=False,
                        )
                        latency = gr.Text(label="Latency", show_label=False)  # 11
                    with gr.Row():
                        seed = gr.Slider(
                            label="Seed", minimum=0, maximum=G4F_MAX_SEED, step=1, value=42
                        )
                        randomize_seed = gr.Checkbox(label="Randomize Seed", value=True)
                    with gr.Row():
                        width = gr.Slider(
                            label="Width", minimum=32, maximum=FLUX_MAX_SIZE, step=8, value=1024
                        )
                        height = gr.Slider(
                            label="Height", minimum=32, maximum=FLUX_MAX_SIZE, step=8, value=1024
                        )
                        num_inference_steps = gr.Slider(
                            label="Inference steps", minimum=1, maximum=50, step=1, value=2
                        )
        with gr.Row():
            prompt_examples(  # fn 0
                ["a cute cat wearing a wizard hat", "a castle on a hill at sunset"], prompt
            )
        outputs = [result, seed, latency]
        enhance_button.click(  # fn 1
            fn=generate_image,
            inputs=[prompt, seed, width, height],
            outputs=outputs,
            show_progress="hidden",
            api_name="enhance",
            queue=False,
            **hidden_api(),
        )
        gr.on(  # fn 2
            triggers=[prompt.input, width.input, height.input, num_inference_steps.input],
            fn=realtime_generation,
            inputs=[realtime, prompt, seed, width, height, randomize_seed, num_inference_steps],
            outputs=outputs,
            show_progress="hidden",
            trigger_mode="always_last",
            api_name="realtime_generation",
            queue=False,
            **hidden_api(),
        )
        realtime.change(  # fn 3, trigger 10
            fn=generate_image,
            inputs=[prompt, seed, width, height, randomize_seed, num_inference_steps],
            outputs=outputs,
            show_progress="hidden",
            api_name="RealtimeFlux",
            queue=False,
        )
    return demo


APP_BUILDERS: dict[str, Callable[[AppOptions], Any]] = {
    "flux-schnell": build_flux_schnell,
    "flux-dev": build_flux_dev,
    "janus": build_janus,
    "g4f-flux": build_g4f_flux,
    "flux-kontext": build_flux_kontext,
    "sd35-large": build_sd35_large,
    "demo": build_demo,
    "flux-dev-drifted": build_flux_dev_drifted,
}
assert tuple(APP_BUILDERS) == LOOKALIKE_NAMES


def build_app(name: str, options: Optional[AppOptions] = None) -> Any:
    """Build the look-alike ``name`` as a ``gr.Blocks`` (not launched).

    Gradio numbers components with a process-wide counter; it is reset here so that every app
    gets the component ids of the real Space, however many apps the process builds.
    """
    if name not in APP_BUILDERS:
        raise ValueError(f"unknown look-alike {name!r}; expected one of {', '.join(APP_BUILDERS)}")
    from gradio.context import Context

    with _build_lock:
        Context.id = 0
        return APP_BUILDERS[name](options or AppOptions())
