"""What a Space's ``/config`` says: its Gradio version, API prefix, protocol and named endpoints.

A pure decoder over plain decoded JSON; nothing here does I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import ProtocolError

__all__ = ["SUPPORTED_PROTOCOLS", "SpaceInfo", "parse_config"]


@dataclass(frozen=True)
class SpaceInfo:
    """What a client needs from a Space's ``/config``."""

    version: str
    api_prefix: str
    protocol: str
    fn_index_by_api_name: Mapping[str, int] = field(default_factory=dict)

    @property
    def major_version(self) -> int:
        """Gradio's major version (0 when unknown)."""
        head = self.version.split(".", 1)[0]
        return int(head) if head.isdigit() else 0


SUPPORTED_PROTOCOLS = ("sse_v3",)


def _is_path_prefix(prefix: str) -> bool:
    """A path on the Space's own origin: empty, or ``/segments`` with nothing that changes host."""
    if prefix == "":
        return True
    return (
        prefix.startswith("/")
        and not prefix.startswith("//")
        and not any(character in prefix for character in "@?#\\ %")
        and all(32 < ord(character) < 127 for character in prefix)
    )


def parse_config(config: Any) -> SpaceInfo:
    """Read the API prefix, version, protocol and named endpoints from ``/config``.

    Raises:
        ProtocolError: the answer is not a Gradio config, or its queue protocol is unsupported.
    """
    if not isinstance(config, Mapping):
        raise ProtocolError("The Space's /config is not a JSON object")
    protocol = config.get("protocol", "ws")
    if protocol not in SUPPORTED_PROTOCOLS:
        raise ProtocolError(
            f"The Space speaks Gradio queue protocol {protocol!r}; hfspace_sdk supports "
            f"{', '.join(SUPPORTED_PROTOCOLS)} (Gradio 4.x and later)"
        )
    prefix = config.get("api_prefix") or ""
    if not isinstance(prefix, str) or not _is_path_prefix(prefix):
        # A prefix such as "@other.host" would move every request (and its tokens) elsewhere.
        raise ProtocolError("The Space's /config has a malformed api_prefix")
    fn_index_by_api_name: dict[str, int] = {}
    dependencies = config.get("dependencies")
    for position, dependency in enumerate(dependencies if isinstance(dependencies, list) else []):
        if isinstance(dependency, Mapping) and isinstance(dependency.get("api_name"), str):
            fn_index = dependency.get("id", position)
            valid = isinstance(fn_index, int) and not isinstance(fn_index, bool)
            fn_index_by_api_name[dependency["api_name"]] = fn_index if valid else position
    return SpaceInfo(
        version=str(config.get("version", "")),
        api_prefix=prefix.rstrip("/"),
        protocol=str(protocol),
        fn_index_by_api_name=fn_index_by_api_name,
    )
