"""A Space's API as a caller sees it: endpoints with named, typed parameters and returns.

``{prefix}/info`` describes each named function (its parameters' Python names, types and
defaults) but gives no ``fn_index``; ``/config`` numbers the functions and lists their
components but names no parameter. :func:`describe_endpoints` joins the two. Pure: decoded JSON
in, frozen values out; nothing here does I/O.

Facts measured on Gradio 4.44.1, 5.50.0 and 6.31.0 (the look-alikes): all serve
``/info?all_endpoints=true``, which adds the undocumented functions (``show_api=False`` on 4.x
and 5.x, ``api_visibility="undocumented"`` on 6.x) and leaves out the private ones
(``api_name=False``; 6.x ``"private"``). All leave out of ``parameters`` and ``returns`` the
components whose ``skip_api`` is set (``gr.State``), which still take a slot in the function's
data. Gradio 5.x names an ``Image`` input's ``python_type`` by its FileData fields
(``"dict(path: str | None ...)"``), the others ``"filepath"``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Optional

from ..errors import ProtocolError
from .app_config import AppComponent, AppFunction, SpaceInfo

__all__ = [
    "Endpoint",
    "EndpointDescription",
    "Parameter",
    "describe_endpoints",
    "parse_api_info",
]

#: The ``type`` of a parameter the Space did not describe.
UNKNOWN_TYPE = "Any"


@dataclass(frozen=True)
class Parameter:
    """One input (or output) of an :class:`Endpoint`.

    Attributes:
        name: the Space function's parameter name (``"prompt"``), what keyword arguments use;
            for returns, the component's label. None when the Space did not describe the
            endpoint (no ``/info``): pass such parameters by position.
        type: the Python type the Space names (``"str"``, ``"float"``, ``"filepath"``,
            ``"list[...]"``); ``"Any"`` when not described.
        component: the Gradio component (``"Textbox"``, ``"Slider"``, ``"Image"``...).
        default: the value sent when the argument is left out (the component's initial value,
            as ``/info`` reports it).
        required: True when the argument must be given (no default).
        label: the component's label on the Space's page.
    """

    name: Optional[str]
    type: str = UNKNOWN_TYPE
    component: str = ""
    default: Any = field(default=None, hash=False)  # may be a list (a gallery's [])
    required: bool = True
    label: Optional[str] = None


@dataclass(frozen=True)
class EndpointDescription:
    """What ``/info`` says of one endpoint."""

    parameters: tuple[Parameter, ...]
    returns: tuple[Parameter, ...]
    documented: bool = True


@dataclass(frozen=True)
class Endpoint:
    """A function of a Space that can be called by name.

    Attributes:
        api_name: its name with the leading slash, as ``/info`` writes it (``"/infer"``).
        parameters: its inputs, in order.
        returns: its outputs, in order.
        function: what ``/config`` says of it (``fn_index``, trigger, components).
        generator: True when it sends intermediate outputs before the final one.
        documented: listed on the Space's API page (False for a hidden function).
        described: False when the Space did not describe it (no ``/info``): parameter names
            and defaults are unknown, every argument is positional and required.
    """

    api_name: str
    parameters: tuple[Parameter, ...]
    returns: tuple[Parameter, ...]
    function: AppFunction = field(repr=False, compare=False)
    generator: bool = False
    documented: bool = True
    described: bool = True

    @property
    def fn_index(self) -> int:
        """The function's position in ``/config``: what the queue protocol sends."""
        return self.function.fn_index


# --- /info --------------------------------------------------------------------------------


def parse_api_info(body: Any) -> dict[str, EndpointDescription]:
    """The endpoints ``/info`` describes, by api name without the slash.

    An endpoint whose description is malformed is left out (it is then treated as one the
    Space did not describe).

    Raises:
        ProtocolError: the answer is not an ``/info`` document.
    """
    named = body.get("named_endpoints") if isinstance(body, Mapping) else None
    if not isinstance(named, Mapping):
        raise ProtocolError("The Space's /info has no named_endpoints object")
    found: dict[str, EndpointDescription] = {}
    for name, entry in named.items():
        if not isinstance(name, str) or not name.strip("/") or not isinstance(entry, Mapping):
            continue
        description = _description(entry)
        if description is not None:
            found.setdefault(name.lstrip("/"), description)
    return found


