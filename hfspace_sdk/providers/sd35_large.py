"""Stable Diffusion 3.5 Large on stabilityai's Space, over ``/call/infer``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Optional

from ..config import check_credential
from ..errors import InvalidArgumentError
from ..params import (
    MAX_PROMPT_CHARS,
    image_prompt,
    size_for,
    validate_flag,
    validate_messages,
    validate_number,
    validate_seed,
    validate_steps,
)
from .base import Plan, Provider, reject_unknown
from .call_image import CallImagePlan

__all__ = ["SD35Plan", "StabilityAI_SD35Large"]


@dataclass(frozen=True)
class SD35Plan(CallImagePlan):
    """``infer(prompt, negative_prompt, seed, randomize_seed, width, height, guidance_scale,
    num_inference_steps)``; ``api_key`` goes to this Space only, as a bearer token."""

    negative_prompt: str
    randomize_seed: bool
    width: int
    height: int
    guidance_scale: float
    num_inference_steps: int
    api_key: Optional[str] = field(default=None, repr=False)

    def payload(self) -> list[Any]:
        """The inputs, in the Space function's order."""
        return [
            self.prompt,
            self.negative_prompt,
            self.seed,
            self.randomize_seed,
            self.width,
            self.height,
            self.guidance_scale,
            self.num_inference_steps,
        ]

    def headers(self) -> dict[str, str]:
        return {} if self.api_key is None else {"authorization": f"Bearer {self.api_key}"}


def _negative_prompt(value: Any) -> str:
    """The negative prompt: ``None`` is sent as ``""`` (g4f sent null)."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidArgumentError(f"negative_prompt must be a string, not {type(value).__name__}")
    if len(value) > MAX_PROMPT_CHARS:
        raise InvalidArgumentError(
            f"negative_prompt is {len(value)} characters long; the limit is {MAX_PROMPT_CHARS}"
        )
    return value


class StabilityAI_SD35Large(Provider):
    """Stable Diffusion 3.5 Large on stabilityai's Space (previews as the Space streams them)."""

    label = "StabilityAI SD-3.5-Large"
    url = "https://stabilityai-stable-diffusion-3-5-large.hf.space"
    space: ClassVar[str] = "stabilityai/stable-diffusion-3.5-large"
    api_endpoint: ClassVar[str] = "/gradio_api/call/infer"
    default_model = "stabilityai-stable-diffusion-3-5-large"
    default_image_model = default_model
    model_aliases = {"sd-3.5-large": default_model}
    image_models = list(model_aliases)
    models = image_models

    @classmethod
    def prepare(
        cls,
        model: str,
        messages: Any,
        *,
        prompt: Optional[str] = None,
        negative_prompt: Optional[str] = None,
        api_key: Optional[str] = None,
        aspect_ratio: Optional[str] = "1:1",
        width: Optional[int] = None,
        height: Optional[int] = None,
        guidance_scale: float = 4.5,
        num_inference_steps: int = 50,
        seed: Optional[int] = 0,
        randomize_seed: bool = True,
        **unknown: Any,
    ) -> Plan:
        """Validate a text-to-image request.

        ``api_key`` (an HF token) is sent as ``Authorization: Bearer`` to this Space's
        ``/call/infer`` requests only. ``negative_prompt=None`` sends ``""``; ``seed=None``
        sends 0 (randomised). The size comes from ``width``/``height``, else ``aspect_ratio``.

        Raises:
            InvalidArgumentError: a bad argument (the token's value is never shown).
        """
        reject_unknown(cls.__name__, unknown, cls.prepare)
        cls.get_model(model)
        checked = validate_messages(messages)
        chosen_width, chosen_height = size_for(
            width=width, height=height, aspect_ratio=aspect_ratio or "1:1", default=(1024, 1024)
        )
        return SD35Plan(
            provider_name=cls.__name__,
            space_id=cls.space,
            prompt=image_prompt(checked, prompt),
            seed=validate_seed(seed) or 0,
            negative_prompt=_negative_prompt(negative_prompt),
            randomize_seed=validate_flag("randomize_seed", randomize_seed),
            width=chosen_width,
            height=chosen_height,
            guidance_scale=validate_number(
                "guidance_scale", guidance_scale, minimum=0.0, maximum=100.0
            ),
            num_inference_steps=validate_steps(num_inference_steps),
            api_key=None if api_key is None else check_credential("api_key (an HF token)", api_key),
        )
