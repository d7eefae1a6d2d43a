"""What an image Space's job looks like to the caller: statuses, previews, then the image.

FLUX.1-dev, FLUX.1-Kontext-dev and Stable Diffusion 3.5 Large all stream the same way: progress
and log messages become ``Reasoning`` statuses, each new intermediate image an
``ImagePreview``, and the final image an ``ImageResponse`` (after ``Reasoning("Finished")``
for the providers that report statuses).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Callable, Optional

from ..cancel import CancelScope
from ..events import Event, ImagePreview, ImageResponse, Reasoning
from ..gradio.files import output_url
from ..gradio.messages import Completed, Generating, TransportEvent
from ..gradio.space import GradioApp
from ..gradio.statuses import status_for

__all__ = ["StatusLine", "image_events"]

#: How a provider shows a transport event as a status (None: not a status).
StatusLine = Callable[[TransportEvent], Optional[Reasoning]]


def image_events(
    events: Iterable[TransportEvent],
    space: GradioApp,
    prompt: str,
    scope: CancelScope,
    *,
    statuses: Optional[StatusLine] = status_for,
) -> Iterator[Event]:
    """The caller's events for one image job; the final image comes last.

    Args:
        events: the job's transport events (from :func:`~hfspace_sdk.gradio.protocol.run_job`).
        space: the Space, to make file paths into URLs.
        prompt: the ``alt`` of the images.
        scope: the job's scope.
        statuses: the status line of a transport event; None shows no statuses and no
            ``"Finished"`` (the ``/call`` providers, as in g4f).

    Raises:
        ProtocolError: an output is not a file.
    """
    last_preview: Optional[str] = None
    for event in events:
        status = statuses(event) if statuses is not None else None
        if status is not None:
            yield status
        elif isinstance(event, Generating) and event.data and event.data[0] is not None:
            # (an image output of None: nothing drawn yet, so nothing to preview)
            url = output_url(space, event.data[0], scope)
            if url != last_preview:  # a generator may yield other outputs (the seed) alone
                last_preview = url
                yield ImagePreview(url, prompt)
        elif isinstance(event, Completed) and event.data:
            if statuses is not None:
                yield Reasoning(status="Finished")
            yield ImageResponse(output_url(space, event.data[0], scope), prompt)
