"""Local look-alike Hugging Face Spaces and a fake Hugging Face hub, for tests and demos.

The look-alikes are real Gradio apps (built on the installed ``gradio`` package) that match six
public Spaces on the wire: FLUX.1-schnell, FLUX.1-dev, Janus-Pro-7B, roxky/g4f-flux,
FLUX.1-Kontext-dev (image editing: the edit mirrors and tints the upload) and Stable Diffusion
3.5 Large; plus
``demo``, a made-up Space (``hfspace-sdk/demo``) with one endpoint of each kind for generic
clients, and ``flux-dev-drifted``, FLUX.1-dev as its owner might edit it (``infer`` moved from
fn_index 2 to 3; see :data:`VARIANTS`). They run in a subprocess; importing this package does not
import gradio::

    from hfspace_sdk.testing import serve_spaces, space_urls_for

    with serve_spaces("flux-schnell", "janus") as urls:
        space_urls = space_urls_for(urls)  # {"black-forest-labs/FLUX.1-schnell": "http://..."}

``space_urls_for({"flux-dev-drifted": url})`` maps FLUX.1-dev's Space ids to the drifted one.

The fake hub (:func:`serve_hub`) issues ZeroGPU tokens, answers the quota, and reports the
stages of Spaces scripted with :meth:`FakeHub.add_space` (asleep until visited, building for N
seconds, paused, crashed); :func:`serve_space_front` answers for such a Space as ``*.hf.space``
does and passes requests through to a look-alike once it runs.

Command line: ``python -m hfspace_sdk.testing serve NAME... | hub`` (NAME: any of
:data:`LOOKALIKE_NAMES`).
"""

from __future__ import annotations

from .catalog import LOOKALIKE_NAMES, LOOKALIKES, VARIANTS, space_urls_for
from .failures import DEMO_ERROR, FAILURE_MESSAGES, FAILURE_MODES, FAILURE_TITLES, trigger_token
from .hub import FakeHub, RecordedRequest, serve_hub
from .launcher import PYTHON_ENV_VAR, LookalikeServer, SpaceUrls, serve_space, serve_spaces
from .space_front import SPACE_STAGES, ScriptedSpace, SpaceFront, serve_space_front

__all__ = [
    "DEMO_ERROR",
    "FAILURE_MESSAGES",
    "FAILURE_MODES",
    "FAILURE_TITLES",
    "LOOKALIKES",
    "LOOKALIKE_NAMES",
    "PYTHON_ENV_VAR",
    "SPACE_STAGES",
    "VARIANTS",
    "FakeHub",
    "LookalikeServer",
    "RecordedRequest",
    "ScriptedSpace",
    "SpaceFront",
    "SpaceUrls",
    "serve_hub",
    "serve_space",
    "serve_space_front",
    "serve_spaces",
    "space_urls_for",
    "trigger_token",
]
