"""A handle on any Gradio Space: its API (``api()``) and calls of any endpoint by name.

``client.space("owner/name")`` (or a base URL) gives a :class:`Space`. Nothing is sent until it
is used; then ``/config`` (shared with the client's providers) and ``/info`` are read once and
kept. A call is checked against the endpoint's parameters before any job request, and runs as
a :class:`~hfspace_sdk.Job` on the client's pool, with its timeouts, cancel, retries and errors.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator
from typing import Any, Optional

from .._retry import call_with_retries
from ..cancel import CancelScope
from ..config import check_http_url
from ..errors import InvalidArgumentError, ProtocolError, ResponseStatusError
from ..gradio.api_info import Endpoint, EndpointDescription, describe_endpoints, parse_api_info
from ..gradio.endpoints import quoted_names
from ..gradio.space import GradioApp
from ..gradio.values import bind_arguments
from ..http import read_json
from ..jobs import Job
from ..queue_status import QueueStatus, parse_queue_status
from ..runtime import Runtime
from .calls import SpaceCall
from .inputs import prepare_inputs

__all__ = ["Space", "SpaceHandles", "parse_space_reference"]

logger = logging.getLogger(__name__)

_SPACE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,95}/[A-Za-z0-9][A-Za-z0-9._-]{0,95}")
#: Answers to ``/info`` that mean "no usable description here" (kept: asked once per handle).
_NO_DESCRIPTION = frozenset({404, 405, 410, 500, 501})
_LISTED = 12  # endpoint names quoted in an error, at most


def parse_space_reference(space: Any) -> tuple[Optional[str], str]:
    """``(hub id, base URL)`` of a Space given as ``"owner/name"`` or an http(s) base URL.

    The hub id is None for a URL; a Space id's URL is decided by the client's ``space_urls``.

    Raises:
        InvalidArgumentError: neither a Space id nor an http(s) URL.
    """
    if isinstance(space, str) and space.strip().lower().startswith(("http://", "https://")):
        return None, check_http_url("space", space)
    if not isinstance(space, str) or not _SPACE_ID.fullmatch(space.strip()):
        raise InvalidArgumentError(
            f"space must be a Space id like 'owner/name' or an http(s) URL, not {space!r:.100}"
        )
    return space.strip(), ""


class Space:
    """One Gradio Space: list its endpoints, call any of them by name.

    Thread-safe: one handle may serve many threads (the first use reads the API description
    once; the others wait for it). Its calls run on its client's pool, and stop with it.

    Example::

        space = client.space("hfspace-sdk/demo")
        print(space.predict("/repeat", "hello", times=3))
    """

    def __init__(self, runtime: Runtime, app: GradioApp, *, hub_id: Optional[str]) -> None:
        self._runtime = runtime
        self._app = app
        self._hub_id = hub_id
        self._endpoints: Optional[dict[str, Endpoint]] = None
        self._lock = threading.Lock()

    @property
    def space_id(self) -> str:
        """The Space's hub id (``owner/name``), or its URL when it was given by URL."""
        return self._app.space_id

    @property
    def url(self) -> str:
        """The base URL requests go to (a ``space_urls`` override applied)."""
        return self._app.base_url

    # --- the API description ----------------------------------------------------------------

    def api(self, *, include_hidden: bool = False) -> list[Endpoint]:
        """The Space's endpoints, as its API page lists them (``include_hidden``: with the
        undocumented ones too), in the Space's order.

        Raises:
            ProtocolError: ``/config`` is not a Gradio config (a sleeping or private Space).
            ResponseStatusError, SpaceConnectionError, SpaceTimeoutError: the Space kept failing.
        """
        endpoints = self._describe().values()
        return [e for e in endpoints if include_hidden or e.documented]

    def endpoint(self, api_name: str) -> Endpoint:
        """The endpoint called ``api_name`` (with or without its leading slash), hidden or not.

        Raises:
            InvalidArgumentError: the Space has no such endpoint (the message lists them).
            ProtocolError, ResponseStatusError, SpaceConnectionError, SpaceTimeoutError: as
                for :meth:`api`.
        """
        if not isinstance(api_name, str) or not api_name.strip().strip("/"):
            raise InvalidArgumentError(
                f"api_name must name an endpoint, like '/predict', not {api_name!r:.100}"
            )
        endpoints = self._describe()
        found = endpoints.get(api_name.strip().lstrip("/"))
        if found is None:
            raise InvalidArgumentError(
                f"{self.space_id} has no endpoint /{api_name.strip().lstrip('/')}; "
                f"{_listing(list(endpoints.values()))}"
            )
        return found

    def _describe(self) -> dict[str, Endpoint]:
        with self._lock:  # first use: one thread reads, the others wait for its answer
            if self._endpoints is None:
                scope = CancelScope(self._runtime.settings.timeout.total)
                info = self._app.info(scope)
                self._endpoints = describe_endpoints(info, self._read_info(scope))
            return self._endpoints

    def _read_info(self, scope: CancelScope) -> Optional[dict[str, EndpointDescription]]:
        """``/info?all_endpoints=true``, or None when the Space has none that can be used."""
        app = self._app
        url = app.api_url("/info", scope)
        try:
            response = call_with_retries(
                lambda: app.http.request(
                    "GET", url, space=app.space_id, scope=scope, params={"all_endpoints": "true"}
                ),
                what=f"/info of {app.space_id}",
                sleep=self._runtime.settings.retry_sleep,
                scope=scope,
            )
            return parse_api_info(read_json(response, space=app.space_id, what="/info"))
        except (ResponseStatusError, ProtocolError) as exc:
            if isinstance(exc, ResponseStatusError) and exc.status_code not in _NO_DESCRIPTION:
                raise
            logger.info(
                "%s describes no API (%s): parameters are positional, names unknown",
                app.space_id,
                exc,
            )
            return None

    def queue_status(self) -> QueueStatus:
        """How many jobs the Space's queue holds now, and its wait estimate (``/queue/status``).

        Ask before submitting to a busy Space. Read fresh each time (retried on transient
        failures, within the client's timeouts).

        Raises:
            ProtocolError: ``/config`` is not a Gradio config, or the answer is no queue status.
            ResponseStatusError, SpaceConnectionError, SpaceTimeoutError: the Space kept failing.
        """
        app, settings = self._app, self._runtime.settings
        scope = CancelScope(settings.timeout.total)
        url = app.api_url("/queue/status", scope)
        response = call_with_retries(
            lambda: app.http.request("GET", url, space=app.space_id, scope=scope),
            what=f"the queue status of {app.space_id}",
            sleep=settings.retry_sleep,
            scope=scope,
        )
        answer = read_json(response, space=app.space_id, what="/queue/status")
        return parse_queue_status(answer, space=app.space_id)

    # --- calls ------------------------------------------------------------------------------

    def submit(self, api_name: str, /, *args: Any, **kwargs: Any) -> Job:
        """Start a call of ``api_name`` and return its :class:`~hfspace_sdk.Job` at once.

        Arguments go by position or by the parameter names of :meth:`api`; defaults fill the
        rest. File and image parameters take a path, bytes, a PIL image, a URL, or an
        ``Image``/``File`` of an earlier result; they are uploaded by the job. Iterating the
        job yields ``Reasoning`` statuses, each intermediate output of a generator, and the
        final outputs last (what ``job.result()`` returns). A Space id with replicas (a list
        in ``space_urls``) runs each job on one of them, as the providers do.

        Raises:
            InvalidArgumentError: an unknown endpoint, too many arguments, an unknown keyword,
                a missing required argument, or an unreadable file; nothing is submitted.
            ProtocolError, ResponseStatusError, SpaceConnectionError, SpaceTimeoutError: the
                Space's description could not be read (first use only).
            HFSpaceError: the client is closed.
        """
        endpoint = self.endpoint(api_name)
        values = bind_arguments(endpoint, args, kwargs)
        call = SpaceCall(self._hub_id, endpoint, prepare_inputs(self._app, endpoint, values))
        runtime, app, hub_id = self._runtime, self._app, self._hub_id

        def run(scope: CancelScope) -> Iterator[Any]:
            if hub_id is None:  # a Space given by URL: no replicas
                return call.run(runtime, app, scope)
            from ..replicas import run_placed

            # Each job is placed on a replica, as the providers' are; the first replica's
            # description (the endpoints) stands for every copy of the Space.
            return run_placed(lambda: call.run(runtime, runtime.space(hub_id), scope), scope)

        return runtime.jobs.start(
            run,
            total_seconds=runtime.settings.timeout.total,
            name=f"{app.space_id} {endpoint.api_name} job",
        )

    def predict(self, api_name: str, /, *args: Any, **kwargs: Any) -> Any:
        """Call ``api_name`` and wait for its outputs: one as its value, several as a tuple.

        Arguments as for :meth:`submit`. Images come back as :class:`~hfspace_sdk.Image`,
        other files as :class:`~hfspace_sdk.File`, a gallery as a list of them.

        Raises:
            InvalidArgumentError: as for :meth:`submit`, before anything is submitted.
            SpaceError: the Space's function failed (its message, as the Space sent it).
            QuotaExceededError, SpaceTimeoutError, SpaceConnectionError, ProtocolError,
            ResponseStatusError: as for every job.
        """
        job = self.submit(api_name, *args, **kwargs)
        try:
            return job.result()
        except BaseException:
            job.cancel()  # an interrupted wait leaves no job behind
            raise

    def __repr__(self) -> str:
        return f"<Space {self.space_id!r} at {self.url}>"


