"""The Flask side: a form that enqueues a generation, and a result page per task.

``/jobs/<task_id>`` refreshes itself until the task has finished, then shows the images (served
by the Space) or the error; ``/jobs/<task_id>.json`` answers the same as JSON for scripts.
"""

from __future__ import annotations

from typing import Any

from celery import states
from celery.result import AsyncResult
from flask import Flask, Response, jsonify, redirect, render_template_string, request, url_for

from .tasks import app as celery_app
from .tasks import generate

MODELS = ("flux", "flux-schnell", "flux-dev")

FORM = """<!doctype html>
<title>hfspace_sdk + Celery</title>
<form method="post">
  <input name="prompt" value="{{ prompt }}" placeholder="a red fox in the snow" size="50" autofocus>
  <select name="model">
    {% for name in models %}<option{% if name == model %} selected{% endif %}>{{ name }}</option>{% endfor %}
  </select>
  <button>Generate</button>
</form>
{% if error %}<p role="alert">{{ error }}</p>{% endif %}
"""

JOB = """<!doctype html>
<title>hfspace_sdk job {{ job.id }}</title>
{% if not job.done %}<meta http-equiv="refresh" content="2">{% endif %}
<p>Job {{ job.id }}: <span id="state">{{ job.state }}</span></p>
{% if job.error %}<p role="alert">{{ job.error }}</p>{% endif %}
{% for image in job.images %}<p><img src="{{ image.url }}" alt="{{ image.alt }}"></p>{% endfor %}
<p><a href="{{ url_for('index') }}">Another image</a></p>
"""


def job_view(task_id: str) -> dict[str, Any]:
    """What the pages show of a task: plain data. Celery reports an unknown id as PENDING."""
    result = AsyncResult(task_id, app=celery_app)
    # One read of the backend: "done" asked for separately could see the task finish after
    # "state" was read, and the page would stop refreshing on STARTED.
    state = result.state
    view: dict[str, Any] = {"id": task_id, "state": state, "done": state in states.READY_STATES}
    view["images"] = result.result["images"] if state == "SUCCESS" else []
    # The task's exception message only (the SDK's own words), never the traceback.
    view["error"] = str(result.result) if state == "FAILURE" else None
    return view


def create_app() -> Flask:
    """The web app; it never calls a Space itself, so it holds no SDK client."""
    web = Flask(__name__)

    @web.route("/", methods=["GET", "POST"])
    def index() -> Any:
        prompt = request.form.get("prompt", "").strip()
        model = request.form.get("model", MODELS[0])
        if request.method == "GET":
            return render_template_string(FORM, prompt=prompt, model=model, models=MODELS)
        # Refuse what would fail anyway before it takes a place in the queue.
        error = None if prompt else "The prompt is empty"
        if model not in MODELS:
            error = f"Unknown model {model!r}: one of {', '.join(MODELS)}"
        if error:
            page = render_template_string(
                FORM, prompt=prompt, model=model, models=MODELS, error=error
            )
            return page, 400
        task = generate.delay(prompt, model)
        return redirect(url_for("job", task_id=task.id), code=303)

    @web.get("/jobs/<task_id>")
    def job(task_id: str) -> str:
        return render_template_string(JOB, job=job_view(task_id))

    @web.get("/jobs/<task_id>.json")
    def job_json(task_id: str) -> Response:
        view = job_view(task_id)
        view.pop("done")
        return jsonify(view)

    return web


app = create_app()  # for `flask --app celery_app.web run`
