"""An image function of a ZeroGPU Space, run over Gradio's queue (FLUX.1-dev, FLUX.1-Kontext-dev).

The plans of those Spaces differ only in data: their inputs, their api name (with g4f's numbers
for a config that names no function), the theme of their referer and how they word statuses.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar, Optional

from ..cancel import CancelScope
from ..events import Event, Reasoning
from ..gradio.endpoints import G4FNumbers, resolve_function
from ..gradio.messages import TransportEvent
from ..gradio.protocol import run_job
from ..gradio.queue_api import QUEUE, QueuedCall
from ..gradio.space import GradioApp
from ..gradio.statuses import status_for
from ..runtime import Runtime
from .base import SpacePlan
from .image_events import image_events
from .zerogpu_access import ZeroGPUAccess

__all__ = ["QueuedImagePlan"]


@dataclass(frozen=True)
class QueuedImagePlan(SpacePlan):
    """Resolve the function by name, get ZeroGPU headers, join the queue, stream the image.

    Subclasses give :meth:`payload` (or :meth:`inputs`, for inputs that hold an upload) and
    the class attributes below.
    """

    access: ZeroGPUAccess

    api_name: ClassVar[str] = "infer"
    g4f_numbers: ClassVar[G4FNumbers]  # fn_index, trigger_id: unnamed configs only
    theme: ClassVar[str] = "light"  # of the referer, as the Space's web page sends it

    def payload(self) -> list[Any]:
        """The inputs, in the Space function's order."""
        raise NotImplementedError

    def input_count(self) -> int:
        """How many inputs the Space function takes."""
        return len(self.payload())

    def inputs(self, space: GradioApp, session_hash: str, scope: CancelScope) -> list[Any]:
        """The inputs to send, once any file they hold is uploaded (in the job)."""
        return self.payload()

    def status_line(self, event: TransportEvent) -> Optional[Reasoning]:
        """The status shown for a transport event (g4f's lines for logs and progress)."""
        return status_for(event)

    def run(self, runtime: Runtime, scope: CancelScope) -> Iterator[Event]:
        space = runtime.space(self.space_id)
        function = resolve_function(
            space,
            self.api_name,
            inputs=self.input_count(),
            scope=scope,
            fallback=self.g4f_numbers,
        )
        session_hash = uuid.uuid4().hex
        data = self.inputs(space, session_hash, scope)
        credentials = self.access.credentials(runtime, self.space_id, scope)
        referer = f"{space.base_url}/?__theme={self.theme}"
        call = QueuedCall(
            fn_index=function.fn_index,
            trigger_id=function.trigger_id("submit"),  # the prompt's submit, as g4f sends
            data=data,
            session_hash=session_hash,
            headers={"accept": "application/json", "referer": referer, **credentials.headers()},
            stream_headers={"referer": referer},
            theme=self.theme,
        )
        events = run_job(QUEUE, space, call, scope=scope)
        yield from image_events(events, space, self.prompt, scope, statuses=self.status_line)
