"""Call any Gradio Space: list its endpoints, or call one and show its outputs.

    python examples/any_space.py black-forest-labs/FLUX.1-schnell
    python examples/any_space.py black-forest-labs/FLUX.1-schnell /infer "a red fox" width=768
    python examples/any_space.py https://owner-name.hf.space /predict @photo.png -o out/

A value is NAME=VALUE (by parameter name) or VALUE (by position); it is read as JSON when it
parses (768, 3.5, true, [1, 2]), else taken as text, and @PATH sends the file at PATH. Text and
numbers are printed; images and other files are saved into -o (default: the current directory).

Configuration comes from the environment: HF_TOKEN (ZeroGPU quota), and HFSPACE_SPACE_URLS to
use duplicated or local Spaces instead of the public ones.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from hfspace_sdk import Client, Endpoint, File, HFSpaceError, Image, Reasoning


def parse_value(text: str) -> Any:
    if text.startswith("@"):
        return Path(text[1:])  # a file to upload
    try:
        return json.loads(text)
    except ValueError:
        return text


def signature(endpoint: Endpoint) -> str:
    parameters = [
        f"{p.name}: {p.type}" + ("" if p.required else f" = {p.default!r}")
        for p in endpoint.parameters
    ]
    returns = ", ".join(r.component for r in endpoint.returns)
    return f"{endpoint.api_name}({', '.join(parameters)}) -> {returns}"


def show(output: Any, folder: Path, stem: str) -> None:
    if isinstance(output, Image):  # named here: its type (png, webp...) gives the extension
        extension = (output.mime_type or "image/img").split("/")[1]
        print(f"saved {output.save(folder / f'{stem}.{extension}')}")
    elif isinstance(output, File):  # saved under its own name, made safe
        print(f"saved {output.save(folder)}")
    elif isinstance(output, list) and all(isinstance(item, (Image, File)) for item in output):
        for number, item in enumerate(output, start=1):  # a gallery
            show(item, folder, f"{stem}-{number}")
    else:
        print(output if isinstance(output, str) else json.dumps(output))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("space", help="a Space id (owner/name) or its URL")
    parser.add_argument("endpoint", nargs="?", help="the endpoint to call, e.g. /predict")
    parser.add_argument("values", nargs="*", help="NAME=VALUE, VALUE or @PATH")
    parser.add_argument("-o", "--output", type=Path, default=Path("."), help="for files")
    args = parser.parse_args(argv)

    positional: list[Any] = []
    named: dict[str, Any] = {}
    for text in args.values:
        name, equals, value = text.partition("=")
        if equals and name.isidentifier():
            named[name] = parse_value(value)
        else:
            positional.append(parse_value(text))

    try:
        with Client() as client:
            space = client.space(args.space)  # no request until it is used
            if args.endpoint is None:
                for endpoint in space.api():
                    print(signature(endpoint))
                return 0
            job = space.submit(args.endpoint, *positional, **named)
            for event in job:  # statuses as they come; intermediate outputs are skipped here
                if isinstance(event, Reasoning):
                    print(event.status, file=sys.stderr)
            result = job.result()  # the final outputs: one value, or a tuple of them
            args.output.mkdir(parents=True, exist_ok=True)
            outputs = result if isinstance(result, tuple) else (result,)
            for number, output in enumerate(outputs, start=1):
                show(output, args.output, f"output-{number}")
    except HFSpaceError as error:  # InvalidArgumentError included: bad endpoint or values
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