def _listing(endpoints: list[Endpoint]) -> str:
    names = [e.api_name for e in endpoints if e.documented] or [e.api_name for e in endpoints]
    if not names:
        return "it has no named endpoint"
    return f"its endpoints are {quoted_names(names, limit=_LISTED)}"


class SpaceHandles:
    """The :class:`Space` handles of one client: one per Space id (any case) or URL."""

    def __init__(self, runtime: Runtime) -> None:
        self._runtime = runtime
        self._handles: dict[str, Space] = {}
        self._lock = threading.Lock()

    def get(self, space: str) -> Space:
        """The handle of ``space`` (see :func:`parse_space_reference`); no request is sent.

        Raises:
            InvalidArgumentError: ``space`` is neither a Space id nor an http(s) URL.
        """
        hub_id, url = parse_space_reference(space)
        key = hub_id.lower() if hub_id is not None else url
        with self._lock:
            handle = self._handles.get(key)
            if handle is None:
                runtime = self._runtime
                if hub_id is not None:
                    app = runtime.space(hub_id)  # shared with the providers: one /config
                else:
                    app = GradioApp(
                        url, url, runtime.http, sleep=runtime.settings.retry_sleep, on_hub=False
                    )
                handle = Space(runtime, app, hub_id=hub_id)
                self._handles[key] = handle
        return handle
