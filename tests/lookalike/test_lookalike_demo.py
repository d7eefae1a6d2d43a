"""End-to-end: the ``demo`` Space's endpoints answer as its module docstring says.

Over ``/call/<api_name>`` (what a generic client uses) and the queue (for progress messages), on
every gradio the session covers. Files are downloaded from their ``path``, see ``file_url``.
"""

from __future__ import annotations

import hashlib
import io
import json
from typing import Any

import pytest
import requests
from lookalike_wire import (
    TIMEOUT,
    Space,
    call_api,
    completed,
    download,
    error_text,
    file_url,
    queue_call,
    upload_file,
)
from PIL import Image

from hfspace_sdk.errors import error_for_status
from hfspace_sdk.testing import DEMO_ERROR, FAILURE_MESSAGES

pytestmark = pytest.mark.e2e

#: api_name per fn_index; fn i is triggered by button 20 + i.
PUBLIC = [
    "echo", "repeat", "mirror", "count", "analyze", "gallery", "write_file", "file_info", "fail",
]  # fmt: skip
PRIVATE_FN = 10


@pytest.fixture
def demo(spaces: dict[str, Space]) -> Space:
    return spaces["demo"]


def _complete(events: list[tuple[str, Any]]) -> Any:
    assert [name for name, _ in events][-1:] == ["complete"], events
    return events[-1][1]


def _png(image_data: dict[str, Any], space: Space) -> Image.Image:
    image = Image.open(io.BytesIO(download(file_url(space, image_data))))
    assert image.format == "PNG"
    return image.convert("RGB")


# --------------------------------------------------------------------------- /config and /info


def test_config_dependencies(demo: Space) -> None:
    deps = demo.config["dependencies"]
    assert [dep["api_name"] for dep in deps[:10]] == [*PUBLIC, "reverse"]
    for fn_index, dep in enumerate(deps):
        assert dep["id"] == fn_index
        assert demo.targets(fn_index) == [[20 + fn_index, "click"]]
        assert dep["queue"] is True
        assert dep["types"]["generator"] is (dep["api_name"] == "count")
    types = {dep["api_name"]: [demo.component(i)["type"] for i in dep["inputs"]] for dep in deps}
    assert types["repeat"] == ["textbox", "slider", "checkbox"]
    assert types["mirror"] == ["image"]
    assert types["analyze"] == ["textbox", "number"]
    assert types["file_info"] == ["file"]
    outputs = {dep["api_name"]: [demo.component(i)["type"] for i in dep["outputs"]] for dep in deps}
    assert outputs["analyze"] == ["textbox", "number", "image"]
    assert outputs["gallery"] == ["gallery"]
    assert outputs["write_file"] == ["file"]
    hidden, private = deps[9], deps[PRIVATE_FN]
    assert private["inputs"] == []
    if demo.major >= 6:
        assert hidden["api_visibility"] == "undocumented"
        # api_name=False becomes the name "false", private.
        assert (private["api_name"], private["api_visibility"]) == ("false", "private")
        assert "show_api" not in private
    else:
        assert hidden["show_api"] is False
        assert (private["api_name"], private["show_api"]) == (False, False)


def test_info_lists_the_public_endpoints(demo: Space) -> None:
    named = requests.get(f"{demo.api}/info", timeout=TIMEOUT).json()["named_endpoints"]
    assert list(named) == [f"/{name}" for name in PUBLIC]
    params = {
        name: {p["parameter_name"]: p for p in info["parameters"]} for name, info in named.items()
    }
    assert list(params["/repeat"]) == ["text", "times", "shout"]
    assert list(params["/gallery"]) == ["prompt", "count"]
    # Defaults are the components' values; a Textbox without one is required.
    defaults = {
        (name, p): (spec["parameter_has_default"], spec["parameter_default"])
        for name, ps in params.items()
        for p, spec in ps.items()
    }
    assert defaults[("/echo", "text")] == (False, None)
    assert defaults[("/repeat", "times")] == (True, 2)
    assert defaults[("/repeat", "shout")] == (True, False)
    assert defaults[("/analyze", "seed")] == (True, 7)
    assert defaults[("/mirror", "image")] == (False, None)
    assert defaults[("/file_info", "file")] == (False, None)
    components = {p: spec["component"] for p, spec in params["/repeat"].items()}
    assert components == {"text": "Textbox", "times": "Slider", "shout": "Checkbox"}
    # gradio 5 describes an Image input by its FileData fields, the others as a file path.
    image_type = params["/mirror"]["image"]["python_type"]["type"]
    if demo.major == 5:
        assert image_type.startswith("dict(path: str | None (Path to a local file), url: ")
    else:
        assert image_type == "filepath"
    assert params["/file_info"]["file"]["python_type"]["type"] == "filepath"
    # gradio 5 and 6 type a Number with precision=0 as an integer, gradio 4 as a float.
    seed_type = params["/analyze"]["seed"]["python_type"]["type"]
    assert seed_type == ("int" if demo.major >= 5 else "float")


