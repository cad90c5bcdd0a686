"""Size limits, and a reader that enforces them while a compressed stream is inflated."""
from __future__ import annotations

import io
from dataclasses import dataclass, fields

from .model import TOO_LARGE, Rejected


@dataclass(frozen=True)
class IngestLimits:
    """Bounds that keep one hostile or accidental input from exhausting memory or time."""

    max_file_bytes: int = 50_000_000  # size on disk of any input file (compressed size for .gz)
    max_record_chars: int = 2_000_000  # characters of text in one document
    max_decompressed_bytes: int = 200_000_000  # bytes inflated from one .gz file
    max_compression_ratio: float = 100  # inflated bytes per byte of .gz file

    def __post_init__(self) -> None:
        for field in fields(self):
            if getattr(self, field.name) <= 0:
                raise ValueError(f"IngestLimits.{field.name} must be positive")


def count(n: float) -> str:
    """Group digits so limits in reasons are readable at a glance."""
    return f"{n:,}"


def check_file_size(size: int, limits: IngestLimits) -> None:
    if size > limits.max_file_bytes:
        raise Rejected(TOO_LARGE, f"{count(size)} bytes > {count(limits.max_file_bytes)} byte limit")


def check_text_length(text: str, limits: IngestLimits) -> None:
    if len(text) > limits.max_record_chars:
        raise Rejected(TOO_LARGE, f"{count(len(text))} chars > {count(limits.max_record_chars)} char limit")


class InflationGuard(io.RawIOBase):
    """Wraps a decompressing stream and stops a gzip bomb before it fills memory or disk.

    The ratio is measured against the whole compressed file size, so it can be checked
    from the first byte on without knowing how far the decompressor has read.
    """

    def __init__(self, inflating: io.BufferedIOBase, compressed_size: int, limits: IngestLimits):
        super().__init__()
        self._inflating = inflating
        self._produced = 0
        self._max_bytes = limits.max_decompressed_bytes
        self._max_by_ratio = limits.max_compression_ratio * max(compressed_size, 1)
        self._max_ratio = limits.max_compression_ratio

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        # One decompression step at a time (read1): GzipFile.readinto loops internally and
        # drops what it inflated when a truncated stream ends, losing the records before it.
        read1 = getattr(self._inflating, "read1", None)
        if read1 is None:
            n = self._inflating.readinto(buffer)
        else:
            data = read1(len(buffer))
            n = len(data)
            buffer[:n] = data
        self._produced += n
        if self._produced > self._max_bytes:
            raise Rejected(TOO_LARGE, f"decompressed more than {count(self._max_bytes)} bytes")
        if self._produced > self._max_by_ratio:
            raise Rejected(TOO_LARGE, f"compression ratio above {count(self._max_ratio)}")
        return n
