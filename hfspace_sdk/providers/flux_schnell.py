"""FLUX.1-schnell Spaces over Gradio's ``/call/infer`` API (two Spaces, one implementation)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Optional

from ..params import (
    floor_to_multiple_of_8,
    image_prompt,
    size_for,
    validate_flag,
    validate_messages,
    validate_seed,
    validate_steps,
)
from .base import Plan, Provider, reject_unknown
from .call_image import CallImagePlan

__all__ = ["BlackForestLabs_Flux1Schnell", "Voodoohop_Flux1Schnell"]


@dataclass(frozen=True)
class FluxSchnellPlan(CallImagePlan):
    """``infer(prompt, seed, randomize_seed, width, height, num_inference_steps)`` via /call."""

    randomize_seed: bool
    width: int
    height: int
    num_inference_steps: int

    def payload(self) -> list[Any]:
        """The inputs, in the Space function's order."""
        return [
            self.prompt,
            self.seed,
            self.randomize_seed,
            self.width,
            self.height,
            self.num_inference_steps,
        ]


class _FluxSchnellSpace(Provider):
    """What both FLUX.1-schnell providers do; the subclasses only name their Space."""

    space: ClassVar[str]
    api_endpoint: ClassVar[str]

    @classmethod
    def prepare(
        cls,
        model: str,
        messages: Any,
        *,
        prompt: Optional[str] = None,
        width: Optional[int] = None,
        height: Optional[int] = None,
        aspect_ratio: Optional[str] = None,
        num_inference_steps: int = 2,
        seed: Optional[int] = 0,
        randomize_seed: bool = True,
        **unknown: Any,
    ) -> Plan:
        """Validate a text-to-image request.

        Sizes default to 768×768 (or come from ``aspect_ratio``) and are floored to a
        multiple of 8, at least 32, as g4f does.
        """
        reject_unknown(cls.__name__, unknown, cls.prepare)
        cls.get_model(model)
        checked = validate_messages(messages)
        chosen_width, chosen_height = size_for(
            width=width, height=height, aspect_ratio=aspect_ratio, default=(768, 768)
        )
        return FluxSchnellPlan(
            provider_name=cls.__name__,
            space_id=cls.space,
            prompt=image_prompt(checked, prompt),
            seed=validate_seed(seed) or 0,
            randomize_seed=validate_flag("randomize_seed", randomize_seed),
            width=floor_to_multiple_of_8(chosen_width),
            height=floor_to_multiple_of_8(chosen_height),
            num_inference_steps=validate_steps(num_inference_steps),
        )


class BlackForestLabs_Flux1Schnell(_FluxSchnellSpace):
    """FLUX.1-schnell on black-forest-labs' Space."""

    label = "BlackForestLabs Flux-1-Schnell"
    space = "black-forest-labs/FLUX.1-schnell"
    url = "https://black-forest-labs-flux-1-schnell.hf.space"
    api_endpoint = f"{url}/call/infer"
    default_model = "black-forest-labs-flux-1-schnell"
    default_image_model = default_model
    model_aliases = {"flux-schnell": default_image_model, "flux": default_image_model}
    image_models = list(model_aliases)
    models = image_models


class Voodoohop_Flux1Schnell(_FluxSchnellSpace):
    """FLUX.1-schnell on voodoohop's Space."""

    label = "Voodoohop Flux-1-Schnell"
    space = "voodoohop/FLUX.1-schnell"
    url = "https://voodoohop-flux-1-schnell.hf.space"
    api_endpoint = f"{url}/call/infer"
    default_model = "voodoohop-flux-1-schnell"
    default_image_model = default_model
    model_aliases = {"flux-schnell": default_model, "flux": default_model}
    image_models = list(model_aliases)
    models = image_models
