"""What a Space's ``/config`` says: its Gradio version, API prefix, protocol and functions.

A pure decoder over plain decoded JSON; nothing here does I/O.

Gradio numbers an app's functions (``fn_index``) in the order their event listeners were
registered, and its components (the ``trigger_id``) in the order they were created, so a Space
that gains a listener or a component shifts them. The ``api_name`` of each function does not
move: clients find functions by it. Since Gradio 4.0 every listener has one (its function's
name unless the app passes ``api_name=False``); Gradio 3.x named only the listeners given an
explicit ``api_name``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Optional

from ..errors import ProtocolError

__all__ = ["SUPPORTED_PROTOCOLS", "AppComponent", "AppFunction", "SpaceInfo", "parse_config"]


@dataclass(frozen=True)
class AppComponent:
    """A component of the app: its id, Gradio type (``"image"``, ``"slider"``...) and label.

    ``skip_api`` marks what the API leaves out (``gr.State``, layout blocks): ``/info`` does not
    list it, yet a function's data still has a slot for it.
    """

    id: int
    type: str = ""
    label: Optional[str] = None
    skip_api: bool = False


@dataclass(frozen=True)
class AppFunction:
    """One function of the app (an entry of ``dependencies``), as the queue protocol calls it.

    Attributes:
        fn_index: its position, what ``queue/join`` sends.
        api_name: its name without the slash (``"infer"``), None when the app hides it.
        targets: the ``(component id, event)`` pairs that fire it, in the app's order.
        inputs, outputs: the components it reads and writes, in the function's order (None
            when the config does not list them: every Gradio server does, stubs may not).
        queued: False for ``queue=False`` functions.
        generator: True when it yields intermediate outputs.
        public: listed in the Space's ``/info`` (``show_api`` or ``api_visibility``).
    """

    fn_index: int
    api_name: Optional[str] = None
    targets: tuple[tuple[Optional[int], str], ...] = ()
    inputs: Optional[tuple[AppComponent, ...]] = None
    outputs: Optional[tuple[AppComponent, ...]] = None
    queued: bool = True
    generator: bool = False
    public: bool = True

    def trigger_id(self, event: Optional[str] = None) -> Optional[int]:
        """The component id the web page sends for this function: the first target's, or the
        first target firing on ``event`` (``"submit"``) when there is one."""
        ids = [component for component, name in self.targets if event in (None, name)]
        ids = ids or [component for component, _ in self.targets]
        return ids[0] if ids else None


@dataclass(frozen=True)
class SpaceInfo:
    """What a client needs from a Space's ``/config``."""

    version: str
    api_prefix: str
    protocol: str
    functions: tuple[AppFunction, ...] = ()
    enable_queue: bool = True

    @property
    def fn_index_by_api_name(self) -> Mapping[str, int]:
        """The named functions' indexes."""
        return {f.api_name: f.fn_index for f in self.functions if f.api_name is not None}

    @property
    def names_functions(self) -> bool:
        """True when at least one function has an ``api_name`` (Gradio 4.0 and later)."""
        return any(f.api_name is not None for f in self.functions)

    def function(self, api_name: str) -> Optional[AppFunction]:
        """The function called ``api_name`` (with or without its leading slash)."""
        wanted = api_name.lstrip("/")
        return next((f for f in self.functions if f.api_name == wanted), None)

    def function_at(self, fn_index: int) -> Optional[AppFunction]:
        """The function with this ``fn_index``."""
        return next((f for f in self.functions if f.fn_index == fn_index), None)

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
    components = _components(config.get("components"))
    dependencies = config.get("dependencies")
    functions = tuple(
        _function(position, dependency, components)
        for position, dependency in enumerate(
            dependencies if isinstance(dependencies, list) else []
        )
        if isinstance(dependency, Mapping)
    )
    return SpaceInfo(
        version=str(config.get("version", "")),
        api_prefix=prefix.rstrip("/"),
        protocol=str(protocol),
        functions=functions,
        enable_queue=config.get("enable_queue", True) is not False,
    )


def _int(value: Any) -> Optional[int]:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _components(entries: Any) -> dict[int, AppComponent]:
    """The components by id (layout blocks included: they cost nothing to keep)."""
    found: dict[int, AppComponent] = {}
    for entry in entries if isinstance(entries, list) else []:
        component_id = _int(entry.get("id")) if isinstance(entry, Mapping) else None
        if component_id is None:
            continue
        props = entry.get("props")
        label = props.get("label") if isinstance(props, Mapping) else None
        kind = str(entry.get("type") or "")
        skip_api = entry.get("skip_api")
        found[component_id] = AppComponent(
            id=component_id,
            type=kind,
            label=label if isinstance(label, str) else None,
            # configs without the key (before Gradio 4): only state is known to be left out
            skip_api=skip_api if isinstance(skip_api, bool) else kind == "state",
        )
    return found


def _component_list(
    ids: Any, components: Mapping[int, AppComponent]
) -> Optional[tuple[AppComponent, ...]]:
    if not isinstance(ids, list):
        return None
    chosen = [_int(i) for i in ids]
    return tuple(components.get(i, AppComponent(id=i)) for i in chosen if i is not None)


def _targets(entries: Any) -> tuple[tuple[Optional[int], str], ...]:
    return tuple(
        (_int(target[0]), str(target[1]))
        for target in (entries if isinstance(entries, list) else [])
        if isinstance(target, list) and len(target) == 2
    )


def _function(
    position: int, dependency: Mapping[str, Any], components: Mapping[int, AppComponent]
) -> AppFunction:
    fn_index = _int(dependency.get("id"))
    api_name = dependency.get("api_name")
    types = dependency.get("types")
    visibility = dependency.get("api_visibility")  # Gradio 6; show_api before
    return AppFunction(
        fn_index=position if fn_index is None else fn_index,
        api_name=api_name.lstrip("/") if isinstance(api_name, str) and api_name else None,
        targets=_targets(dependency.get("targets")),
        inputs=_component_list(dependency.get("inputs"), components),
        outputs=_component_list(dependency.get("outputs"), components),
        queued=dependency.get("queue") is not False,
        generator=isinstance(types, Mapping) and types.get("generator") is True,
        public=visibility == "public"
        if isinstance(visibility, str)
        else dependency.get("show_api") is not False,
    )
