"""What the generic-client tests share: the demo Space's id and its recorded answers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

#: The Space id the ``demo`` look-alike impersonates.
DEMO_ID = "hfspace-sdk/demo"
#: Where the ``responses`` tests send the demo Space's requests, and the hub's.
STUB_BASE = "http://space.test"
STUB_HUB = "http://hub.test"
RECORDED = Path(__file__).resolve().parent / "recorded"


def recorded(name: str) -> Any:
    """A recorded answer of the demo Space (``demo_config_6``, ``demo_info_4``...)."""
    return json.loads((RECORDED / f"{name}.json").read_text())
