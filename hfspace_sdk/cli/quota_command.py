"""``hfspace quota``: the ZeroGPU time left to the HF token's account.

It goes through the public :meth:`Client.zerogpu_quota <hfspace_sdk.Client.zerogpu_quota>`, so
the command behaves as the same call in Python. Laying out the answer is pure.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from ..client import Client
from ..quota import LOW_QUOTA_FRACTION, ZeroGPUQuota
from .constants import EXIT_OK
from .output import emit, say

__all__ = ["quota_command", "quota_json", "quota_lines", "quota_warning"]


def _seconds(value: float) -> str:
    number = int(value) if float(value).is_integer() else round(value, 1)
    minutes = f" ({value / 60:.1f} min)" if value >= 60 else ""
    return f"{number} s{minutes}"


def quota_lines(quota: ZeroGPUQuota) -> list[str]:
    """The quota as a person reads it: one ``name: value`` line each."""
    resets = (
        quota.resets_at.strftime("%Y-%m-%d %H:%M:%S UTC")
        if quota.resets_at is not None
        else "- (nothing used)"
    )
    return [
        f"base:            {_seconds(quota.base)}",
        f"remaining:       {_seconds(quota.remaining)} ({quota.fraction_left:.0%})",
        f"resets at:       {resets}",
        f"overquota used:  {_seconds(quota.overquota_used)}",
    ]


def quota_json(quota: ZeroGPUQuota) -> str:
    """The quota for scripts: one JSON object, the reset time in ISO 8601 (UTC) or null."""
    values: dict[str, Any] = {
        "base": quota.base,
        "remaining": quota.remaining,
        "resets_at": quota.resets_at.isoformat() if quota.resets_at is not None else None,
        "overquota_used": quota.overquota_used,
        "fraction_left": quota.fraction_left,
    }
    return json.dumps(values)


def quota_warning(quota: ZeroGPUQuota) -> str:
    """The warning for a low quota (see :attr:`ZeroGPUQuota.is_low`); empty when not low."""
    if not quota.is_low:
        return ""
    return (
        f"warning: less than {LOW_QUOTA_FRACTION:.0%} of your ZeroGPU quota remains "
        f"({quota.fraction_left:.0%}); a long generation may fail with a quota error"
    )


def quota_command(args: argparse.Namespace, client: Client) -> int:
    """``hfspace quota [--json]``: print the quota on stdout, a low-quota warning on stderr."""
    with client:
        quota = client.zerogpu_quota()
    if args.json:
        emit(quota_json(quota))
    else:
        for line in quota_lines(quota):
            emit(line)
    warning = quota_warning(quota)
    if warning:
        say(warning)
    return EXIT_OK
