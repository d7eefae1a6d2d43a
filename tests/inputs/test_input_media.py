"""Corrupt or unusable image uploads, at every entry point that takes one: rejected before sending.

Images come as ``media=`` (providers, ``Client.submit``), ``image=`` (``Client.chat``) or as
``image_url`` parts of a message. Only PNG, JPEG, GIF and WebP bytes of at most 50 MiB pass.
"""

from __future__ import annotations

import base64
import io
import random
import re
from pathlib import Path
from typing import Any

import pytest
from input_support import drain, expect_rejection, reject_everywhere

from hfspace_sdk import G4F, Client, DeepseekAI_JanusPro7b, HuggingSpace
from hfspace_sdk.media import MAX_UPLOAD_BYTES, sniff_image_type

QUESTION = "What is in this picture?"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _random_bytes() -> bytes:
    data = random.Random(20240601).randbytes(512)
    assert sniff_image_type(data) is None
    return data


def _file(tmp: Path, name: str, content: bytes) -> str:
    path = tmp / name
    path.write_bytes(content)
    return str(path)


def _oversized(tmp: Path) -> str:
    path = tmp / "huge.png"
    with open(path, "wb") as file:
        file.write(PNG_SIGNATURE)
        file.truncate(MAX_UPLOAD_BYTES + 1)  # sparse: nothing is written or read
    return str(path)


# (label, factory(tmp) -> media value, what the message says)
CORRUPT = [
    ("truncated PNG header", lambda tmp: PNG_SIGNATURE[:6], r"not an image"),
    ("random bytes", lambda tmp: _random_bytes(), r"not an image"),
    ("empty bytes", lambda tmp: b"", r"not an image"),
    ("text file", lambda tmp: _file(tmp, "notes.png", b"just some text\n"), r"not an image"),
    (
        "HTML named .jpg",
        lambda tmp: _file(tmp, "page.jpg", b"<!doctype html><p>hi"),
        r"not an image",
    ),
    ("empty file", lambda tmp: _file(tmp, "empty.png", b""), r"not an image"),
    ("RIFF that is not WebP", lambda tmp: b"RIFF\x24\x00\x00\x00WAVEfmt ", r"not an image"),
    ("directory", lambda tmp: str(tmp), r"No image file at"),
    ("missing file", lambda tmp: str(tmp / "missing.png"), r"No image file at"),
    ("path with NUL", lambda tmp: str(tmp / "a\x00b.png"), r"No image file at"),
    ("path too long", lambda tmp: str(tmp / ("a" * 5000 + ".png")), r"Cannot read the image file"),
    ("oversized file", _oversized, rf"larger than {MAX_UPLOAD_BYTES} bytes"),
    ("Path object to a text file", lambda tmp: Path(_file(tmp, "t.gif", b"GIF")), r"not an image"),
    ("text-mode file", lambda tmp: io.StringIO("not bytes"), r"binary mode"),
    ("binary file of text", lambda tmp: io.BytesIO(b"plain text"), r"not an image"),
    ("http URL", lambda tmp: "https://example.invalid/fox.png", r"not downloaded"),
    ("data URI without base64", lambda tmp: "data:image/png,rawbytes", r"Only base64 data"),
    ("data URI with bad base64", lambda tmp: "data:image/png;base64,!!!", r"not valid base64"),
    (
        "data URI of text",
        lambda tmp: "data:image/png;base64," + base64.b64encode(b"hello").decode(),
        r"not an image",
    ),
    ("int", lambda tmp: 42, r"Cannot use int as an image"),
    ("dict", lambda tmp: {"path": "/tmp/x.png"}, r"Cannot use dict as an image"),
    ("good then bad in a list", lambda tmp: [PNG_SIGNATURE + b"\0" * 16, b"junk"], r"not an image"),
    ("pair with an int name", lambda tmp: [(PNG_SIGNATURE, 5)], r"Cannot use tuple as an image"),
]


