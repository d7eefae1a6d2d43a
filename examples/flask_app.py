"""A Flask page that draws an image from a prompt with FLUX on Hugging Face Spaces.

    python examples/flask_app.py                # then open http://127.0.0.1:5000
    flask --app examples/flask_app.py run       # the same, through Flask's CLI (finds create_app)

Generation blocks the request until the image is ready (seconds to minutes on a busy Space), so
run it under a threaded or multi-worker server. One SDK client is shared by every request (it is
thread-safe) and closed when the app exits. The images are kept in memory, the last 32 only.

Configuration comes from the environment: HF_TOKEN (your ZeroGPU quota), and HFSPACE_SPACE_URLS
to use duplicated or local Spaces instead of the public ones.
"""

from __future__ import annotations

import atexit
import functools
import threading
import uuid
from collections import OrderedDict

from flask import Flask, Response, abort, render_template_string, request

from hfspace_sdk import Client, HFSpaceError, Image, InvalidArgumentError

MODELS = ("flux", "flux-schnell", "flux-dev")
MAX_IMAGES = 32

PAGE = """<!doctype html>
<title>hfspace_sdk + Flask</title>
<form method="post">
  <input name="prompt" value="{{ prompt }}" placeholder="a red fox in the snow" size="50" autofocus>
  <select name="model">
    {% for name in models %}<option{% if name == model %} selected{% endif %}>{{ name }}</option>{% endfor %}
  </select>
  <button>Generate</button>
</form>
{% if error %}<p role="alert">{{ error }}</p>{% endif %}
{% for id in image_ids %}<p><img src="{{ url_for('image', image_id=id) }}" alt="{{ prompt }}"></p>{% endfor %}
"""


class ImageStore:
    """The last ``limit`` generated images, by id: (bytes, content type). Thread-safe."""

    def __init__(self, limit: int) -> None:
        self._images: OrderedDict[str, tuple[bytes, str]] = OrderedDict()
        self._limit = limit
        self._lock = threading.Lock()

    def add(self, image: Image) -> str:
        image_id = uuid.uuid4().hex
        with self._lock:
            self._images[image_id] = (image.bytes(), image.mime_type or "application/octet-stream")
            while len(self._images) > self._limit:
                self._images.popitem(last=False)  # forget the oldest
        return image_id

    def get(self, image_id: str) -> tuple[bytes, str] | None:
        with self._lock:
            return self._images.get(image_id)


def create_app(client: Client | None = None) -> Flask:
    """The app; it makes its own :class:`Client` (closed at exit) unless given one."""
    if client is None:
        client = Client()
        atexit.register(client.close)
    app = Flask(__name__)
    app.extensions["hfspace_sdk"] = client
    images = ImageStore(MAX_IMAGES)

    @app.route("/", methods=["GET", "POST"])
    def index() -> tuple[str, int]:
        prompt = request.form.get("prompt", "").strip()
        model = request.form.get("model", MODELS[0])
        render = functools.partial(
            render_template_string, PAGE, prompt=prompt, model=model, models=MODELS
        )
        if request.method == "GET":
            return render(), 200
        try:
            # Blocks until the image is ready. b64_json: the bytes come with the answer.
            result = client.images.generate(prompt, model=model, response_format="b64_json")
        except InvalidArgumentError as error:  # an empty prompt, an unknown model...
            return render(error=error), 400
        except HFSpaceError as error:  # the Space failed, timed out or is unreachable
            return render(error=error), 502
        return render(image_ids=[images.add(image) for image in result.data]), 200

    @app.get("/images/<image_id>")
    def image(image_id: str) -> Response:
        found = images.get(image_id)
        if found is None:
            abort(404)
        data, mimetype = found
        return Response(data, mimetype=mimetype, headers={"Cache-Control": "max-age=3600"})

    return app


if __name__ == "__main__":
    create_app().run()
