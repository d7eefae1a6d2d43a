"""One call of a Space endpoint, run as a job: upload, submit, stream, decode.

The call goes over Gradio's queue protocol (``queue/join`` + ``queue/data``), which carries the
Space's error text on every Gradio version, or over ``/call/<api_name>`` when the Space's
``/config`` closes the queue. The job yields :class:`~hfspace_sdk.Reasoning` statuses (queue
position, progress, the Space's log lines), each intermediate output of a generator, and the
final outputs last.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Optional

from ..cancel import CancelScope
from ..errors import ProtocolError
from ..gradio.api_info import Endpoint
from ..gradio.files import output_url
from ..gradio.messages import Completed, Generating
from ..gradio.protocol import GradioProtocol, run_job
from ..gradio.space import GradioApp
from ..gradio.statuses import status_of
from ..gradio.values import (
    FileFactory,
    assemble_payload,
    decode_outputs,
    file_data_name,
    file_mime_type,
)
from ..runtime import Runtime
from .inputs import PreparedInputs

__all__ = ["SpaceCall"]


def _file_factory(runtime: Runtime, space: GradioApp, scope: CancelScope) -> FileFactory:
    """Output files as the SDK's objects, downloading with the runtime's settings (even after
    the client is closed)."""
    from ..files import File, safe_file_name
    from ..images import Image

    def make(file_data: Mapping[str, Any], image: bool, caption: Optional[str]) -> Any:
        url = output_url(space, file_data, scope)
        if image:
            return Image(url=url, revised_prompt=caption, _downloader=runtime.download)
        return File(
            url=url,
            name=safe_file_name(file_data_name(file_data)),
            mime_type=file_mime_type(file_data),
            _downloader=runtime.download.file,
        )

    return make


@dataclass(frozen=True)
class SpaceCall:
    """A checked call of one endpoint: what :meth:`run` sends, and to which Space.

    Attributes:
        hub_id: the Space's hub id (``owner/name``), which ZeroGPU tokens are issued for;
            None for a Space given by URL.
        endpoint: the function called.
        inputs: the values, files read and waiting to be uploaded.
    """

    hub_id: Optional[str]
    endpoint: Endpoint
    inputs: PreparedInputs

    def run(self, runtime: Runtime, space: GradioApp, scope: CancelScope) -> Iterator[Any]:
        """The job: statuses and intermediate outputs as they come, the final outputs last.

        The final outputs are not repeated when they equal the intermediate output just
        yielded: the last item is always the result.
        """
        session_hash = uuid.uuid4().hex
        values = self.inputs.upload(space, upload_id=session_hash, scope=scope)
        protocol, call = self._call(runtime, space, values, session_hash, scope)
        make = _file_factory(runtime, space, scope)
        last_output: Optional[list[Any]] = None  # while it is the last item yielded
        for event in run_job(protocol, space, call, scope=scope):
            if isinstance(event, Generating):
                yield self._decode(space, event.data, make)
                last_output = event.data
            elif isinstance(event, Completed):
                if event.data is not None and event.data != last_output:
                    yield self._decode(space, event.data, make)
            else:
                status = status_of(event)
                if status is not None:
                    yield status
                    last_output = None

    def _call(
        self,
        runtime: Runtime,
        space: GradioApp,
        values: list[Any],
        session_hash: str,
        scope: CancelScope,
    ) -> tuple[GradioProtocol[Any], Any]:
        function = self.endpoint.function
        payload = assemble_payload(function, values)
        if not space.info(scope).enable_queue:
            from ..gradio.call_api import CALL_API, ApiCall

            return CALL_API, ApiCall(self.endpoint.api_name.lstrip("/"), payload)
        from ..gradio.queue_api import QUEUE, QueuedCall

        headers: dict[str, str] = {}
        if self.hub_id is not None and runtime.settings.hf_token:
            from ..zerogpu import ANONYMOUS_TOKEN

            credentials = runtime.zerogpu_credentials(
                self.hub_id, uuid=ANONYMOUS_TOKEN, cookies=None, scope=scope
            )
            headers.update(credentials.headers())  # sent to this Space's own URL only
        call = QueuedCall(
            fn_index=function.fn_index,
            trigger_id=function.trigger_id(),
            data=payload,
            session_hash=session_hash,
            headers=headers,
        )
        return QUEUE, call

    def _decode(self, space: GradioApp, data: list[Any], make: FileFactory) -> Any:
        try:
            return decode_outputs(self.endpoint, data, make)
        except ProtocolError as exc:
            if exc.space is None:
                exc.space = space.space_id
            raise
