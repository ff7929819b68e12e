"""What an archive holds, before encryption: zlib-compressed records.

    record = tag (1 byte) | name length (u16) | name (UTF-8) | blocks | u32 0
    block  = length (u32, 1 … 16 MiB) | bytes

Tags: F a stored file (name: its path under MEDIA_ROOT), D the database dump, M the manifest (JSON),
E the end (no name, no blocks). Sizes are not known up front (pg_dump streams), hence blocks rather
than tar, which needs each member's size before its data.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable, Iterator

from .errors import BackupError

FILE, DATABASE, MANIFEST, END = b"F", b"D", b"M", b"E"
BLOCK = 1 << 20
MAX_BLOCK = 16 << 20
# Level 3: on a database of 100,000 ads 8 % larger than the default 6, at 2.7 times its speed.
COMPRESSION_LEVEL = 3
_U16 = struct.Struct(">H")
_U32 = struct.Struct(">I")

MALFORMED = (
    "Arkivets innehåll har fel form (fast äkthetskontrollen gick igenom): det är inte skrivet av "
    "`uppsok backup`. Inget har återställts. / The archive's content is malformed (although it "
    "authenticates): it was not written by `uppsok backup`. Nothing was restored."
)


class Sink:
    def write(self, data: bytes) -> None: ...
    def close(self) -> None: ...


class RecordWriter:
    def __init__(self, sink: Sink, level: int = COMPRESSION_LEVEL) -> None:
        self._sink = sink
        self._z = zlib.compressobj(level)

    def _raw(self, data: bytes) -> None:
        out = self._z.compress(data)
        if out:
            self._sink.write(out)

    def begin(self, tag: bytes, name: str = "") -> None:
        encoded = name.encode("utf-8")
        self._raw(tag + _U16.pack(len(encoded)) + encoded)

    def block(self, data: bytes) -> None:
        for start in range(0, len(data), MAX_BLOCK):
            part = data[start : start + MAX_BLOCK]
            self._raw(_U32.pack(len(part)))
            self._raw(part)

    def end(self) -> None:
        self._raw(_U32.pack(0))

    def record(self, tag: bytes, name: str, read: Callable[[int], bytes]) -> None:
        """A record whose data comes from read(n) until it returns nothing."""
        self.begin(tag, name)
        while data := read(BLOCK):
            self.block(data)
        self.end()

    def finish(self) -> None:
        self._raw(END + _U16.pack(0))
        self._sink.write(self._z.flush())
        self._sink.close()


class RecordReader:
    """Reads records back from the decrypted chunks, holding at most a few MiB at a time."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._z = zlib.decompressobj()
        self._buffer = bytearray()

    def _fill(self, n: int) -> None:
        while len(self._buffer) < n:
            if self._z.unconsumed_tail:
                data = self._z.unconsumed_tail
            else:
                data = next(self._chunks, None)
                if data is None:
                    raise BackupError(MALFORMED)
            try:
                self._buffer += self._z.decompress(data, 4 * BLOCK)
            except zlib.error:
                raise BackupError(MALFORMED) from None
            if self._z.eof and len(self._buffer) < n:
                raise BackupError(MALFORMED)

    def _read(self, n: int) -> bytes:
        self._fill(n)
        out = bytes(self._buffer[:n])
        del self._buffer[:n]
        return out

    def next_record(self) -> tuple[bytes, str]:
        tag = self._read(1)
        length = _U16.unpack(self._read(2))[0]
        try:
            name = self._read(length).decode("utf-8")
        except UnicodeDecodeError:
            raise BackupError(MALFORMED) from None
        if tag not in (FILE, DATABASE, MANIFEST, END) or (tag == END and name):
            raise BackupError(MALFORMED)
        if tag == END:
            self._expect_end()
        return tag, name

    def blocks(self) -> Iterator[bytes]:
        """The data of the record just begun; must be read to its end before the next record."""
        while True:
            length = _U32.unpack(self._read(4))[0]
            if length == 0:
                return
            if length > MAX_BLOCK:
                raise BackupError(MALFORMED)
            yield self._read(length)

    def _expect_end(self) -> None:
        if self._buffer or self._z.unconsumed_tail:
            raise BackupError(MALFORMED)
        for data in self._chunks:
            if self._z.decompress(data):
                raise BackupError(MALFORMED)
        if not self._z.eof or self._z.unused_data:
            raise BackupError(MALFORMED)