def _description(entry: Mapping[str, Any]) -> Optional[EndpointDescription]:
    parameters = entry.get("parameters")
    returns = entry.get("returns")
    if not isinstance(parameters, list) or not isinstance(returns, list):
        return None
    inputs = [_parameter(item) for item in parameters]
    outputs = [_returned(item) for item in returns]
    if any(item is None for item in inputs) or any(item is None for item in outputs):
        return None
    visibility = entry.get("api_visibility")  # Gradio 6; show_api before
    documented = (
        visibility == "public"
        if isinstance(visibility, str)
        else entry.get("show_api") is not False
    )
    return EndpointDescription(
        parameters=tuple(item for item in inputs if item is not None),
        returns=tuple(item for item in outputs if item is not None),
        documented=documented,
    )


def _str(value: Any) -> Optional[str]:
    return value if isinstance(value, str) else None


def _python_type(item: Mapping[str, Any]) -> str:
    python_type = item.get("python_type")
    name = python_type.get("type") if isinstance(python_type, Mapping) else None
    return name if isinstance(name, str) and name else UNKNOWN_TYPE


def _parameter(item: Any) -> Optional[Parameter]:
    if not isinstance(item, Mapping):
        return None
    name = _str(item.get("parameter_name"))
    if not name:
        return None
    has_default = item.get("parameter_has_default") is True
    return Parameter(
        name=name,
        type=_python_type(item),
        component=_str(item.get("component")) or "",
        default=item.get("parameter_default") if has_default else None,
        required=not has_default,
        label=_str(item.get("label")),
    )


def _returned(item: Any) -> Optional[Parameter]:
    if not isinstance(item, Mapping):
        return None
    label = _str(item.get("label"))
    return Parameter(
        name=label,
        type=_python_type(item),
        component=_str(item.get("component")) or "",
        required=False,
        label=label,
    )


# --- joined with /config ------------------------------------------------------------------


def component_name(component: AppComponent) -> str:
    """The name ``/info`` gives a component type (``"textbox"`` → ``"Textbox"``)."""
    return component.type.capitalize()


def _undescribed(component: AppComponent, *, output: bool) -> Parameter:
    return Parameter(
        name=component.label if output else None,
        component=component_name(component),
        required=not output,
        label=component.label,
    )


def _visible(components: Optional[tuple[AppComponent, ...]]) -> Optional[list[AppComponent]]:
    return None if components is None else [c for c in components if not c.skip_api]


def _endpoint(function: AppFunction, description: Optional[EndpointDescription]) -> Endpoint:
    """The endpoint of one named function, described by ``/info`` when its description fits."""
    name = f"/{function.api_name}"
    inputs, outputs = _visible(function.inputs), _visible(function.outputs)
    fits = description is not None and (
        (inputs is None or len(inputs) == len(description.parameters))
        and (outputs is None or len(outputs) == len(description.returns))
    )
    if description is not None and fits:
        return Endpoint(
            api_name=name,
            parameters=description.parameters,
            returns=description.returns,
            function=function,
            generator=function.generator,
            documented=description.documented and function.public,
        )
    return Endpoint(
        api_name=name,
        parameters=tuple(_undescribed(c, output=False) for c in inputs or ()),
        returns=tuple(_undescribed(c, output=True) for c in outputs or ()),
        function=function,
        generator=function.generator,
        documented=function.public,
        described=False,
    )


def describe_endpoints(
    info: SpaceInfo, described: Optional[Mapping[str, EndpointDescription]]
) -> dict[str, Endpoint]:
    """Every endpoint that can be called by name, by api name without the slash, in
    ``/config`` order.

    Args:
        info: the Space's ``/config``.
        described: what ``/info?all_endpoints=true`` says, or None when the Space has no
            ``/info``: then every named function of ``/config`` is an endpoint whose parameters
            are positional. With it, a function it does not list is private and left out.
    """
    endpoints: dict[str, Endpoint] = {}
    for function in info.functions:
        name = function.api_name
        if name is None or name in endpoints:
            continue
        if described is not None and name not in described:
            continue  # private: not callable by name
        endpoints[name] = _endpoint(function, None if described is None else described[name])
    return endpoints