def test_info_all_endpoints_adds_the_undocumented_one(demo: Space) -> None:
    every = requests.get(f"{demo.api}/info?all_endpoints=true", timeout=TIMEOUT).json()
    assert list(every["named_endpoints"]) == [f"/{name}" for name in [*PUBLIC, "reverse"]]
    # gradio 5 and 6 read any value of all_endpoints, even "false", as true.
    listed = requests.get(f"{demo.api}/info?all_endpoints=false", timeout=TIMEOUT).json()
    assert ("/reverse" in listed["named_endpoints"]) is (demo.major >= 5)


# --------------------------------------------------------------------------- the endpoints


def test_echo(demo: Space) -> None:
    text = 'héllo, wörld ✓ \n tabs\tand quotes "'
    assert call_api(demo, "echo", [text]) == [("complete", [text])]
    assert completed(queue_call(demo, 0, 20, [text]))["output"]["data"] == [text]


def test_repeat_with_and_without_options(demo: Space) -> None:
    assert _complete(call_api(demo, "repeat", ["ab", 3, True])) == ["AB AB AB"]
    assert _complete(call_api(demo, "repeat", ["ab", 2, False])) == ["ab ab"]


def test_mirror_flips_the_uploaded_image(demo: Space) -> None:
    picture = Image.new("RGB", (4, 2), (255, 0, 0))
    picture.paste((0, 0, 255), (2, 0, 4, 2))  # red left half, blue right half
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    upload = upload_file(demo, "halves.png", buffer.getvalue(), "image/png")
    (image_data,) = _complete(call_api(demo, "mirror", [upload]))
    mirrored = _png(image_data, demo)
    assert mirrored.size == (4, 2)
    assert mirrored.getpixel((0, 0)) == (0, 0, 255)
    assert mirrored.getpixel((3, 1)) == (255, 0, 0)


def test_count_generator_reports_progress(demo: Space) -> None:
    messages = queue_call(demo, 3, 23, ["n", 4])
    generating = [m for m in messages if m["msg"] == "process_generating"]
    assert len(generating) == 4
    assert generating[0]["output"]["data"] == ["n 1/4"]
    # Later values are diffs of the previous one.
    assert generating[1]["output"]["data"] == [[["replace", [], "n 2/4"]]]
    progress = [m for m in messages if m["msg"] == "progress" and m["progress_data"]]
    assert progress
    unit = progress[0]["progress_data"][0]
    assert (unit["desc"], unit["length"], unit["unit"]) == ("Counting", 4, "steps")
    assert completed(messages)["output"]["data"] == ["n 4/4"]
    # /call sends every value in full, and no progress.
    events = call_api(demo, "count", ["n", 3])
    assert events == [
        ("generating", ["n 1/3"]),
        ("generating", ["n 2/3"]),
        ("generating", ["n 3/3"]),
        ("complete", ["n 3/3"]),
    ]


def test_analyze_returns_three_outputs(demo: Space) -> None:
    from hfspace_sdk.testing.images import render_image  # numpy: only where gradio runs

    upper, length, image_data = _complete(call_api(demo, "analyze", ["abc", 5]))
    assert (upper, length) == ("ABC", 3)
    assert image_data["orig_name"] == "image.png"
    image = _png(image_data, demo)
    assert image.size == (64, 48)
    assert image.tobytes() == render_image(5, "abc", 64, 48).tobytes()  # PNG: lossless


def test_gallery_returns_captioned_images(demo: Space) -> None:
    (gallery,) = _complete(call_api(demo, "gallery", ["p", 2]))
    assert [item["caption"] for item in gallery] == ["p #1", "p #2"]
    assert all(set(item) == {"image", "caption"} for item in gallery)
    images = [_png(item["image"], demo) for item in gallery]
    assert [image.size for image in images] == [(64, 64), (64, 64)]
    assert images[0].tobytes() != images[1].tobytes()
    (three,) = _complete(call_api(demo, "gallery", ["q", 3]))
    assert [item["caption"] for item in three] == ["q #1", "q #2", "q #3"]


