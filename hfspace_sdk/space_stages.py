"""The stages of a Space as the hub names them, and what a job does in each (pure functions).

``GET {hub}/api/spaces/{id}/runtime`` answers ``{"stage": "RUNNING", "hardware": {...},
"gcTimeout": ...}``. A Space that sleeps, builds or starts answers its own URL with an HTML
page or a 502/503/504 instead of ``/config``; its stage tells a job whether to wake it, wait
for it, or give up at once with advice (a paused Space never runs until its owner restarts it).
The I/O that uses these is in :mod:`hfspace_sdk.waking`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Optional
from urllib.parse import urlsplit

from .config import default_space_url
from .errors import SpaceNotRunningError

__all__ = [
    "DEAD_STAGES",
    "NO_APP_STAGES",
    "RUNNING",
    "WAIT_STAGES",
    "WAKE_STAGES",
    "hub_stage_applies",
    "not_running_error",
    "parse_stage",
    "poll_delays",
    "says_space_in_error",
    "stage_status",
]

RUNNING = "RUNNING"
#: Asleep: a visit to the Space's URL wakes it ("a new visitor ... will wake it up").
WAKE_STAGES = frozenset({"SLEEPING", "STOPPED"})
#: On the way to running: wait (huggingface_hub's intermediate stages).
WAIT_STAGES = frozenset({"BUILDING", "RUNNING_BUILDING", "APP_STARTING", "RUNNING_APP_STARTING"})
#: No app runs at all (unlike ``RUNNING_BUILDING``): a request it failed was accepted by no one.
NO_APP_STAGES = frozenset({"SLEEPING", "STOPPED", "BUILDING", "APP_STARTING"})
#: Not running and not about to: only the owner (or a duplicate) can change that.
DEAD_STAGES = frozenset(
    {"PAUSED", "BUILD_ERROR", "RUNTIME_ERROR", "CONFIG_ERROR", "NO_APP_FILE", "DELETING"}
)
#: What ``*.hf.space`` answers (503) for a Space that crashed.
SPACE_IN_ERROR = "your space is in error"

_WHAT_HAPPENED = {
    "PAUSED": "is paused by its owner and will not run until they restart it",
    "BUILD_ERROR": "failed to build",
    "RUNTIME_ERROR": "stopped with a runtime error",
    "CONFIG_ERROR": "has a configuration error",
    "NO_APP_FILE": "has no app file",
    "DELETING": "is being deleted",
}
_WAITING_FOR = {
    "SLEEPING": "Waking up",
    "STOPPED": "Waking up",
    "BUILDING": "Waiting for the build of",
    "RUNNING_BUILDING": "Waiting for the build of",
    "APP_STARTING": "Waiting for the start of",
    "RUNNING_APP_STARTING": "Waiting for the start of",
}


def parse_stage(answer: Any) -> Optional[str]:
    """The stage in a runtime answer (upper case), or None when the answer names none."""
    if not isinstance(answer, Mapping):
        return None
    stage = answer.get("stage")
    if not isinstance(stage, str) or not stage.strip():
        return None
    return stage.strip().upper()


def stage_status(space_id: str, stage: str) -> str:
    """The progress line shown while a job waits on a Space in ``stage``."""
    if stage == RUNNING:
        return f"{space_id} is running ({stage})"
    return f"{_WAITING_FOR.get(stage, 'Waiting for')} {space_id} ({stage})"


def not_running_error(space_id: str, stage: str, hub_url: str) -> SpaceNotRunningError:
    """The error for a Space in one of :data:`DEAD_STAGES`, with what the user can do."""
    page = f"{hub_url}/spaces/{space_id}"
    what = _WHAT_HAPPENED.get(stage, f"is not running ({stage})")
    if stage == "PAUSED":
        advice = (
            f"Duplicate it ({page}, 'Duplicate this Space') and pass "
            f"space_urls={{{space_id!r}: '<the URL of your copy>'}}"
        )
    elif stage == "DELETING":
        advice = "Use another Space, or a duplicate of it through space_urls"
    else:
        advice = (
            f"Its owner must fix it (see its logs at {page}); meanwhile use another Space "
            "or a working duplicate through space_urls"
        )
    return SpaceNotRunningError(
        f"{space_id} {what} (stage {stage}). {advice}.", space=space_id, stage=stage
    )


def says_space_in_error(body: Any) -> bool:
    """True when an error body (text or JSON) is the hub's "Your space is in error" answer."""
    return body is not None and SPACE_IN_ERROR in str(body).lower()


def poll_delays(first: float = 1.0, factor: float = 1.5, cap: float = 10.0) -> Iterator[float]:
    """Seconds between two questions to the hub: 1, 1.5, 2.25, ... up to 10, then 10."""
    delay = first
    while True:
        yield delay
        delay = min(cap, delay * factor)


def hub_stage_applies(space_id: str, base_url: str) -> bool:
    """Whether the hub's stage of ``space_id`` is the stage of the Space served at ``base_url``.

    A URL on another ``*.hf.space`` host is another Space, a duplicate most often: the original
    may be paused or asleep while the copy runs, so its stage says nothing of the copy (and no
    visit to the copy would wake the original). Any other URL (the Space's own host, a proxy or
    a local server standing in for it) is taken to serve that Space.
    """
    host = (urlsplit(base_url).hostname or "").lower()
    if host == "hf.space" or host.endswith(".hf.space"):
        return host == urlsplit(default_space_url(space_id)).hostname
    return True
