"""Names, limits, help texts and exit codes of the ``hfspace`` command."""

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

PROG = "hfspace"
DEFAULT_IMAGE_MODEL = "flux"
DEFAULT_CHAT_MODEL = "janus-pro-7b"
DEMO_PROMPT = "a red fox in the snow"
DEMO_STEM = "hfspace-demo"
#: The demo's per-job time limit when ``--timeout`` is not given (the Space is local).
DEMO_TIMEOUT = 120.0
_LOOKALIKE_PYTHON_ENV = "HFSPACE_LOOKALIKE_PYTHON"  # same as hfspace_sdk.testing.PYTHON_ENV_VAR

_DESCRIPTION = """\
Generate and edit images and chat with Janus-Pro-7B through Hugging Face Spaces (FLUX.1-schnell,
FLUX.1-dev, Stable Diffusion 3.5 Large, FLUX.1-Kontext-dev, Janus-Pro-7B), or call any endpoint
of any Gradio Space, from the command line.

Global options may come before or after the command:
  hfspace --timeout 60 generate "a red fox"   or   hfspace generate "a red fox" --timeout 60
"""

_EPILOG = """\
environment:
  HF_TOKEN             an HF access token (raises your ZeroGPU quota; needed by quota)
  HF_ENDPOINT          the hub that issues ZeroGPU tokens (default https://huggingface.co)
  HFSPACE_SPACE_URLS   Space URL overrides: owner/name=URL,owner/name=URL
                       (--space-url adds to and overrides these)

exit codes:
  0    success
  1    the generation or quota request failed (Space error, network, timeout,
       quota, refused token) or the image could not be saved
  2    usage: bad options, or input rejected before anything is sent (unknown model
       or provider, bad size or aspect ratio, missing output directory, not an image)
  130  interrupted (Ctrl-C)

examples:
  hfspace generate "a red fox in the snow" --aspect-ratio 16:9 -o fox.webp
  hfspace generate "a lighthouse" --model flux-schnell --width 1024 --height 576
  hfspace edit fox.webp "make it snowy" -o snowy.png
  hfspace chat "What is in this picture?" --image fox.webp
  hfspace models
  hfspace api owner/name             (the endpoints of any Gradio Space)
  hfspace call owner/name /infer prompt="a fox" width=512 -o out/
  hfspace quota                      (ZeroGPU seconds left; --json for scripts)
  hfspace demo -o demo.webp          (offline: needs pip install 'hfspace_sdk[testing]')
"""

CALL_EPILOG = """\
values:
  NAME=VALUE   by parameter name (see 'hfspace api SPACE'); VALUE alone goes by position
  VALUE        read as JSON when it parses (512, 3.5, true, null, [1, 2], {"a": 1}),
               else taken as text: prompt="a red fox" and prompt=a-fox are both text;
               quote JSON strings to keep them text: seed='"42"'
  @PATH        the file at PATH, uploaded (image parameters need a PNG, JPEG, GIF or WebP
               file); @@TEXT is the text @TEXT

examples:
  hfspace api black-forest-labs/FLUX.1-schnell
  hfspace call black-forest-labs/FLUX.1-schnell /infer prompt="a red fox" width=512 -o out/
  hfspace call http://127.0.0.1:7860 /predict @photo.png "a caption"
"""
