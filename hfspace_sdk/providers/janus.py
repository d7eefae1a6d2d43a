"""Janus-Pro-7B over Gradio's queue: chat about an optional image, or text-to-image."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Optional

from ..cancel import CancelScope
from ..errors import InvalidArgumentError, ModelNotFoundError, SpaceError
from ..events import Event, ImageResponse, JsonConversation, Reasoning
from ..gradio.endpoints import G4FNumbers, resolve_function
from ..gradio.files import output_url
from ..gradio.messages import Completed, Heartbeat
from ..gradio.protocol import run_job
from ..gradio.queue_api import QUEUE, QueuedCall
from ..gradio.statuses import status_for
from ..params import (
    check_model,
    format_prompt,
    image_prompt,
    last_user_message,
    require_prompt,
    validate_flag,
    validate_messages,
    validate_seed,
)
from ..runtime import Runtime
from ..zerogpu import ANONYMOUS_TOKEN
from .base import Plan, Provider, SpacePlan, reject_unknown
from .image_input import PendingImage, last_image, upload_image
from .zerogpu_access import ZeroGPUAccess

__all__ = ["DeepseekAI_JanusPro7b", "JanusPlan"]

#: The two functions, with g4f's (fn_index, trigger_id) for a config that names neither.
_CHAT: tuple[str, G4FNumbers] = ("multimodal_understanding", (2, 10))
_IMAGE: tuple[str, G4FNumbers] = ("generate_image", (3, 20))


@dataclass(frozen=True)
class JanusPlan(SpacePlan):
    """One Janus turn: ``multimodal_understanding`` (chat) or ``generate_image``."""

    generate_image: bool
    image: Optional[PendingImage]
    conversation: Optional[JsonConversation]
    return_conversation: bool
    access: ZeroGPUAccess

    def _payload(self, image_input: Optional[dict[str, Any]]) -> list[Any]:
        if self.generate_image:
            return [self.prompt, self.seed, 5, 1]  # cfg weight, temperature
        return [image_input, self.prompt, self.seed, 0.95, 0.1]  # top_p, temperature

    def _conversation(self, token: Optional[str], zerogpu_uuid: Optional[str]) -> JsonConversation:
        """The state to hand back: a copy, so the caller's conversation is never mutated."""
        previous = self.conversation.get_dict() if self.conversation is not None else {}
        if not previous.get("session_hash"):
            return JsonConversation(
                session_hash=uuid.uuid4().hex, zerogpu_token=token, zerogpu_uuid=zerogpu_uuid
            )
        return JsonConversation(**{**previous, "zerogpu_token": token})

    def run(self, runtime: Runtime, scope: CancelScope) -> Iterator[Event]:
        space = runtime.space(self.space_id)
        api_name, g4f_numbers = _IMAGE if self.generate_image else _CHAT
        function = resolve_function(
            space, api_name, inputs=len(self._payload(None)), scope=scope, fallback=g4f_numbers
        )
        credentials = self.access.credentials(runtime, self.space_id, scope)
        conversation = self._conversation(credentials.token, credentials.uuid)
        if self.return_conversation:
            yield conversation
        session_hash = str(conversation.get_dict()["session_hash"])
        image_input = None
        if self.image is not None:
            image_input = upload_image(space, self.image, upload_id=session_hash, scope=scope)
        referer = f"{space.base_url}?__theme=light"
        call = QueuedCall(
            fn_index=function.fn_index,
            trigger_id=function.trigger_id(),
            data=self._payload(image_input),
            session_hash=session_hash,
            headers={"referer": referer, **credentials.headers()},
            stream_headers={"referer": referer},
        )
        yield from self._events(
            run_job(QUEUE, space, call, scope=scope),
            space_url=lambda value: output_url(space, value, scope),
        )

    def _events(self, events: Iterator[Any], *, space_url: Any) -> Iterator[Event]:
        dots = 3
        try:
            for event in events:
                status = status_for(event)
                if status is not None:
                    yield status
                elif isinstance(event, Heartbeat):
                    yield Reasoning(status="Generating" + "." * dots)
                    dots += 1
                elif isinstance(event, Completed) and event.data is not None:
                    yield Reasoning(status="Finished")
                    yield self._result(event.data, space_url)
        except SpaceError as exc:
            # ZeroGPU reports a crash by its class name only: Janus crashes so without an image.
            if "AttributeError" in exc.message:
                raise SpaceError("Missing images input", space=exc.space, title=exc.title) from exc
            raise

    def _result(self, data: list[Any], space_url: Any) -> Event:
        answer = data[0] if data else None
        if isinstance(answer, list):
            return ImageResponse([space_url(item) for item in answer], self.prompt)
        if isinstance(answer, str):
            return answer
        from ..errors import ProtocolError

        raise ProtocolError(f"{self.space_id} answered with {answer!r:.200}", space=self.space_id)


