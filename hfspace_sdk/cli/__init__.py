"""The ``hfspace`` command line (also ``python -m hfspace_sdk``).

This module owns what the SDK shows a person at a terminal: argument parsing, the live status
line on stderr, messages, exit codes and the offline demo. It is the only part of the package
that prints, and it reaches the Spaces only through the public :class:`~hfspace_sdk.Client`
(``client.images.stream``, ``client.images.edit``, ``client.chat.completions.create``,
``client.download``, ``client.space``), so a command behaves exactly like the same call in
Python.

Exit codes: 0 success; 1 the generation failed (an ``HFSpaceError``) or the image could not be
saved; 2 usage (bad options, or input the SDK rejected before sending anything); 130
interrupted. Results go to stdout, everything else (status, warnings, errors, logs) to stderr.
"""

from .commands import generate_image, main, models_table
from .constants import EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE
from .output import StatusLine

__all__ = [
    "EXIT_FAILURE",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_USAGE",
    "StatusLine",
    "generate_image",
    "main",
    "models_table",
]
