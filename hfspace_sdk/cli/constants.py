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
Generate images and chat with Janus-Pro-7B through Hugging Face Spaces (FLUX.1-schnell,
FLUX.1-dev, Janus-Pro-7B), from the command line.

Global options may come before or after the command:
  hfspace --timeout 60 generate "a red fox"   or   hfspace generate "a red fox" --timeout 60
"""

_EPILOG = """\
environment:
  HF_TOKEN             an HF access token (raises your ZeroGPU quota)
  HF_ENDPOINT          the hub that issues ZeroGPU tokens (default https://huggingface.co)
  HFSPACE_SPACE_URLS   Space URL overrides: owner/name=URL,owner/name=URL
                       (--space-url adds to and overrides these)

exit codes:
  0    success
  1    the generation failed (Space error, network, timeout, quota) or the image
       could not be saved
  2    usage: bad options, or input rejected before anything is sent (unknown model
       or provider, bad size or aspect ratio, missing output directory, not an image)
  130  interrupted (Ctrl-C)

examples:
  hfspace generate "a red fox in the snow" --aspect-ratio 16:9 -o fox.webp
  hfspace generate "a lighthouse" --model flux-schnell --width 1024 --height 576
  hfspace chat "What is in this picture?" --image fox.webp
  hfspace models
  hfspace demo -o demo.webp          (offline: needs pip install 'hfspace_sdk[testing]')
"""