class DeepseekAI_JanusPro7b(Provider):
    """Janus-Pro-7B: chat with an optional image (``janus-pro-7b``) or draw (``janus-pro-7b-image``)."""

    label = "DeepseekAI Janus-Pro-7B"
    space: ClassVar[str] = "deepseek-ai/Janus-Pro-7B"
    url = f"https://huggingface.co/spaces/{space}"
    api_url: ClassVar[str] = "https://deepseek-ai-janus-pro-7b.hf.space"
    referer: ClassVar[str] = f"{api_url}?__theme=light"
    supports_system_message = True
    supports_message_history = True
    default_model = "janus-pro-7b"
    default_image_model = "janus-pro-7b-image"
    default_vision_model = default_model
    image_models = [default_image_model]
    vision_models = [default_vision_model]
    models = vision_models + image_models

    @classmethod
    def prepare(
        cls,
        model: str,
        messages: Any,
        *,
        media: Any = None,
        prompt: Optional[str] = None,
        cookies: Optional[Mapping[str, str]] = None,
        api_key: Optional[str] = None,
        zerogpu_uuid: Optional[str] = ANONYMOUS_TOKEN,
        return_conversation: bool = True,
        conversation: Optional[JsonConversation] = None,
        seed: Optional[int] = None,
        **unknown: Any,
    ) -> Plan:
        """Validate a chat or image request (see the class docstring for the two models).

        An explicit ``prompt`` asks for an image, as in g4f. Chat without a ``conversation``
        sends the whole transcript; with one, only the last user message(s).
        """
        reject_unknown(cls.__name__, unknown, cls.prepare)
        return plan_janus(
            cls.__name__,
            cls.space,
            check_model(model) or cls.default_model,
            messages,
            media=media,
            prompt=prompt,
            access=ZeroGPUAccess.from_arguments(
                api_key=api_key, uuid=zerogpu_uuid, cookies=cookies
            ),
            return_conversation=return_conversation,
            conversation=conversation,
            seed=seed,
        )


def plan_janus(
    provider_name: str,
    space_id: str,
    model: str,
    messages: Any,
    *,
    media: Any,
    prompt: Optional[str],
    access: ZeroGPUAccess,
    return_conversation: bool,
    conversation: Optional[JsonConversation],
    seed: Optional[int],
) -> JanusPlan:
    """Validate a Janus turn for ``space_id`` (used by Janus itself and by G4F).

    Raises:
        ModelNotFoundError: the model is not a Janus model.
        InvalidArgumentError: bad messages, prompt, image, seed or conversation.
    """
    if model not in DeepseekAI_JanusPro7b.models:
        raise ModelNotFoundError(
            f"Model {model!r} not found. Available models: {', '.join(DeepseekAI_JanusPro7b.models)}"
        )
    if conversation is not None and not isinstance(conversation, JsonConversation):
        raise InvalidArgumentError(
            "conversation must be the JsonConversation a previous turn yielded"
        )
    checked = validate_messages(messages)
    generate_image = model == DeepseekAI_JanusPro7b.default_image_model or prompt is not None
    if generate_image:
        text = image_prompt(checked, prompt)
        image = None  # the image function takes no image: nothing is uploaded
    else:
        text = require_prompt(
            format_prompt(checked) if conversation is None else last_user_message(checked)
        )
        image = last_image(checked, media)
    chosen_seed = validate_seed(seed)
    return JanusPlan(
        provider_name=provider_name,
        space_id=space_id,
        generate_image=generate_image,
        prompt=text,
        seed=random.randint(1000, 999999) if chosen_seed is None else chosen_seed,
        image=image,
        conversation=conversation,
        return_conversation=validate_flag("return_conversation", return_conversation),
        access=_janus_access(access, conversation),
    )


def _janus_access(access: ZeroGPUAccess, conversation: Optional[JsonConversation]) -> ZeroGPUAccess:
    """Janus acquires with the conversation's uuid: none on a first turn, so the hub page is read.

    A token given by the caller is used as is, with the ``zerogpu_uuid`` given beside it.
    """
    if access.api_key is not None:
        return access
    known_uuid = getattr(conversation, "zerogpu_uuid", None) if conversation is not None else None
    return ZeroGPUAccess(api_key=None, uuid=known_uuid, cookies=access.cookies)
