"""Text that is not valid Unicode/UTF-8: bytes, lone surrogates, undecodable file names.

Decision (see the report): a ``str`` holding a lone surrogate such as ``"\\udcff"`` (what Python
makes of undecodable bytes, e.g. from ``sys.argv`` or ``os.listdir``) cannot be encoded as UTF-8.
``requests`` does not fail on it: ``json.dumps`` escapes it as ``"\\udcff"``, so the Space receives
a string that is not valid Unicode (or, in a multipart header, the upload crashes with a
``UnicodeEncodeError``). The SDK should reject such text up front with an ``InvalidArgumentError``
naming the prompt/message — like any other bad input, before any request. Valid non-ASCII text
(CJK, emoji, right-to-left) must of course pass and be sent as real UTF-8.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
import responses
from gradio_answers import CONFIG_6
from input_support import AcceptedBadInput, drain, expect_rejection

from hfspace_sdk import (
    BlackForestLabs_Flux1Schnell,
    Client,
    DeepseekAI_JanusPro7b,
    InvalidArgumentError,
)

SURROGATE_PROMPTS = ["a red fox \udcff", "\ud83e", "caf\udce9 au lait"]  # lone surrogates
UNICODE_PROMPTS = ["狐狸在雪地里", "a fox 🦊 in the snow", "ثعلب أحمر", "Füchsin — «renard»"]
SCHNELL = "https://black-forest-labs-flux-1-schnell.hf.space"
JANUS = "https://deepseek-ai-janus-pro-7b.hf.space"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
_SURROGATES_SENT = (
    AcceptedBadInput,
    "params.py require_prompt / validate_messages accept lone surrogates; requests then sends them "
    "JSON-escaped ('\\udcff'), i.e. text that is not valid Unicode reaches the Space",
)


def _unicode_error(text: str) -> bool:
    return bool(re.search(r"(?i)(unicode|utf-?8|surrogate|encod)", text))


@pytest.mark.parametrize("prompt", SURROGATE_PROMPTS)
@pytest.mark.parametrize(
    "entry", ["Client.images.generate", "provider.create_completion", "Client.submit"]
)
def test_a_prompt_with_lone_surrogates_is_rejected_before_any_request(
    entry, prompt, no_requests, tally
):
    tally.add(entry, f"lone surrogate prompt {prompt!r}")

    def attempt() -> object:
        if entry == "Client.images.generate":
            with Client() as client:
                return client.images.generate(prompt, model="flux-schnell")
        if entry == "Client.submit":
            with Client() as client:
                return client.submit("flux-schnell", prompt).result(timeout=30)
        return list(
            BlackForestLabs_Flux1Schnell.create_completion(
                "flux", [{"role": "user", "content": prompt}]
            )
        )

    error = expect_rejection(attempt, no_requests)
    assert _unicode_error(str(error)) and "prompt" in str(error).lower()


@pytest.mark.parametrize("where", ["content", "text part"])
def test_a_chat_message_with_lone_surrogates_is_rejected_before_any_request(
    where, no_requests, tally
):
    tally.add("Client.chat.completions.create", f"lone surrogate in {where}")
    text = "What is in this picture \udcff?"
    content = text if where == "content" else [{"type": "text", "text": text}]

    def attempt() -> object:
        with Client() as client:
            return client.chat.completions.create(
                messages=[{"role": "user", "content": content}], api_key="zg-token"
            )

    assert _unicode_error(str(expect_rejection(attempt, no_requests)))


@pytest.mark.parametrize("prompt", [b"a red fox", bytearray(b"a red fox"), b"\xff\xfe"])
def test_bytes_prompts_are_rejected_before_any_request(prompt, no_requests, tally):
    tally.add("Client.images.generate", f"bytes prompt {bytes(prompt)!r}")

    def attempt() -> object:
        with Client() as client:
            return client.images.generate(prompt)

    error = expect_rejection(attempt, no_requests)
    assert "prompt must be a string" in str(error)


def _serve_flux_schnell(mocked: responses.RequestsMock) -> None:
    mocked.get(
        f"{SCHNELL}/config",
        json=CONFIG_6,
    )
    mocked.post(f"{SCHNELL}/gradio_api/call/infer", json={"event_id": "e1"})
    image = {"path": "/tmp/x.webp", "url": f"{SCHNELL}/gradio_api/file=/tmp/x.webp"}
    mocked.get(
        f"{SCHNELL}/gradio_api/call/infer/e1",
        body=f"event: complete\ndata: {json.dumps([image, 1])}\n\n",
        content_type="text/event-stream",
    )


@pytest.mark.parametrize("prompt", UNICODE_PROMPTS)
def test_valid_non_ascii_prompts_are_sent_as_utf8(prompt):
    """The control for the rule above: real Unicode text is fine and reaches the Space intact."""
    with responses.RequestsMock() as mocked:
        _serve_flux_schnell(mocked)
        with Client() as client:
            result = client.images.generate(
                prompt, model="flux-schnell", provider="BlackForestLabs_Flux1Schnell"
            )
        body = mocked.calls[1].request.body
    raw = body if isinstance(body, bytes) else body.encode("ascii")
    assert json.loads(raw.decode("utf-8"))["data"][0] == prompt
    assert result.data[0].revised_prompt == prompt


def _serve_janus(mocked: responses.RequestsMock) -> None:
    mocked.get(
        f"{JANUS}/config",
        json=CONFIG_6,
    )
    mocked.post(f"{JANUS}/gradio_api/upload", json=["/tmp/gradio/up.png"])
    mocked.post(f"{JANUS}/gradio_api/queue/join", json={"event_id": "e1"})
    done = {
        "msg": "process_completed",
        "event_id": "e1",
        "output": {"data": ["A fox."]},
        "success": True,
    }
    mocked.get(
        f"{JANUS}/gradio_api/queue/data",
        body=f"data: {json.dumps(done)}\n\n",
        content_type="text/event-stream",
    )


def test_an_image_whose_file_name_is_not_utf8_is_uploaded_under_a_safe_name(tmp_path: Path, tally):
    tally.add("Client.chat.completions.create", "image file name not UTF-8")
    raw_name = os.path.join(os.fsencode(tmp_path), b"\xff\xfe-fox.png")
    with open(raw_name, "wb") as file:
        file.write(PNG)
    path = os.fsdecode(raw_name)  # '\udcff\udcfe-fox.png': what os.listdir or argv give you
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mocked:
        _serve_janus(mocked)
        try:
            with Client() as client:
                answer = client.chat.completions.create(
                    messages="What is this?", image=path, api_key="zg"
                )
        except InvalidArgumentError as exc:  # also acceptable: rejected up front, naming the file
            assert len(mocked.calls) == 0 and "name" in str(exc).lower()
            return
        upload = next(c.request for c in mocked.calls if "/upload" in c.request.url)
    assert answer.choices[0].message.content == "A fox."
    part_headers = upload.body.split(b"\r\n\r\n", 1)[0]  # before the image's binary bytes
    assert b'filename="__-fox.png"' in part_headers  # the file name is plain ASCII


def test_messages_are_not_decoded_from_bytes(no_requests, tally):
    """Bytes in a message list are a wrong type, never guessed at with some encoding."""
    tally.add("DeepseekAI_JanusPro7b.create_completion", "bytes text part")
    messages = [{"role": "user", "content": [{"type": "text", "text": b"caf\xe9"}]}]

    def attempt() -> object:
        return drain(DeepseekAI_JanusPro7b.create_completion("janus-pro-7b", messages))

    assert "prompt is empty" in str(expect_rejection(attempt, no_requests))
