"""Bounded decoding of gzip and deflate bodies: no piece is larger than the reader asks for.

urllib3 1.26 inflates a whole read at once (a 256 KiB read of a gzip bomb is 256 MiB); urllib3 2
bounds it differently by release. Decoding here instead keeps memory to one piece plus one read,
whichever urllib3 is installed. Pure: bytes in, bytes out.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import Optional, Union

__all__ = ["ACCEPTED_ENCODINGS", "BodyDecoder", "Inflater", "Passthrough", "decoder_for"]

#: The ``Accept-Encoding`` of a body read through :func:`decoder_for`.
ACCEPTED_ENCODINGS = "gzip, deflate"

BodyDecoder = Union["Passthrough", "Inflater"]


def decoder_for(content_encoding: Optional[str]) -> Optional[BodyDecoder]:
    """The decoder for a ``Content-Encoding`` value; None for codings this module does not do.

    Only one coding is supported (identity, gzip, x-gzip or deflate); a list such as
    ``"gzip, br"`` is not.
    """
    coding = (content_encoding or "").strip().lower()
    if coding in ("", "identity"):
        return Passthrough()
    if coding in ("gzip", "x-gzip"):
        return Inflater(gzip=True)
    if coding == "deflate":
        return Inflater(gzip=False)
    return None


class Passthrough:
    """An identity-coded body: its bytes as they are."""

    def decode(self, data: bytes, piece: Optional[int]) -> Iterator[bytes]:
        """``data`` itself (already no larger than the read that produced it)."""
        if data:
            yield data


class Inflater:
    """A gzip (all members) or deflate (zlib-wrapped or raw, as urllib3 accepts) body.

    Raises ``zlib.error`` from :meth:`decode` when the body is not what its coding says.
    """

    def __init__(self, *, gzip: bool) -> None:
        self._gzip = gzip
        self._engine = zlib.decompressobj(16 + zlib.MAX_WBITS if gzip else zlib.MAX_WBITS)
        self._finished = False  # past the end of a deflate stream, or past trailing garbage
        self._extra_member = False  # reading a gzip member after the first
        # deflate: the input seen before any output, to retry as raw deflate if it fails
        self._unproven: Optional[bytearray] = None if gzip else bytearray()

    def decode(self, data: bytes, piece: Optional[int]) -> Iterator[bytes]:
        """The decoded bytes of the next part of the body, in pieces of at most ``piece`` bytes.

        Pass ``b""`` at the end of the body to drain what the decoder still holds.
        """
        if self._unproven is None:
            yield from self._inflate(data, piece)
            return
        self._unproven += data
        try:
            for output in self._inflate(data, piece):
                self._unproven = None  # it is zlib-wrapped deflate
                yield output
        except zlib.error:
            if self._unproven is None:
                raise
            seen, self._unproven = bytes(self._unproven), None
            self._engine = zlib.decompressobj(-zlib.MAX_WBITS)  # raw deflate, as servers send
            yield from self._inflate(seen, piece)

    def _inflate(self, data: bytes, piece: Optional[int]) -> Iterator[bytes]:
        limit = piece or 64 * 1024
        while not self._finished:
            try:
                output = self._engine.decompress(data, limit)
            except zlib.error:
                if self._extra_member:  # trailing garbage after a gzip member: ignored, as
                    self._finished = True  # urllib3 and other gzip clients do
                    return
                raise
            if output:
                yield output
            if self._engine.eof:
                data = self._engine.unused_data
                if not self._gzip or not data:
                    self._finished = not self._gzip
                    return
                self._engine = zlib.decompressobj(16 + zlib.MAX_WBITS)  # the next member
                self._extra_member = True
                continue
            data = self._engine.unconsumed_tail
            if not data and len(output) < limit:
                return  # everything this input gives is out