def test_write_file_returns_a_json_summary(demo: Space) -> None:
    text = "héllo"
    (file_data,) = _complete(call_api(demo, "write_file", [text]))
    assert file_data["orig_name"] == "summary.json"
    content = download(file_url(demo, file_data))
    assert file_data["size"] == len(content)
    assert json.loads(content) == {
        "length": 5,
        "sha256": hashlib.sha256(text.encode()).hexdigest(),
        "text": text,
    }


def test_file_info_describes_the_uploaded_file(demo: Space) -> None:
    payload = b"hello file\x00\xff"
    upload = upload_file(demo, "note.bin", payload, "application/octet-stream")
    (answer,) = _complete(call_api(demo, "file_info", [upload]))
    assert answer == f"note.bin: {len(payload)} bytes, sha256 {hashlib.sha256(payload).hexdigest()}"
    # The least FileData an input takes: path and meta; gradio 5 and 6 refuse a path alone.
    minimal = {"path": upload["path"], "meta": {"_type": "gradio.FileData"}}
    assert _complete(call_api(demo, "file_info", [minimal])) == [answer]
    name, _ = call_api(demo, "file_info", [{"path": upload["path"]}])[-1]
    assert name == ("error" if demo.major >= 5 else "complete")


def test_fail_raises_its_error(demo: Space) -> None:
    final = completed(queue_call(demo, 8, 28, ["x"]))
    assert final["success"] is False
    assert final["output"]["error"] == error_text(demo, DEMO_ERROR)
    name, data = call_api(demo, "fail", ["x"])[-1]
    assert name == "error"
    if demo.major >= 6:
        assert data["error"] == DEMO_ERROR
    else:
        assert data is None  # gradio 4 drops the text on /call


def test_failure_token(demo: Space) -> None:
    final = completed(queue_call(demo, 1, 21, ["x [[error]]", 2, False]))
    assert final["output"]["error"] == error_text(demo, FAILURE_MESSAGES["error"])


def test_undocumented_endpoint_is_callable(demo: Space) -> None:
    assert call_api(demo, "reverse", ["abc"]) == [("complete", ["cba"])]


def test_private_endpoint(demo: Space) -> None:
    """Only the queue runs it by number on gradio 4 and 5; gradio 6 also runs ``/call/false``.

    Gradio 4 answers ``/call/false`` with a bare 500, gradio 5 with the whole traceback.
    """
    assert completed(queue_call(demo, PRIVATE_FN, 30, []))["output"]["data"] == [""]
    response = requests.post(f"{demo.api}/call/false", json={"data": []}, timeout=TIMEOUT)
    if demo.major >= 6:
        assert response.status_code == 200
        assert _complete(call_api(demo, "false", [])) == [""]
    else:
        assert response.status_code == 500  # no such api_name
        if demo.major >= 5:
            assert response.text.startswith("Traceback (most recent call last):\n")
            assert response.text.rstrip().endswith(
                "FnIndexInferError: Could not infer function index for API name: false"
            )
            content_type = response.headers["content-type"]
            error = error_for_status(500, content_type=content_type, body=response.text)
            assert str(error) == (
                "Response 500: gradio.route_utils.FnIndexInferError:"
                " Could not infer function index for API name: false"
            )
        else:
            assert response.text == "Internal Server Error"


# --------------------------------------------------------------------------- wrong calls


def test_wrong_number_of_inputs(demo: Space) -> None:
    # Too few: joining works; the call fails, its message hidden (show_error=False).
    final = completed(queue_call(demo, 1, 21, ["x"]))
    assert final["success"] is False
    assert final["output"]["error"] is None
    # Too many: the extra values are ignored.
    assert completed(queue_call(demo, 0, 20, ["x", 1, 2]))["output"]["data"] == ["x"]
    assert call_api(demo, "echo", ["x", "y"]) == [("complete", ["x"])]
    # Not a list: refused when joining.
    response = requests.post(
        f"{demo.api}/queue/join",
        json={"data": "x", "fn_index": 0, "trigger_id": 20, "session_hash": "s"},
        timeout=TIMEOUT,
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "data"]


def test_gradio4_call_file_urls_are_unreliable(demo: Space) -> None:
    """On gradio 4.44, ``url`` in ``/call`` results is only right for 5-letter api_names."""
    (file_data,) = _complete(call_api(demo, "write_file", ["x"]))
    right = file_url(demo, file_data)
    if demo.major >= 5:
        assert file_data["url"] == right
    else:
        assert file_data["url"] != right
        assert requests.get(file_data["url"], timeout=TIMEOUT).status_code == 404
