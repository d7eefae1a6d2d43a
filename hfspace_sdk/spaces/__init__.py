"""Any Gradio Space by name: a handle (:class:`Space`) listing its API and calling its endpoints.

:mod:`.handle` owns the handle and the API description, :mod:`.inputs` the file arguments,
:mod:`.calls` the job of one call.
"""

from .handle import Space, SpaceHandles, parse_space_reference

__all__ = ["Space", "SpaceHandles", "parse_space_reference"]
