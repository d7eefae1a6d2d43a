"""One Space as one client sees it: its id, base URL and (once fetched) its ``/config``."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Callable, Optional

from .._retry import call_with_retries
from ..cancel import CancelScope
from ..errors import (
    HFSpaceError,
    ProtocolError,
    QueueFullError,
    ResponseStatusError,
    SpaceConnectionError,
    SpaceTimeoutError,
)
from ..http import HttpClient, read_json

if TYPE_CHECKING:
    from ..config import Settings
    from ..replicas import ReplicaSet
    from .app_config import SpaceInfo

__all__ = ["GradioApp", "SpaceDirectory"]


class GradioApp:
    """A Space's endpoints. ``/config`` is read once, on first use, and cached.

    Thread-safe: concurrent first uses fetch ``/config`` once.
    """

    def __init__(
        self,
        space_id: str,
        base_url: str,
        http: HttpClient,
        *,
        sleep: Optional[Callable[[float], None]] = None,
        on_hub: bool = True,
    ) -> None:
        self.space_id = space_id
        self.base_url = base_url.rstrip("/")
        #: Whether the hub's stage of ``space_id`` is this URL's: not for a bare URL, nor for a
        #: duplicate on another ``*.hf.space`` host (see ``space_stages.hub_stage_applies``).
        self.on_hub = on_hub
        self.http = http
        self._sleep = sleep
        self._info: Optional[SpaceInfo] = None
        self._lock = threading.Lock()
        self._fetching = False  # a job is fetching /config
        self._waiters: list[threading.Event] = []  # jobs waiting for that fetch, woken when it ends

    def info(self, scope: Optional[CancelScope] = None) -> SpaceInfo:
        """The Space's Gradio version and API prefix, from ``/config``.

        Raises:
            ProtocolError: ``/config`` is not a Gradio config (an HTML page means the Space
                is sleeping, building or not a Gradio app).
        """
        while self._info is None:
            with self._lock:
                if self._info is not None:
                    break
                waiting = threading.Event() if self._fetching else None
                if waiting is None:
                    self._fetching = True
                else:
                    self._waiters.append(waiting)
            if waiting is None:
                self._fetch_once(scope)
            else:
                self._wait_for(waiting, scope)
        return self._info

    def _fetch_once(self, scope: Optional[CancelScope]) -> None:
        """Fetch ``/config`` for every job that needs it; wake them whatever the outcome."""
        try:
            self._info = self._first_contact(scope or CancelScope(self.http.settings.timeout.total))
        finally:
            with self._lock:
                self._fetching = False
                waiters, self._waiters = self._waiters, []
            for waiter in waiters:
                waiter.set()

    def _first_contact(self, scope: CancelScope) -> SpaceInfo:
        """``/config``, once the Space runs.

        If ``/config`` keeps failing in a way a Space's stage explains, the hub is asked
        whether the Space sleeps, builds, or is paused or broken (see
        :func:`~hfspace_sdk.waking.wait_until_running`); after a wait for it to run,
        ``/config`` gets its tries again.
        """
        try:
            return self._config_with_retries(scope)
        except HFSpaceError as failure:
            if not (self.on_hub and _may_be_down(failure, scope)):
                raise
            from ..waking import wait_until_running  # loaded only when a Space is in trouble

            if not wait_until_running(self.http, self.space_id, self.base_url, scope, failure):
                raise
        return self._config_with_retries(scope)

    def woken_after(self, failure: HFSpaceError, scope: CancelScope) -> bool:
        """Whether a submission that failed with ``failure`` may be sent again, after a wait.

        A Space can fall asleep (or be paused) after its ``/config`` was read. If the failure
        is one a stopped Space causes, the hub is asked: paused or broken raises
        :class:`SpaceNotRunningError`; asleep, building or starting (no app running, so nothing
        can have accepted the job) wakes it and waits, then True. Otherwise False: the failure
        stands, and the job is not sent again.
        """
        if not (self.on_hub and _may_be_down(failure, scope, malformed_counts=False)):
            return False
        from ..space_stages import NO_APP_STAGES
        from ..waking import wait_until_running

        return wait_until_running(
            self.http, self.space_id, self.base_url, scope, failure, waits_on=NO_APP_STAGES
        )

    def _config_with_retries(self, scope: CancelScope) -> SpaceInfo:
        return call_with_retries(
            lambda: self._fetch_info(scope),
            what=f"/config of {self.space_id}",
            sleep=self._sleep,
            scope=scope,
        )

    @staticmethod
    def _wait_for(woken: threading.Event, scope: Optional[CancelScope]) -> None:
        """Wait for another job's fetch; this job's cancel or deadline ends the wait at once.

        If that fetch failed, the caller loops round and fetches for itself.
        """
        if scope is None:
            woken.wait()
            return
        with scope.abortable(woken.set):
            woken.wait(scope.remaining())
        scope.check()

    def _fetch_info(self, scope: Optional[CancelScope]) -> SpaceInfo:
        from .app_config import parse_config  # loaded with the first Space contact

        response = self.http.request(
            "GET", f"{self.base_url}/config", space=self.space_id, scope=scope
        )
        if "json" not in response.headers.get("content-type", ""):
            raise ProtocolError(
                f"{self.space_id} answered /config with {response.headers.get('content-type') or 'no content type'}"
                " instead of JSON: the Space may be sleeping, building or not a Gradio app",
                space=self.space_id,
            )
        info = parse_config(read_json(response, space=self.space_id, what="/config"))
        return info

    @property
    def has_info(self) -> bool:
        """Whether ``/config`` was read already (so that :meth:`api_url` sends no request)."""
        return self._info is not None

    def api_url(self, path: str, scope: Optional[CancelScope] = None) -> str:
        """The absolute URL of an API route (``/call/infer``, ``/queue/join``, ...)."""
        return f"{self.base_url}{self.info(scope).api_prefix}{path}"

    def file_url(self, server_path: str, scope: Optional[CancelScope] = None) -> str:
        """Where the Space serves a file it stored at ``server_path``."""
        return self.api_url(f"/file={server_path}", scope)

    def __repr__(self) -> str:
        return f"GradioApp({self.space_id!r}, {self.base_url!r})"


#: What a Space that sleeps, builds or crashed answers in place of its app (or the hub's proxy).
_DOWN_STATUSES = frozenset({502, 503, 504})


def _may_be_down(
    failure: HFSpaceError, scope: CancelScope, *, malformed_counts: bool = True
) -> bool:
    """True for a failure that a Space's stage may explain.

    ``malformed_counts``: whether a malformed answer (a ``ProtocolError``) counts. It does for
    ``/config``, which a Space that is not running answers with a page; not for a submission,
    which such a Space answers with a 5xx, so that a malformed answer there comes from an app.
    """
    if scope.cancelled:
        return False  # the job's own cancel or deadline
    if isinstance(failure, QueueFullError):
        return False  # a Space whose queue is full runs
    if isinstance(failure, ResponseStatusError):
        return failure.status_code in _DOWN_STATUSES
    if isinstance(failure, ProtocolError):
        return malformed_counts
    return isinstance(failure, (SpaceConnectionError, SpaceTimeoutError))


class SpaceDirectory:
    """The Spaces of one client, one :class:`~hfspace_sdk.replicas.ReplicaSet` per Space id
    (one :class:`GradioApp` per base URL, with ``space_urls`` applied)."""

    def __init__(
        self,
        settings: Settings,
        http: HttpClient,
        *,
        sleep: Optional[Callable[[float], None]] = None,
    ) -> None:
        self._settings = settings
        self._http = http
        self._sleep = sleep
        self._spaces: dict[str, ReplicaSet] = {}
        self._lock = threading.Lock()

    def replicas(self, space_id: str) -> ReplicaSet:
        """The replicas of the Space with this id (ids compare case-insensitively)."""
        key = space_id.lower()
        with self._lock:
            replicas = self._spaces.get(key)
            if replicas is None:
                from ..replicas import ReplicaSet
                from ..space_stages import hub_stage_applies

                apps = [
                    GradioApp(
                        space_id,
                        url,
                        self._http,
                        sleep=self._sleep,
                        on_hub=hub_stage_applies(space_id, url),
                    )
                    for url in self._settings.replica_urls(space_id)
                ]
                replicas = self._spaces[key] = ReplicaSet(space_id, apps)
        return replicas

    def get(self, space_id: str) -> GradioApp:
        """The Space with this id: the replica the running job is placed on, else the first."""
        replicas = self.replicas(space_id)
        if len(replicas) > 1:
            from ..replicas import current_placement

            placement = current_placement()
            if placement is not None:
                return placement.app(replicas)
        return replicas.replicas[0].app
