"""FLUX.1-dev Spaces over Gradio's queue, with ZeroGPU headers and image previews."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Optional

from ..gradio.endpoints import G4FNumbers
from ..params import (
    image_prompt,
    size_for,
    validate_flag,
    validate_messages,
    validate_number,
    validate_seed,
    validate_steps,
)
from ..zerogpu import ANONYMOUS_TOKEN
from .base import Plan, Provider, reject_unknown
from .queued_image import QueuedImagePlan
from .zerogpu_access import ZeroGPUAccess

__all__ = ["BlackForestLabs_Flux1Dev", "FluxDev"]


@dataclass(frozen=True)
class FluxDevPlan(QueuedImagePlan):
    """``infer(prompt, seed, randomize_seed, width, height, guidance_scale, steps)``."""

    randomize_seed: bool
    width: int
    height: int
    guidance_scale: float
    num_inference_steps: int

    g4f_numbers: ClassVar[G4FNumbers] = (2, 4)

    def payload(self) -> list[Any]:
        """The inputs, in the Space function's order."""
        return [
            self.prompt,
            self.seed,
            self.randomize_seed,
            self.width,
            self.height,
            self.guidance_scale,
            self.num_inference_steps,
        ]


class BlackForestLabs_Flux1Dev(Provider):
    """FLUX.1-dev on black-forest-labs' ZeroGPU Space."""

    label = "BlackForestLabs Flux-1-Dev"
    url = "https://black-forest-labs-flux-1-dev.hf.space"
    space: ClassVar[str] = "black-forest-labs/FLUX.1-dev"
    referer: ClassVar[str] = f"{url}/?__theme=light"
    default_model = "black-forest-labs-flux-1-dev"
    default_image_model = default_model
    model_aliases = {"flux-dev": default_image_model, "flux": default_image_model}
    image_models = list(model_aliases)
    models = image_models

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
        guidance_scale: float = 3.5,
        num_inference_steps: int = 28,
        seed: Optional[int] = 0,
        randomize_seed: bool = True,
        cookies: Optional[Mapping[str, str]] = None,
        api_key: Optional[str] = None,
        zerogpu_uuid: Optional[str] = ANONYMOUS_TOKEN,
        **unknown: Any,
    ) -> Plan:
        """Validate a text-to-image request.

        ``seed=None`` sends the Space's default (0, randomised), never null. The size comes
        from ``width``/``height``, else ``aspect_ratio``.
        """
        reject_unknown(cls.__name__, unknown, cls.prepare)
        cls.get_model(model)
        checked = validate_messages(messages)
        chosen_width, chosen_height = size_for(
            width=width, height=height, aspect_ratio=aspect_ratio or "1:1", default=(1024, 1024)
        )
        return FluxDevPlan(
            provider_name=cls.__name__,
            space_id=cls.space,
            prompt=image_prompt(checked, prompt),
            seed=validate_seed(seed) or 0,
            randomize_seed=validate_flag("randomize_seed", randomize_seed),
            width=chosen_width,
            height=chosen_height,
            guidance_scale=validate_number(
                "guidance_scale", guidance_scale, minimum=0.0, maximum=100.0
            ),
            num_inference_steps=validate_steps(num_inference_steps),
            access=ZeroGPUAccess.from_arguments(
                api_key=api_key, uuid=zerogpu_uuid, cookies=cookies
            ),
        )


class FluxDev(BlackForestLabs_Flux1Dev):
    """FLUX.1-dev on roxky's duplicate of the Space (what G4F routes flux and flux-dev to)."""

    url = "https://roxky-flux-1-dev.hf.space"
    space = "roxky/FLUX.1-dev"
    referer = f"{url}/?__theme=light"
