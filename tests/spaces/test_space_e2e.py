"""The generic client against a real demo Space, on the current Gradio and on 4.44."""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image as PILImage
from space_support import DEMO_ID

from hfspace_sdk import (
    Client,
    File,
    Image,
    InvalidArgumentError,
    JobCancelledError,
    Reasoning,
    SpaceError,
)
from hfspace_sdk.testing.failures import DEMO_ERROR

pytestmark = pytest.mark.e2e


@pytest.fixture
def client(demo_options: dict[str, Any]) -> Iterator[Client]:
    with Client(**demo_options) as built:
        yield built


def picture(data: bytes) -> PILImage.Image:
    with PILImage.open(io.BytesIO(data)) as opened:
        opened.load()
        return opened.copy()


def summary(text: str) -> bytes:
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    content = {"length": len(text), "sha256": digest, "text": text}
    return json.dumps(content, sort_keys=True, ensure_ascii=False).encode("utf-8")


def describe(data: bytes, name: str) -> str:
    return f"{name}: {len(data)} bytes, sha256 {hashlib.sha256(data).hexdigest()}"


def test_api_lists_the_endpoints_with_their_parameters(client: Client) -> None:
    space = client.space(DEMO_ID)
    endpoints = {e.api_name: e for e in space.api()}
    assert list(endpoints)[:3] == ["/echo", "/repeat", "/mirror"]
    assert "/reverse" not in endpoints
    repeat = endpoints["/repeat"]
    assert [(p.name, p.type, p.component, p.default, p.required) for p in repeat.parameters] == [
        ("text", "str", "Textbox", None, True),
        ("times", "float", "Slider", 2, False),
        ("shout", "bool", "Checkbox", False, False),
    ]
    assert [p.component for p in endpoints["/analyze"].returns] == ["Textbox", "Number", "Image"]
    assert endpoints["/count"].generator
    assert space.api(include_hidden=True)[-1].api_name == "/reverse"


def test_text_in_text_out_with_keywords_and_defaults(client: Client) -> None:
    space = client.space(DEMO_ID)
    assert space.predict("/echo", "héllo") == "héllo"
    assert space.predict("repeat", "ab") == "ab ab"
    assert space.predict("/repeat", text="ab", shout=True, times=3) == "AB AB AB"
    assert space.predict("/reverse", "abc") == "cba"  # hidden, still callable


def test_several_outputs_are_a_tuple_with_an_image(client: Client) -> None:
    text, length, image = client.space(DEMO_ID).predict("/analyze", "a fox", seed=3)
    assert (text, length) == ("A FOX", 5)
    assert isinstance(image, Image) and image.mime_type == "image/png"
    assert picture(image.bytes()).size == (64, 48)


def test_an_image_round_trip_from_a_pil_image_a_path_bytes_and_a_result(
    client: Client, tmp_path: Path
) -> None:
    space = client.space(DEMO_ID)
    source = PILImage.new("RGB", (8, 4), "white")
    source.putpixel((0, 0), (255, 0, 0))
    mirrored = space.predict("/mirror", source)
    assert isinstance(mirrored, Image)
    assert picture(mirrored.bytes()).getpixel((7, 0)) == (255, 0, 0)
    path = tmp_path / "in.png"
    source.save(path)
    assert picture(space.predict("/mirror", image=path).bytes()).getpixel((7, 0)) == (255, 0, 0)
    assert picture(space.predict("/mirror", path.read_bytes()).bytes()).size == (8, 4)
    again = space.predict("/mirror", mirrored)  # a result of this Space, passed in place
    assert picture(again.bytes()).getpixel((0, 0)) == (255, 0, 0)


def test_a_result_served_under_another_name_is_uploaded_again(client: Client) -> None:
    space = client.space(DEMO_ID)
    first = space.predict("/mirror", PILImage.new("RGB", (6, 3), "blue"))
    elsewhere = Image(url=first.url.replace("127.0.0.1", "localhost", 1))
    assert picture(space.predict("/mirror", elsewhere).bytes()).size == (6, 3)


def test_a_gallery_is_a_list_of_images_with_captions(client: Client) -> None:
    images = client.space(DEMO_ID).predict("/gallery", "owl", count=2)
    assert [type(i) for i in images] == [Image, Image]
    assert [i.revised_prompt for i in images] == ["owl #1", "owl #2"]
    assert {picture(i.bytes()).size for i in images} == {(64, 64)}


def test_a_file_output_and_file_inputs(client: Client, tmp_path: Path) -> None:
    space = client.space(DEMO_ID)
    written = space.predict("/write_file", "hé")
    assert isinstance(written, File)
    assert (written.name, written.mime_type) == ("summary.json", "application/json")
    assert written.bytes() == summary("hé")
    assert written.save(tmp_path).read_bytes() == summary("hé")
    assert space.predict("/file_info", written) == describe(summary("hé"), "summary.json")
    notes = tmp_path / "notes.txt"
    notes.write_text("some notes")
    assert space.predict("/file_info", notes) == describe(b"some notes", "notes.txt")
    assert space.predict("/file_info", file=b"\x00\x01") == describe(b"\x00\x01", "file")


def test_a_generator_streams_statuses_and_outputs(client: Client) -> None:
    job = client.space(DEMO_ID).submit("/count", "tick", steps=3)
    items = list(job)
    outputs = [item for item in items if not isinstance(item, Reasoning)]
    assert outputs[:3] == ["tick 1/3", "tick 2/3", "tick 3/3"]
    # Gradio sends progress from a task of its own: a progress status can come after the last
    # intermediate output, and then the result is yielded again, to stay the last item.
    if outputs[3:]:
        assert outputs[3:] == ["tick 3/3"]
        assert isinstance(items[-2], Reasoning)
    assert items[-1] == job.result() == "tick 3/3"
    statuses = [item for item in items if isinstance(item, Reasoning)]
    assert statuses[0].rank == 0 and statuses[0].status.startswith("Waiting in the queue")
    progress = [s for s in statuses if s.total is not None]
    assert progress and all(s.total == 3 and s.status.startswith("Counting") for s in progress)
    assert job.done()


def test_the_spaces_error_reaches_the_caller(client: Client) -> None:
    with pytest.raises(SpaceError) as caught:
        client.space(DEMO_ID).predict("/fail", "x")
    assert caught.value.message == DEMO_ERROR
    assert caught.value.space == DEMO_ID


def test_bad_calls_are_refused_before_anything_runs(client: Client) -> None:
    space = client.space(DEMO_ID)
    with pytest.raises(InvalidArgumentError, match=r"needs 'text'"):
        space.predict("/echo")
    with pytest.raises(InvalidArgumentError, match=r"has no parameter 'txt'"):
        space.predict("/echo", txt="x")
    with pytest.raises(InvalidArgumentError, match=r"takes 1 argument, 2 given"):
        space.predict("/echo", "a", "b")
    with pytest.raises(InvalidArgumentError, match=r"no endpoint /nope; its endpoints are /echo"):
        space.predict("/nope")
    assert client.active_jobs() == []


def test_a_cancelled_call_ends_its_job(client: Client) -> None:
    job = client.space(DEMO_ID).submit("/count", "slow", steps=10)
    job.cancel()
    with pytest.raises(JobCancelledError):
        job.result()
    assert job.done() and job.cancelled()


def test_a_space_by_url_and_files_after_close(demo_space: str) -> None:
    with Client(timeout=60) as client:
        space = client.space(demo_space)
        assert space.predict("/echo", "by url") == "by url"
        written = space.predict("/write_file", "kept")
    assert written.bytes() == summary("kept")  # downloads after the client is closed
