"""FLUX.1-Kontext-dev: edit an uploaded image with an instruction, over Gradio's queue."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Optional

from ..cancel import CancelScope
from ..errors import InvalidArgumentError
from ..events import Reasoning
from ..gradio.endpoints import G4FNumbers
from ..gradio.messages import Progress, Started, TransportEvent
from ..gradio.space import GradioApp
from ..gradio.statuses import status_for
from ..params import (
    image_prompt,
    validate_flag,
    validate_messages,
    validate_number,
    validate_seed,
    validate_steps,
)
from .base import Plan, Provider, reject_unknown
from .image_input import PendingImage, last_image, upload_image
from .queued_image import QueuedImagePlan
from .zerogpu_access import ZeroGPUAccess

__all__ = ["BlackForestLabs_Flux1KontextDev", "KontextPlan"]

#: g4f's error text, kept at the start of ours so code that matched it still does.
NO_IMAGE = "No media files provided for image generation"


@dataclass(frozen=True)
class KontextPlan(QueuedImagePlan):
    """``infer(input_image, prompt, seed, randomize_seed, guidance_scale, steps)``.

    The image is uploaded in the job, into the job's session, then passed as FileData.
    """

    image: PendingImage
    randomize_seed: bool
    guidance_scale: float
    num_inference_steps: int

    g4f_numbers: ClassVar[G4FNumbers] = (2, 7)
    theme: ClassVar[str] = "system"

    def payload(self, image_input: Optional[dict[str, Any]] = None) -> list[Any]:
        """The inputs, in the Space function's order (``image_input``: the uploaded FileData)."""
        return [
            image_input,
            self.prompt,
            self.seed,
            self.randomize_seed,
            self.guidance_scale,
            self.num_inference_steps,
        ]

    def inputs(self, space: GradioApp, session_hash: str, scope: CancelScope) -> list[Any]:
        return self.payload(upload_image(space, self.image, upload_id=session_hash, scope=scope))

    def status_line(self, event: TransportEvent) -> Optional[Reasoning]:
        """g4f's Kontext lines: "Processing started", then "Processing image: i/n"."""
        if isinstance(event, Started):
            return Reasoning(label="Processing started")
        if isinstance(event, Progress):
            unit = event.units[0] if event.units else None
            index = unit.index if unit is not None and unit.index is not None else 0
            length = unit.length if unit is not None and unit.length is not None else 0
            return Reasoning(
                label="Processing image", status=f"{index}/{length}", progress=index, total=length
            )
        return status_for(event)


class BlackForestLabs_Flux1KontextDev(Provider):
    """FLUX.1-Kontext-dev on black-forest-labs' ZeroGPU Space: edits the image you give.

    The image comes from ``media`` or from the ``image_url`` parts of the last user messages
    (the last one is used); the instruction from ``prompt`` or the last user message.
    """

    label = "BlackForestLabs Flux-1-Kontext-Dev"
    url = "https://black-forest-labs-flux-1-kontext-dev.hf.space"
    space: ClassVar[str] = "black-forest-labs/FLUX.1-Kontext-Dev"
    referer: ClassVar[str] = f"{url}/?__theme=system"
    default_model = "flux-kontext-dev"
    default_image_model = default_model
    image_models = [default_model]
    models = image_models

    @classmethod
    def prepare(
        cls,
        model: str,
        messages: Any,
        *,
        prompt: Optional[str] = None,
        media: Any = None,
        guidance_scale: float = 2.5,
        num_inference_steps: int = 28,
        seed: Optional[int] = 0,
        randomize_seed: bool = True,
        cookies: Optional[Mapping[str, str]] = None,
        api_key: Optional[str] = None,
        zerogpu_uuid: Optional[str] = None,
        **unknown: Any,
    ) -> Plan:
        """Validate an edit request. No I/O: the image is read and checked here, uploaded in
        the job (an earlier result is downloaded there).

        ``seed=None`` sends the Space's default (0, randomised), never null;
        ``zerogpu_uuid=None`` sends a fresh random one, as g4f does.

        Raises:
            InvalidArgumentError: no image, an upload that is not an image or is too large,
                or another bad argument.
        """
        reject_unknown(cls.__name__, unknown, cls.prepare)
        cls.get_model(model)
        checked = validate_messages(messages)
        text = image_prompt(checked, prompt)
        image = last_image(checked, media)
        if image is None:
            raise InvalidArgumentError(
                f"{NO_IMAGE}: {cls.__name__} edits an image; pass it as media= (a path, bytes, "
                "a PIL image or an earlier result) or as an image_url part of the last message"
            )
        return KontextPlan(
            provider_name=cls.__name__,
            space_id=cls.space,
            prompt=text,
            seed=validate_seed(seed) or 0,
            image=image,
            randomize_seed=validate_flag("randomize_seed", randomize_seed),
            guidance_scale=validate_number(
                "guidance_scale", guidance_scale, minimum=0.0, maximum=100.0
            ),
            num_inference_steps=validate_steps(num_inference_steps),
            access=ZeroGPUAccess.from_arguments(
                api_key=api_key, uuid=zerogpu_uuid or uuid.uuid4().hex, cookies=cookies
            ),
        )
