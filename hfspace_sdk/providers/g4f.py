"""G4F: roxky's Spaces. flux/flux-dev go to FluxDev, Janus models to roxky's Janus, and
flux-schnell to the g4f-flux Space's direct ``run/predict`` route."""

from __future__ import annotations

import random
import string
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Optional

from ..cancel import CancelScope
from ..errors import InvalidArgumentError
from ..events import Event, ImageResponse, Reasoning
from ..gradio.app_config import AppFunction
from ..gradio.endpoints import resolve_function
from ..gradio.files import output_url
from ..gradio.messages import Completed
from ..gradio.predict_api import RUN_PREDICT
from ..gradio.protocol import run_job
from ..gradio.queue_api import QueuedCall
from ..params import (
    check_model,
    floor_to_multiple_of_8,
    image_prompt,
    size_for,
    validate_messages,
    validate_seed,
)
from ..runtime import Runtime
from ..zerogpu import ANONYMOUS_TOKEN
from .base import Plan, SpacePlan, reject_unknown
from .flux_dev import FluxDev
from .janus import DeepseekAI_JanusPro7b
from .zerogpu_access import ZeroGPUAccess

__all__ = ["G4F"]

_TICK_SECONDS = 0.2


@dataclass(frozen=True)
class G4FFluxPlan(SpacePlan):
    """``generate_image(prompt, seed, width, height, randomize_seed, steps)``, api ``RealtimeFlux``
    (g4f's fn 3 / trigger 10 for a config that names no function)."""

    width: int
    height: int
    access: ZeroGPUAccess

    def payload(self) -> list[Any]:
        """The inputs, in the Space function's order (randomised seed, one step)."""
        return [self.prompt, self.seed, self.width, self.height, True, 1]

    def call(
        self, function: AppFunction, headers: Optional[Mapping[str, str]] = None
    ) -> QueuedCall:
        """The direct call, with a fresh 10-character session hash as the web page sends.

        Args:
            function: the Space's ``RealtimeFlux`` function.
            headers: sent with it (the ZeroGPU credentials).
        """
        session_hash = "".join(random.choices(string.ascii_lowercase + string.digits, k=10))
        return QueuedCall(
            fn_index=function.fn_index,
            trigger_id=function.trigger_id(),
            data=self.payload(),
            session_hash=session_hash,
            headers=headers,
        )

    def run(self, runtime: Runtime, scope: CancelScope) -> Iterator[Event]:
        if self.access.api_key is None:
            yield Reasoning(status="Acquiring GPU Token")
        space = runtime.space(self.space_id)
        # Read /config (and check the function) before the clock starts.
        function = resolve_function(
            space, "RealtimeFlux", inputs=len(self.payload()), scope=scope, fallback=(3, 10)
        )
        credentials = self.access.credentials(runtime, self.space_id, scope)
        started = time.monotonic()
        yield Reasoning(status="Generating 0.00s")  # g4f's first tick is at the start

        def tick() -> None:
            scope.publish(Reasoning(status=f"Generating {time.monotonic() - started:.2f}s"))

        # The request blocks this thread until the image is made; meanwhile the runtime's
        # ticker reports the elapsed time every 0.2 s, straight to the job's caller.
        data: list[Any] = []
        with runtime.ticker.ticking(_TICK_SECONDS, tick):
            for event in run_job(
                RUN_PREDICT, space, self.call(function, credentials.headers()), scope=scope
            ):
                if isinstance(event, Completed) and event.data is not None:
                    data = event.data
        # No tick comes after this point: the block above waited for any tick in progress.
        yield Reasoning(status=f"Finished {time.monotonic() - started:.2f}s")
        yield ImageResponse(output_url(space, data[0], scope), self.prompt)


class G4F(DeepseekAI_JanusPro7b):
    """roxky's Spaces: FLUX.1-dev, Janus-Pro-7B and a FLUX.1-schnell ``run/predict`` Space."""

    label = "G4F framework"
    space = "roxky/Janus-Pro-7B"
    flux_space: ClassVar[str] = "roxky/g4f-flux"
    url = "https://huggingface.co/spaces/roxky/g4f-space"
    api_url = "https://roxky-janus-pro-7b.hf.space"
    url_flux: ClassVar[str] = "https://roxky-g4f-flux.hf.space/run/predict"
    referer = f"{api_url}?__theme=light"
    default_model = "flux"
    model_aliases = {"flux-schnell": default_model}
    image_models = [
        DeepseekAI_JanusPro7b.default_image_model,
        default_model,
        "flux-dev",
        *model_aliases,
    ]
    models = [DeepseekAI_JanusPro7b.default_model, *image_models]

    @classmethod
    def prepare(
        cls,
        model: str,
        messages: Any,
        *,
        prompt: Optional[str] = None,
        aspect_ratio: Optional[str] = "1:1",
        width: Optional[int] = None,
        height: Optional[int] = None,
        seed: Optional[int] = None,
        cookies: Optional[Mapping[str, str]] = None,
        api_key: Optional[str] = None,
        zerogpu_uuid: Optional[str] = ANONYMOUS_TOKEN,
        **params: Any,
    ) -> Plan:
        """Route the model: flux/flux-dev → FluxDev, Janus models → roxky's Janus, else run/predict."""
        model = check_model(model) or cls.default_model
        zerogpu: dict[str, Any] = {
            "cookies": cookies,
            "api_key": api_key,
            "zerogpu_uuid": zerogpu_uuid,
        }
        if model in ("flux", "flux-dev"):
            return FluxDev.prepare(
                model,
                messages,
                prompt=prompt,
                aspect_ratio=aspect_ratio,
                width=width,
                height=height,
                seed=seed,
                **zerogpu,
                **params,
            )
        if "flux" not in model:
            if width is not None or height is not None:
                raise InvalidArgumentError(
                    "Janus draws 768×768 images: width and height do not apply"
                )
            return super().prepare(model, messages, prompt=prompt, seed=seed, **zerogpu, **params)
        reject_unknown(cls.__name__, params, cls.prepare)
        cls.get_model(model)
        chosen_width, chosen_height = size_for(
            width=width, height=height, aspect_ratio=aspect_ratio or "1:1", default=(1024, 1024)
        )
        chosen_seed = validate_seed(seed)
        return G4FFluxPlan(
            provider_name=cls.__name__,
            space_id=cls.flux_space,
            prompt=image_prompt(validate_messages(messages), prompt),
            seed=random.randint(9999, 2**32 - 1) if chosen_seed is None else chosen_seed,
            width=floor_to_multiple_of_8(chosen_width),
            height=floor_to_multiple_of_8(chosen_height),
            access=ZeroGPUAccess.from_arguments(
                api_key=api_key, uuid=None if api_key is None else zerogpu_uuid, cookies=cookies
            ),
        )
