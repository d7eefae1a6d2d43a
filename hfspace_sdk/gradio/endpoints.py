"""Finding a Space's function by its api_name, and checking a call against it before sending.

Providers name their endpoint (``infer``) instead of sending g4f's ``fn_index``: the numbers
move when a Space's owner adds a listener or a component, the names do not. g4f's numbers are
kept only for a config that names no function (see :mod:`.app_config`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Optional

from ..cancel import CancelScope
from ..errors import SpaceSchemaError
from .app_config import AppFunction, SpaceInfo
from .space import GradioApp

__all__ = ["G4FNumbers", "find_function", "quoted_names", "resolve_function"]

#: g4f's hard-coded ``(fn_index, trigger_id)`` of a function, the fallback for unnamed configs.
G4FNumbers = tuple[int, int]

_LISTED = 8  # names quoted in an error, at most


def find_function(
    info: SpaceInfo,
    space_id: str,
    api_name: str,
    *,
    inputs: int,
    fallback: Optional[G4FNumbers] = None,
) -> AppFunction:
    """The function ``api_name`` of a Space's config, checked to take ``inputs`` values.

    ``fallback`` is used only when the config names no function at all, or (its trigger id)
    when the config lists no targets for the function.

    Raises:
        SpaceSchemaError: the Space has no such function, or it takes another number of inputs.
    """
    endpoint = f"/{api_name.lstrip('/')}"
    function = info.function(api_name)
    if function is None and fallback is not None and not info.names_functions:
        function = info.function_at(fallback[0])
    if function is None:
        raise SpaceSchemaError(
            f"{space_id} has no endpoint {endpoint}; it has {_names(info)}",
            space=space_id,
            endpoint=endpoint,
        )
    if function.inputs is not None and len(function.inputs) != inputs:
        raise SpaceSchemaError(
            f"{endpoint} of {space_id} takes {len(function.inputs)} inputs "
            f"({_labels(function)}) where {inputs} were expected: the Space has changed",
            space=space_id,
            endpoint=endpoint,
        )
    if not function.targets and fallback is not None:
        return replace(function, targets=((fallback[1], ""),))
    return function


def resolve_function(
    app: GradioApp,
    api_name: str,
    *,
    inputs: int,
    scope: CancelScope,
    fallback: Optional[G4FNumbers] = None,
) -> AppFunction:
    """:func:`find_function` on the Space's cached ``/config`` (fetched on first use)."""
    return find_function(app.info(scope), app.space_id, api_name, inputs=inputs, fallback=fallback)


def quoted_names(names: list[str], *, limit: int = _LISTED) -> str:
    """``names`` for an error message: the first ``limit``, then how many more there are."""
    shown = ", ".join(names[:limit])
    return f"{shown} and {len(names) - limit} more" if len(names) > limit else shown


def _names(info: SpaceInfo) -> str:
    names = [f"/{f.api_name}" for f in info.functions if f.api_name is not None]
    return quoted_names(names) if names else "no named endpoint"


def _labels(function: AppFunction) -> str:
    components = function.inputs or ()
    return ", ".join(c.label or c.type or f"component {c.id}" for c in components) or "none"
