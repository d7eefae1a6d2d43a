"""``hfspace api SPACE`` and ``hfspace call SPACE /endpoint VALUE...``: any Gradio Space.

Both go through the public :meth:`Client.space <hfspace_sdk.Client.space>` handle, so a command
behaves as the same call in Python. Parsing the values and laying out the API are pure.
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Optional

from ..client import Client
from ..errors import InvalidArgumentError
from ..events import Reasoning
from ..files import File, safe_file_name
from ..gradio.api_info import Endpoint, Parameter
from ..images import Image, file_name_for
from .constants import EXIT_OK
from .output import OutputError, StatusLine, emit

__all__ = [
    "api_command",
    "api_lines",
    "call_command",
    "call_endpoint",
    "output_lines",
    "parse_value",
    "parse_values",
]

_KEYWORD = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)=(.*)", re.DOTALL)


# --- hfspace api ----------------------------------------------------------------------------


def _default_text(value: Any) -> str:
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return repr(value)


def _component_text(parameter: Parameter) -> str:
    label = f" {json.dumps(parameter.label, ensure_ascii=False)}" if parameter.label else ""
    return f"[{parameter.component or '?'}{label}]"


def _item_lines(items: Sequence[Parameter], *, returns: bool) -> list[str]:
    heads = []
    for position, item in enumerate(items, start=1):
        head = f"{item.name or f'#{position}'}: {item.type}"
        if not returns and not item.required:
            head += f" = {_default_text(item.default)}"
        heads.append(head)
    width = max((len(head) for head in heads), default=0)
    return [f"    {head.ljust(width)}  {_component_text(item)}" for head, item in zip(heads, items)]


def api_lines(endpoints: Iterable[Endpoint]) -> list[str]:
    """The lines ``hfspace api`` prints: one block per endpoint, a blank line between."""
    lines: list[str] = []
    for endpoint in endpoints:
        notes = [
            note
            for note, present in (
                ("generator", endpoint.generator),
                ("hidden", not endpoint.documented),
                ("not described by the Space: positional values only", not endpoint.described),
            )
            if present
        ]
        if lines:
            lines.append("")
        lines.append(endpoint.api_name + (f"  ({'; '.join(notes)})" if notes else ""))
        lines.append("  parameters:" if endpoint.parameters else "  parameters: none")
        lines += _item_lines(endpoint.parameters, returns=False)
        lines.append("  returns:" if endpoint.returns else "  returns: nothing")
        lines += _item_lines(endpoint.returns, returns=True)
    return lines or ["(no endpoint)"]


def api_command(args: argparse.Namespace, client: Client) -> int:
    """``hfspace api SPACE [--all]``: print the Space's endpoints."""
    for line in api_lines(client.space(args.space).api(include_hidden=args.include_hidden)):
        emit(line)
    return EXIT_OK


# --- hfspace call ---------------------------------------------------------------------------


def parse_value(text: str) -> Any:
    """One command-line value: ``@PATH`` a file, ``@@TEXT`` the text ``@TEXT``, JSON when it
    parses, else the text itself.

    Raises:
        InvalidArgumentError: ``@`` without a path.
    """
    if text.startswith("@@"):
        return text[1:]
    if text.startswith("@"):
        if len(text) == 1:
            raise InvalidArgumentError("@ must be followed by a file path, like @photo.png")
        return Path(text[1:])
    try:
        return json.loads(text)
    except ValueError:
        return text


def parse_values(values: Sequence[str]) -> tuple[list[Any], dict[str, Any]]:
    """The positional and keyword arguments the command line gives (``NAME=VALUE`` by name).

    Raises:
        InvalidArgumentError: a name given twice, a positional value after a named one, or a
            bare ``@``.
    """
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    for text in values:
        match = _KEYWORD.fullmatch(text)
        if match is None:
            if kwargs:
                raise InvalidArgumentError(
                    f"the value {text!r:.60} comes after a NAME=VALUE: give values by position "
                    "first"
                )
            args.append(parse_value(text))
            continue
        name, value = match.groups()
        if name in kwargs:
            raise InvalidArgumentError(f"{name} is given twice")
        kwargs[name] = parse_value(value)
    return args, kwargs


