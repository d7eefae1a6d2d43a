"""The HTTP layer, the only code that calls ``requests``: sessions and abortable connections
(:mod:`.sessions`), the client that leases them (:mod:`.client`), bounded decompression
(:mod:`.decompress`) and the one map from library exceptions to hfspace_sdk errors
(:mod:`.errors`). Secret headers never follow a redirect to another host."""

from .client import USER_AGENT, HttpClient
from .errors import is_lost_connection, map_exception, read_json
from .sessions import SECRET_HEADERS, abort_response

__all__ = [
    "SECRET_HEADERS",
    "USER_AGENT",
    "HttpClient",
    "abort_response",
    "is_lost_connection",
    "map_exception",
    "read_json",
]
