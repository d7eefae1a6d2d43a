"""Minimal Gradio wire-protocol helpers for the look-alike tests (plain requests, no SDK code)."""

from __future__ import annotations

import io
import json
import uuid
from dataclasses import dataclass
from typing import Any, Optional

import requests
from PIL import Image

TIMEOUT = (5, 60)


@dataclass(frozen=True)
class Space:
    """One running look-alike: base URL, API prefix and gradio version from ``/config``."""

    name: str
    url: str
    prefix: str
    version: str
    config: dict[str, Any]

    @property
    def api(self) -> str:
        """``url`` + the API prefix (``/gradio_api`` on gradio 5+, nothing on 4)."""
        return self.url + self.prefix

    @property
    def major(self) -> int:
        return int(self.version.split(".")[0])

    def dependency(self, fn_index: int) -> dict[str, Any]:
        dep: dict[str, Any] = self.config["dependencies"][fn_index]
        assert dep["id"] == fn_index
        return dep

    def targets(self, fn_index: int) -> list[list[Any]]:
        return [list(t) for t in self.dependency(fn_index)["targets"]]

    def component(self, component_id: int) -> dict[str, Any]:
        for comp in self.config["components"]:
            if comp["id"] == component_id:
                return dict(comp)
        raise KeyError(component_id)


def load_space(name: str, url: str) -> Space:
    response = requests.get(f"{url}/config", timeout=TIMEOUT)
    response.raise_for_status()
    config = response.json()
    return Space(name, url, config.get("api_prefix") or "", config["version"], config)


def queue_call(
    space: Space, fn_index: int, trigger_id: int, data: list[Any]
) -> list[dict[str, Any]]:
    """Join the queue and read the session's messages until ``close_stream``."""
    session = uuid.uuid4().hex[:11]
    join = requests.post(
        f"{space.api}/queue/join?__theme=light",
        json={
            "data": data,
            "event_data": None,
            "fn_index": fn_index,
            "trigger_id": trigger_id,
            "session_hash": session,
        },
        headers={"x-zerogpu-token": "[object Object]", "x-zerogpu-uuid": "[object Object]"},
        timeout=TIMEOUT,
    )
    assert join.status_code == 200, join.text
    event_id = join.json()["event_id"]
    messages: list[dict[str, Any]] = []
    with requests.get(
        f"{space.api}/queue/data",
        params={"session_hash": session},
        headers={"accept": "text/event-stream"},
        stream=True,
        timeout=TIMEOUT,
    ) as stream:
        assert stream.status_code == 200
        for raw in stream.iter_lines():
            if not raw or not raw.startswith(b"data: "):
                continue
            message = json.loads(raw[6:])
            messages.append(message)
            if message.get("msg") == "close_stream":
                break
    assert messages, "no queue messages"
    assert all(m.get("event_id") in (event_id, None) for m in messages)
    return messages


def completed(messages: list[dict[str, Any]]) -> dict[str, Any]:
    done = [m for m in messages if m.get("msg") == "process_completed"]
    assert len(done) == 1, messages
    return done[0]


def call_api(space: Space, api_name: str, data: list[Any]) -> list[tuple[str, Any]]:
    """``POST {api}/call/<api_name>`` then stream ``GET .../<event_id>``; return (event, data)."""
    post = requests.post(f"{space.api}/call/{api_name}", json={"data": data}, timeout=TIMEOUT)
    assert post.status_code == 200, post.text
    event_id = post.json()["event_id"]
    events: list[tuple[str, Any]] = []
    with requests.get(
        f"{space.api}/call/{api_name}/{event_id}", stream=True, timeout=TIMEOUT
    ) as stream:
        assert stream.status_code == 200
        name: Optional[str] = None
        for raw in stream.iter_lines():
            line = raw.decode()
            if line.startswith("event: "):
                name = line[7:]
            elif line.startswith("data: ") and name is not None:
                events.append((name, json.loads(line[6:])))
                if name in ("complete", "error"):
                    break
                name = None
    return events


def download_image(url: str) -> Image.Image:
    response = requests.get(url, timeout=TIMEOUT)
    assert response.status_code == 200, (url, response.status_code)
    assert response.headers["content-type"].startswith("image/")
    image = Image.open(io.BytesIO(response.content))
    image.load()
    return image


def upload_file(space: Space, name: str, payload: bytes, mime_type: str) -> dict[str, Any]:
    """Upload ``payload`` as ``name``; return the FileData to pass as an input."""
    response = requests.post(
        f"{space.api}/upload", files=[("files", (name, payload, mime_type))], timeout=TIMEOUT
    )
    assert response.status_code == 200, response.text
    path = response.json()[0]
    return {
        "path": path,
        "url": f"{space.api}/file={path}",
        "orig_name": name,
        "size": len(payload),
        "mime_type": mime_type,
        "meta": {"_type": "gradio.FileData"},
    }


def upload_png(space: Space, width: int, height: int) -> dict[str, Any]:
    """Upload a PNG of the given size; return the FileData to pass as an input."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (10, 200, 30)).save(buffer, "PNG")
    return upload_file(space, "probe.png", buffer.getvalue(), "image/png")


def file_url(space: Space, file_data: dict[str, Any]) -> str:
    """Where to download an output file: built from its ``path``, not its ``url``.

    On gradio 4.44, ``/call/<api_name>`` results carry ``url`` values built from the request
    path minus ``len("/queue/join")`` characters: right only for five-letter api_names.
    """
    return f"{space.api}/file={file_data['path']}"


def download(url: str) -> bytes:
    response = requests.get(url, timeout=TIMEOUT)
    assert response.status_code == 200, (url, response.status_code)
    return response.content


def error_text(space: Space, message: str) -> str:
    """How gradio renders a gr.Error message: repr-quoted on 4.x, bare on 5+."""
    return repr(message) if space.major < 5 else message
