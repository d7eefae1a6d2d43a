"""The OpenAI-style facade: ``client.images``, ``client.chat.completions``, ``client.submit``.

The client owns a runtime (settings, connections, the job pool); its resources run the
providers' plans on it. No I/O happens when a client is built.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any, Union

from .jobs import Job
from .runtime import RuntimeOwner

if TYPE_CHECKING:
    from .providers.registry import ProviderChoice
    from .quota import ZeroGPUQuota
    from .resources.chat import Chat
    from .resources.images import Images
    from .spaces import Space, SpaceHandles

__all__ = ["Client"]


class Client(RuntimeOwner):
    """Generate images and chat through Hugging Face Spaces, with OpenAI-style calls.

    Every option is keyword-only, or comes in a :class:`~hfspace_sdk.Settings` (see
    :class:`~hfspace_sdk.runtime.RuntimeOwner`); nothing is sent until the first call.
    Thread-safe: one client may be shared by all the threads of a script or a web app; its jobs
    run on one pool of ``max_workers`` threads. Close it (or use ``with``) when done; the
    results it returned stay usable.

    Example::

        with Client() as client:
            result = client.images.generate("a red fox", model="flux-dev")
        result.data[0].save("fox.webp")
    """

    # The resources load the providers on first use: `from hfspace_sdk import Client` stays cheap.
    # (Two threads racing on first use build two equal resources over one runtime: harmless.)
    @cached_property
    def images(self) -> Images:
        """Image generation: ``generate``, ``stream``, ``generate_many``."""
        from .resources.images import Images

        return Images(self._runtime)

    @cached_property
    def chat(self) -> Chat:
        """Chat: ``chat.completions.create``."""
        from .resources.chat import Chat

        return Chat(self._runtime)

    @cached_property
    def _space_handles(self) -> SpaceHandles:
        from .spaces import SpaceHandles

        return SpaceHandles(self._runtime)

    def space(self, space: str) -> Space:
        """A handle on any Gradio Space: ``"owner/name"`` (``space_urls`` applied) or a base URL.

        The same Space gives the same handle. Nothing is sent until it is used; its ``/config``
        is the one the providers read (one fetch per client). See :class:`~hfspace_sdk.Space`.

        Raises:
            InvalidArgumentError: neither a Space id nor an http(s) URL.
        """
        return self._space_handles.get(space)

    def submit(
        self,
        model: str,
        messages: Union[str, Sequence[Mapping[str, Any]]],
        *,
        provider: ProviderChoice = None,
        **params: Any,
    ) -> Job:
        """Start any generation as a :class:`Job` (events, ``result()``, ``cancel()``).

        Raises:
            InvalidArgumentError: bad input, before any request.
        """
        from .params import as_messages
        from .providers.base import start_plan
        from .providers.registry import resolve_provider

        plan = resolve_provider(provider).prepare(model, as_messages(messages), **params)
        return start_plan(self._runtime, plan)

    def zerogpu_quota(self) -> ZeroGPUQuota:
        """The ZeroGPU time left to the HF token's account (``GET {hub}/api/spaces/zero-gpu/quota``).

        Check it before a long generation: a job that runs out of quota fails with
        :class:`~hfspace_sdk.QuotaExceededError` after waiting in the queue. The token goes to
        the hub only; retried on transient failures, within the client's timeouts.

        Raises:
            MissingAuthError: no HF token (nothing is sent), or the hub refused it.
            ProtocolError: the hub's answer is not a quota (the message names what is wrong).
            ResponseStatusError, SpaceConnectionError, SpaceTimeoutError: the hub kept failing.
        """
        from .quota import fetch_zerogpu_quota

        runtime = self._runtime
        return fetch_zerogpu_quota(
            runtime.http, runtime.settings, sleep=runtime.settings.retry_sleep
        )

    def download(self, url: str) -> bytes:
        """Fetch an image URL (size-capped, content-checked, no credentials sent).

        Raises:
            HFSpaceError: the client is closed (the images it returned still download).
        """
        from .images import download_image

        return download_image(self._runtime.http, url)
