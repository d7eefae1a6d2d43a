"""``python -m hfspace_sdk``: the ``hfspace`` command line (see :mod:`hfspace_sdk.cli`)."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
