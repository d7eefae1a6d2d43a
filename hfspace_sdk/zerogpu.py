"""ZeroGPU credentials: the ``x-zerogpu-token``/``x-zerogpu-uuid`` headers a Space's queue wants.

Follows g4f: without credentials the headers carry the Gradio web frontend's anonymous value;
with an HF token (or cookies) the hub's ``/api/spaces/{space}/jwt`` gives a real token; a
first Janus turn also reads the Space page for a session uuid. Hub requests are retried on
transient failures. The HF token and cookies go to the hub only; the ZeroGPU token goes to the
Space only.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, Callable, Optional
from urllib.parse import quote

from ._retry import call_with_retries
from .cancel import CancelScope
from .config import Settings
from .errors import HFSpaceError, ProtocolError
from .http import HttpClient

if TYPE_CHECKING:
    import requests

__all__ = [
    "ANONYMOUS_TOKEN",
    "ZeroGPUCredentials",
    "acquire_zerogpu_credentials",
    "jwt_url",
    "parse_jwt_answer",
    "parse_space_page",
]

logger = logging.getLogger(__name__)

#: What the Gradio web frontend sends when it has no token (a JavaScript object stringified).
ANONYMOUS_TOKEN = "[object Object]"
# Compiled (and cached by ``re``) on first use, not at import.
_PAGE_TOKEN = r"&quot;token&quot;:&quot;([^&]+?)&quot;"
_PAGE_UUID = r"&quot;sessionUuid&quot;:&quot;([^&]+?)&quot;"


@dataclass(frozen=True, repr=False)
class ZeroGPUCredentials:
    """The token and session uuid to send with a job. The token never appears in ``repr``."""

    token: Optional[str] = ANONYMOUS_TOKEN
    uuid: Optional[str] = ANONYMOUS_TOKEN

    def headers(self) -> dict[str, str]:
        """The request headers, leaving out missing values (as g4f does)."""
        values = {"x-zerogpu-token": self.token, "x-zerogpu-uuid": self.uuid}
        return {name: value for name, value in values.items() if value is not None}

    @property
    def is_anonymous(self) -> bool:
        """True when no real token was obtained."""
        return self.token in (None, ANONYMOUS_TOKEN)

    def __repr__(self) -> str:
        token = "anonymous" if self.is_anonymous else "***"
        return f"ZeroGPUCredentials(token={token}, uuid={self.uuid!r})"


def jwt_url(hub_url: str, space_id: str, now: datetime) -> str:
    """The hub URL that issues a ZeroGPU token valid for ten minutes from ``now``."""
    expiration = (now + timedelta(minutes=10)).isoformat(timespec="milliseconds")
    return f"{hub_url}/api/spaces/{space_id}/jwt?expiration={quote(expiration)}&include_pro_status=true"


def parse_space_page(page: str) -> tuple[Optional[str], Optional[str]]:
    """The ``(token, sessionUuid)`` embedded (HTML-escaped) in a Space's hub page."""
    token = re.search(_PAGE_TOKEN, page)
    uuid = re.search(_PAGE_UUID, page)
    return (token.group(1) if token else None, uuid.group(1) if uuid else None)


def parse_jwt_answer(answer: Any) -> str:
    """The token from the hub's jwt answer.

    Raises:
        ProtocolError: the answer holds no token.
    """
    token = answer.get("token") if isinstance(answer, Mapping) else None
    if not isinstance(token, str) or not token:
        raise ProtocolError("The hub's ZeroGPU token answer holds no token")
    return token


@dataclass(frozen=True, repr=False)
class _Hub:
    """GET requests to the hub with the caller's credentials, retried on transient failures."""

    http: HttpClient
    settings: Settings
    cookies: Optional[Mapping[str, str]]
    scope: Optional[CancelScope]
    sleep: Optional[Callable[[float], None]]

    def _credentials(self) -> dict[str, Any]:
        """The HF token and/or the cookies: sent to the hub and nowhere else."""
        options: dict[str, Any] = {}
        if self.settings.hf_token:
            options["headers"] = {"authorization": f"Bearer {self.settings.hf_token}"}
        jar = dict(self.cookies) if self.cookies is not None else dict(self.settings.cookies)
        if jar:
            options["cookies"] = jar
        return options

    @property
    def has_credentials(self) -> bool:
        return bool(self._credentials())

    def get(self, url: str, *, what: str) -> requests.Response:
        credentials = self._credentials()
        return call_with_retries(
            lambda: self.http.request("GET", url, space=None, scope=self.scope, **credentials),
            what=what,
            sleep=self.sleep,
            scope=self.scope,
        )


def _read_page(hub: _Hub, space_id: str) -> tuple[Optional[str], Optional[str]]:
    try:
        response = hub.get(
            f"{hub.settings.hub_url}/spaces/{space_id}", what=f"the hub page of {space_id}"
        )
    except HFSpaceError as exc:
        if hub.scope is not None and hub.scope.cancelled:
            raise
        # g4f never failed on the page read: the job can still run with anonymous headers.
        logger.warning(
            "Could not read the hub page of %s (%s); continuing anonymously", space_id, exc
        )
        return None, None
    return parse_space_page(response.text)


def _request_jwt(hub: _Hub, space_id: str) -> str:
    url = jwt_url(hub.settings.hub_url, space_id, datetime.now(timezone.utc))
    response = hub.get(url, what=f"a ZeroGPU token for {space_id}")
    try:
        answer = response.json()
    except ValueError as exc:
        raise ProtocolError("The hub's ZeroGPU token answer is not JSON") from exc
    return parse_jwt_answer(answer)


def acquire_zerogpu_credentials(
    http: HttpClient,
    settings: Settings,
    space_id: str,
    *,
    uuid: Optional[str],
    cookies: Optional[Mapping[str, str]] = None,
    scope: Optional[CancelScope] = None,
    sleep: Optional[Callable[[float], None]] = None,
) -> ZeroGPUCredentials:
    """Get the ZeroGPU headers for a job on ``space_id``.

    Args:
        http: the client's HTTP layer.
        settings: the hub URL, HF token and default cookies.
        space_id: the Space the job runs on.
        uuid: the session uuid already known; ``None`` reads it (and a page token) from the
            Space's hub page, as g4f does on a first Janus turn.
        cookies: per-call hub cookies, replacing the settings' cookies.
        scope: the job's cancel scope.
        sleep: the wait between retries (tests inject a fake).

    Raises:
        MissingAuthError: the hub refused the HF token or cookies.
        ResponseStatusError, SpaceConnectionError, SpaceTimeoutError: the hub kept failing.
    """
    hub = _Hub(http, settings, cookies, scope, sleep)
    token: Optional[str] = ANONYMOUS_TOKEN
    if uuid is None:
        page_token, uuid = _read_page(hub, space_id)
        token = page_token or token
    if hub.has_credentials:
        token = _request_jwt(hub, space_id)
    return ZeroGPUCredentials(token=token, uuid=uuid)
