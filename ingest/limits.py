"""Size and count limits, and a reader that enforces them while a compressed stream is inflated.

Every reason names the command-line option that raises the limit it reports
(``symptom-claims run --help``); Python callers set the ``IngestLimits`` field of the same name.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, fields

from .model import OVER_LIMIT, TOO_LARGE, Rejected


@dataclass(frozen=True)
class IngestLimits:
    """Bounds that keep one hostile or accidental input from exhausting memory or time."""

    max_file_bytes: int = 50_000_000  # size on disk of any input file (compressed size for .gz)
    max_record_chars: int = 2_000_000  # characters of text in one document
    max_decompressed_bytes: int = 200_000_000  # bytes inflated from one .gz file
    max_compression_ratio: float = 100  # inflated bytes per byte of .gz file
    max_documents: int | None = None  # accepted documents per run; None: no limit

    def __post_init__(self) -> None:
        for field in fields(self):
            value = getattr(self, field.name)
            if not (value is None and field.name == "max_documents") and not value > 0:
                raise ValueError(f"IngestLimits.{field.name} must be positive, got {value!r}")


def count(n: float) -> str:
    """Group digits so limits in reasons are readable at a glance (100.0 reads 100)."""
    return f"{int(n):,}" if float(n).is_integer() else f"{n:,}"


def check_file_size(size: int, limits: IngestLimits) -> None:
    if size > limits.max_file_bytes:
        raise Rejected(TOO_LARGE, f"{count(size)} bytes > {count(limits.max_file_bytes)} byte limit; raise --max-file-mb")


def check_text_length(text: str, limits: IngestLimits) -> None:
    if len(text) > limits.max_record_chars:
        raise Rejected(TOO_LARGE, f"{count(len(text))} chars > {count(limits.max_record_chars)} char limit; raise --max-record-chars")


def check_run_size(accepted: int, limits: IngestLimits) -> None:
    """``accepted`` documents are in the run already: may one more be?"""
    if limits.max_documents is not None and accepted >= limits.max_documents:
        raise Rejected(OVER_LIMIT, f"run limit of {count(limits.max_documents)} documents reached; raise --max-documents")


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
            raise Rejected(TOO_LARGE, f"decompressed more than {count(self._max_bytes)} bytes; raise --max-decompressed-mb")
        if self._produced > self._max_by_ratio:
            raise Rejected(TOO_LARGE, f"compression ratio above {count(self._max_ratio)} (a gzip bomb?); "
                                      "if the file is genuine, raise --max-compression-ratio")
        return n
