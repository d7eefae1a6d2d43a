"""HuggingSpace: routes a model name to the providers that serve it, falling back in order."""

from __future__ import annotations

import logging
import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from ..cancel import CancelScope
from ..errors import (
    AllProvidersFailedError,
    HFSpaceError,
    InvalidArgumentError,
    JobCancelledError,
    ModelNotFoundError,
    ResponseError,
)
from ..events import Event, is_final_result
from ..params import check_model
from ..runtime import Runtime
from .base import Plan, Provider
from .flux_dev import BlackForestLabs_Flux1Dev
from .flux_kontext import BlackForestLabs_Flux1KontextDev
from .flux_schnell import BlackForestLabs_Flux1Schnell, Voodoohop_Flux1Schnell
from .g4f import G4F
from .janus import DeepseekAI_JanusPro7b
from .sd35_large import StabilityAI_SD35Large

__all__ = ["HuggingSpace"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class FallbackPlan(Plan):
    """Try each provider's plan in order until one yields a result."""

    provider_name: str
    model: str
    plans: tuple[Plan, ...]

    def run(self, runtime: Runtime, scope: CancelScope) -> Iterator[Event]:
        errors: dict[str, BaseException] = {}
        for plan in self.plans:
            delivered = False
            try:
                for event in plan.run(runtime, scope):
                    delivered = delivered or is_final_result(event)
                    yield event
            except HFSpaceError as exc:
                # Never after a result (the caller has it), nor for the caller's own stop.
                if (
                    delivered
                    or scope.cancelled
                    or isinstance(exc, (InvalidArgumentError, JobCancelledError))
                ):
                    raise
                logger.info(
                    "%s failed for %r, trying the next provider: %s",
                    plan.provider_name,
                    self.model,
                    exc,
                )
                errors[plan.provider_name] = exc
                continue
            if delivered:
                return
            errors[plan.provider_name] = ResponseError(f"{plan.provider_name} yielded no result")
        if len(errors) == 1:  # nothing to fall back on: the one failure as it is
            raise next(iter(errors.values()))
        raise AllProvidersFailedError(self.model, errors)


class HuggingSpace(Provider):
    """Every Space provider behind one name: picks those that serve the model, in order."""

    label = "HuggingSpace"
    url = "https://huggingface.co/spaces"
    #: The fallback order. ``FluxDev`` is left out: ``G4F`` already routes flux models to it.
    providers: ClassVar[tuple[type[Provider], ...]] = (
        BlackForestLabs_Flux1Dev,
        BlackForestLabs_Flux1Schnell,
        DeepseekAI_JanusPro7b,
        Voodoohop_Flux1Schnell,
        BlackForestLabs_Flux1KontextDev,
        StabilityAI_SD35Large,
        G4F,
    )
    default_model = DeepseekAI_JanusPro7b.default_model
    default_image_model = BlackForestLabs_Flux1Dev.default_model
    default_vision_model = DeepseekAI_JanusPro7b.default_vision_model
    image_models = sorted({name for provider in providers for name in provider.image_models})
    vision_models = sorted({name for provider in providers for name in provider.vision_models})
    models = sorted(
        {
            name
            for provider in providers
            for name in [*provider.get_models(), *provider.model_aliases]
        }
        | {provider.default_model for provider in providers}
    )
    model_aliases: ClassVar[dict[str, str]] = {}

    @classmethod
    def prepare(cls, model: str, messages: Any, *, shuffle: bool = False, **params: Any) -> Plan:
        """Plan the model on every provider that serves it and accepts the parameters.

        Args:
            model: a model name or alias; empty means Janus (it chats, with or without media).
            messages: the conversation.
            shuffle: try the providers in random order instead of the fixed one.
            **params: passed to each provider.

        Raises:
            ModelNotFoundError: no provider serves the model (the message lists them all).
            InvalidArgumentError: every provider rejected the parameters (the first reason).
        """
        model = check_model(model)
        model = (
            model
            or (cls.default_vision_model if params.get("media") is not None else cls.default_model)
            or ""
        )
        candidates = [provider for provider in cls.providers if provider.serves(model)]
        if not candidates:
            raise ModelNotFoundError(
                f"Model {model!r} not found. Available models: {', '.join(cls.models)}"
            )
        plans, rejections = [], []
        for provider in candidates:
            try:
                plans.append(provider.prepare(model, messages, **params))
            except InvalidArgumentError as exc:
                rejections.append(exc)
        if not plans:
            raise rejections[0]
        if shuffle:
            random.shuffle(plans)
        return FallbackPlan(provider_name=cls.__name__, model=model, plans=tuple(plans))