def _janus_entries() -> list[tuple[str, Any]]:
    """(name, call(media, messages)) for every entry point that uploads an image."""

    def provider_calls(provider: Any) -> list[tuple[str, Any]]:
        name = provider.__name__

        def on_class(media: Any, messages: Any) -> Any:
            return provider.create_completion("janus-pro-7b", messages, media=media)

        def on_instance(media: Any, messages: Any) -> Any:
            with provider() as instance:
                return drain(instance.create_completion("janus-pro-7b", messages, media=media))

        def submit(media: Any, messages: Any) -> Any:
            with provider() as instance:
                instance.submit("janus-pro-7b", messages, media=media).cancel()

        return [
            (f"{name}.create_completion (class)", on_class),
            (f"{name}.create_completion (instance)", on_instance),
            (f"{name}.submit", submit),
        ]

    def chat(media: Any, messages: Any) -> Any:
        with Client() as client:
            return client.chat.completions.create(messages=messages, image=media)

    def chat_stream(media: Any, messages: Any) -> Any:
        with Client() as client:
            return drain(
                client.chat.completions.create(messages=messages, image=media, stream=True)
            )

    def submit(media: Any, messages: Any) -> Any:
        with Client() as client:
            client.submit("janus-pro-7b", messages, media=media).cancel()

    entries = [
        entry for p in (DeepseekAI_JanusPro7b, G4F, HuggingSpace) for entry in provider_calls(p)
    ]
    return [
        *entries,
        ("Client.chat.completions.create", chat),
        ("Client.chat.completions.create(stream=True)", chat_stream),
        ("Client.submit", submit),
    ]


ENTRIES = _janus_entries()


def _rejected_everywhere(label: str, media: Any, messages: Any, match: str, tally: Any) -> None:
    def check(entry: str, call: Any, mocked: Any) -> None:
        tally.add(entry, label)
        error = expect_rejection(lambda: call(media, messages), mocked)
        assert re.search(match, str(error)), (match, str(error))
        assert len(str(error)) < 500  # a long path is shortened in the message

    reject_everywhere(
        (entry, lambda mocked, entry=entry, call=call: check(entry, call, mocked))
        for entry, call in ENTRIES
    )


@pytest.mark.parametrize(("label", "make", "match"), CORRUPT, ids=[c[0] for c in CORRUPT])
def test_corrupt_uploads_are_rejected_before_any_request(label, make, match, tmp_path, tally):
    """At every entry point that uploads (Janus, G4F, HuggingSpace, Client.chat, Client.submit)."""
    media = make(tmp_path)
    if isinstance(media, (io.StringIO, io.BytesIO)):  # a file object is read once: one per call
        fresh = make

        def media_for_each_call() -> Any:
            return fresh(tmp_path)

        _rejected_per_call(label, media_for_each_call, match, tally)
        return
    messages = [{"role": "user", "content": QUESTION}]
    _rejected_everywhere(f"media: {label}", media, messages, match, tally)


def _rejected_per_call(label: str, make: Any, match: str, tally: Any) -> None:
    messages = [{"role": "user", "content": QUESTION}]

    def check(entry: str, call: Any, mocked: Any) -> None:
        tally.add(entry, f"media: {label}")
        error = expect_rejection(lambda: call(make(), messages), mocked)
        assert re.search(match, str(error)), (match, str(error))

    reject_everywhere(
        (entry, lambda mocked, entry=entry, call=call: check(entry, call, mocked))
        for entry, call in ENTRIES
    )


@pytest.mark.parametrize(
    ("label", "url", "match"),
    [
        ("bad base64", "data:image/png;base64,@@@", r"not valid base64"),
        ("text", "data:text/plain;base64," + base64.b64encode(b"hello").decode(), r"not an image"),
        ("remote URL", "https://example.invalid/fox.png", r"not downloaded"),
        ("missing file", "/nonexistent/fox.png", r"No image file"),
        ("int", 7, r"Cannot use int"),
    ],
)
def test_bad_image_url_parts_are_rejected_before_any_request(label, url, match, tally):
    """OpenAI-style ``image_url`` parts of the last user message are loaded like ``media``."""
    messages = [
        {
            "role": "user",
            "content": [
                {"type": "text", "text": QUESTION},
                {"type": "image_url", "image_url": {"url": url}},
            ],
        }
    ]
    _rejected_everywhere(f"image_url part: {label}", None, messages, match, tally)
