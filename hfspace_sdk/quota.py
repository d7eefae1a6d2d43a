"""The ZeroGPU quota of the HF token's account: ``GET {hub}/api/spaces/zero-gpu/quota``.

Users want to know what they have left before spending it on a generation (huggingface_hub
#2842, #3362). The hub answers ``{"base": 2400, "current": 1810, "resetsAt": "...Z",
"overquotaUsed": 0}`` in seconds, ``current`` being what remains and ``resetsAt`` null when
nothing was used. Parsing is pure (:func:`parse_zerogpu_quota`); :func:`fetch_zerogpu_quota`
does the one request. The HF token goes to the hub only, as for the ZeroGPU tokens.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable, Optional

from ._retry import call_with_retries
from .cancel import CancelScope
from .config import Settings
from .errors import MissingAuthError, ProtocolError
from .http import HttpClient, read_json

__all__ = ["LOW_QUOTA_FRACTION", "ZeroGPUQuota", "fetch_zerogpu_quota", "parse_zerogpu_quota"]

#: Below this fraction of ``base`` left, the quota is low (the ``hf`` CLI warns at 10 % too).
LOW_QUOTA_FRACTION = 0.1
_WHAT = "The hub's ZeroGPU quota answer"


@dataclass(frozen=True)
class ZeroGPUQuota:
    """The ZeroGPU time of the HF token's account, in seconds.

    Attributes:
        base: the quota per period.
        remaining: what is left of it now (the hub's ``current``).
        resets_at: when it is refilled (an aware UTC datetime), or None when nothing was used.
        overquota_used: seconds used beyond the quota (paid accounts).
    """

    base: float
    remaining: float
    resets_at: Optional[datetime]
    overquota_used: float

    @property
    def fraction_left(self) -> float:
        """``remaining / base`` between 0 and 1 (0 when the base is 0)."""
        if self.base <= 0:
            return 0.0
        return max(0.0, min(1.0, self.remaining / self.base))

    @property
    def is_low(self) -> bool:
        """True when less than 10 % of the base remains: a long generation may not fit."""
        return self.fraction_left < LOW_QUOTA_FRACTION


def _seconds(answer: Mapping[str, Any], key: str) -> float:
    if key not in answer:
        raise ProtocolError(f"{_WHAT} has no {key!r}")
    value = answer[key]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ProtocolError(f"{_WHAT} has {key!r} = {value!r:.60}, not a number of seconds")
    if value < 0:
        raise ProtocolError(f"{_WHAT} has a negative {key!r} ({value!r})")
    return value


def _reset_time(answer: Mapping[str, Any]) -> Optional[datetime]:
    if "resetsAt" not in answer:
        raise ProtocolError(f"{_WHAT} has no 'resetsAt'")
    value = answer["resetsAt"]
    if value is None:
        return None
    if not isinstance(value, str):
        raise ProtocolError(f"{_WHAT} has 'resetsAt' = {value!r:.60}, not a time")
    text = value.strip()
    # Python 3.9/3.10 read neither a trailing "Z" nor a lower-case "t" separator.
    if text[-1:] in ("Z", "z"):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ProtocolError(f"{_WHAT} has 'resetsAt' = {value!r:.60}, not an ISO time") from None
    if moment.tzinfo is None:  # the hub speaks UTC
        moment = moment.replace(tzinfo=timezone.utc)
    try:
        return moment.astimezone(timezone.utc)
    except (OverflowError, ValueError):
        raise ProtocolError(f"{_WHAT} has 'resetsAt' = {value!r:.60}, out of range") from None


def parse_zerogpu_quota(answer: Any) -> ZeroGPUQuota:
    """The quota in the hub's JSON answer (already decoded).

    Raises:
        ProtocolError: not an object, or a key missing or of the wrong type (named).
    """
    if not isinstance(answer, Mapping):
        raise ProtocolError(f"{_WHAT} is not a JSON object: {answer!r:.60}")
    return ZeroGPUQuota(
        base=_seconds(answer, "base"),
        remaining=_seconds(answer, "current"),
        resets_at=_reset_time(answer),
        overquota_used=_seconds(answer, "overquotaUsed"),
    )


def quota_url(hub_url: str) -> str:
    """Where the hub tells the token's account its ZeroGPU quota."""
    return f"{hub_url}/api/spaces/zero-gpu/quota"


def fetch_zerogpu_quota(
    http: HttpClient,
    settings: Settings,
    *,
    sleep: Optional[Callable[[float], None]] = None,
) -> ZeroGPUQuota:
    """Ask the hub for the quota of ``settings.hf_token``'s account.

    The request runs under the settings' timeouts (the whole of it within ``timeout.total``)
    and is retried on transient failures, like the ZeroGPU token requests.

    Raises:
        MissingAuthError: no HF token (nothing is sent), or the hub refused it (401/403;
            a fine-grained token needs "Billing > Read billing usage").
        ProtocolError: the answer is not the quota (the message says what is wrong).
        ResponseStatusError, SpaceConnectionError, SpaceTimeoutError: the hub kept failing.
    """
    url = quota_url(settings.hub_url)
    if not settings.hf_token:
        raise MissingAuthError(
            "The ZeroGPU quota needs an HF token: set HF_TOKEN or pass hf_token=",
            status_code=401,  # what the hub would answer; no request was sent
            url=url,
        )
    headers = {"authorization": f"Bearer {settings.hf_token}"}
    scope = CancelScope(settings.timeout.total)
    response = call_with_retries(
        lambda: http.request("GET", url, space=None, scope=scope, headers=headers),
        what="the ZeroGPU quota",
        sleep=sleep,
        scope=scope,
    )
    return parse_zerogpu_quota(read_json(response, space=None, what=_WHAT))