class _Saver:
    """Saves the files of one result into a directory under names that do not collide."""

    def __init__(self, directory: Path, stem: str, count: int) -> None:
        self.directory = directory
        self.stem = stem
        self.several = count > 1
        self.index = 0
        self.used: set[str] = set()

    def save(self, item: Any) -> str:
        self.index += 1
        if isinstance(item, Image):  # named by its caption (a gallery's), else the endpoint
            index = self.index if self.several and not item.revised_prompt else None
            name = file_name_for(item.bytes(), stem=item.revised_prompt or self.stem, index=index)
        else:
            name = safe_file_name(item.name)
        if name in self.used:
            stem, dot, suffix = name.rpartition(".")
            name = f"{stem}-{self.index}.{suffix}" if dot else f"{name}-{self.index}"
        self.used.add(name)
        target = self.directory / name
        try:
            path = item.save(target)
        except (OSError, InvalidArgumentError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise OutputError(f"cannot write {str(target)!r}: {reason}") from exc
        return str(path)


def _files_in(value: Any) -> int:
    if isinstance(value, (Image, File)):
        return 1
    if isinstance(value, (list, tuple)):
        return sum(_files_in(item) for item in value)
    if isinstance(value, dict):
        return sum(_files_in(item) for item in value.values())
    return 0


def _saved(value: Any, saver: _Saver) -> Any:
    if isinstance(value, (Image, File)):
        return saver.save(value)
    if isinstance(value, (list, tuple)):
        return [_saved(item, saver) for item in value]
    if isinstance(value, dict):
        return {key: _saved(item, saver) for key, item in value.items()}
    return value


def output_lines(result: Any, directory: Path, *, stem: str) -> list[str]:
    """Save the files of a call's result into ``directory``; the lines to print: each output
    on its own line (text as is, JSON for the rest), a file as its saved path, a list of files
    one path per line.

    Raises:
        HFSpaceError: a download failed.
        OutputError: a file could not be written.
    """
    outputs = list(result) if isinstance(result, tuple) else [result]
    saver = _Saver(directory, stem, _files_in(outputs))
    lines: list[str] = []
    for output in outputs:
        value = _saved(output, saver)
        if isinstance(value, str):
            lines.append(value)
        elif isinstance(value, list) and value and _files_in(output) == len(value):
            lines += [str(item) for item in value]  # a gallery: one path per line
        else:
            lines.append(json.dumps(value, ensure_ascii=False))
    return lines


def call_endpoint(
    client: Client,
    space: str,
    api_name: str,
    values: Sequence[str],
    *,
    output: Path,
    status: StatusLine,
) -> None:
    """Run one call, showing its statuses; save its files and print its outputs.

    Raises:
        InvalidArgumentError: bad values or endpoint, or an output directory that cannot be
            made (before anything is sent).
        HFSpaceError: the call failed.
        OutputError: a file could not be written.
    """
    args, kwargs = parse_values(values)
    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InvalidArgumentError(f"cannot make the directory {str(output)!r}: {exc}") from None
    handle = client.space(space)
    status.update(f"Calling {api_name} on {handle.space_id}")
    job = handle.submit(api_name, *args, **kwargs)
    result: Optional[Any] = None
    try:
        for event in job:
            if isinstance(event, Reasoning):
                status.update(event.status or "")
            else:
                result = event  # the last one is the final result
    finally:
        job.cancel()
        status.end()
    stem = api_name.strip().strip("/") or "output"
    for line in output_lines(result, output, stem=stem):
        emit(line)


def call_command(args: argparse.Namespace, client: Client, status: StatusLine) -> int:
    """``hfspace call SPACE ENDPOINT VALUE... [-o DIR]``."""
    call_endpoint(client, args.space, args.api_name, args.values, output=args.output, status=status)
    return EXIT_OK
