"""An image function of a Space called by name over ``/call/<api>`` (FLUX.1-schnell, SD 3.5).

The plans of those Spaces differ only in data: their inputs and the headers the call carries.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from ..cancel import CancelScope
from ..events import Event
from ..gradio.call_api import CALL_API, ApiCall
from ..gradio.endpoints import resolve_function
from ..gradio.protocol import run_job
from ..runtime import Runtime
from .base import SpacePlan
from .image_events import image_events

__all__ = ["CallImagePlan"]


@dataclass(frozen=True)
class CallImagePlan(SpacePlan):
    """POST the inputs to ``/call/<api_name>``, stream the previews and the image.

    Subclasses give :meth:`payload` (and :meth:`headers` when the Space needs credentials).
    """

    api_name: ClassVar[str] = "infer"

    def payload(self) -> list[Any]:
        """The inputs, in the Space function's order."""
        raise NotImplementedError

    def headers(self) -> dict[str, str]:
        """Headers for this Space's ``/call`` requests only (none by default)."""
        return {}

    def run(self, runtime: Runtime, scope: CancelScope) -> Iterator[Event]:
        space = runtime.space(self.space_id)
        payload = self.payload()
        # /call/<api> names the function itself; the check keeps a changed Space from being
        # called with inputs it no longer takes.
        resolve_function(space, self.api_name, inputs=len(payload), scope=scope)
        call = ApiCall(self.api_name, payload, headers=self.headers())
        events = run_job(CALL_API, space, call, scope=scope)
        yield from image_events(events, space, self.prompt, scope, statuses=None)
