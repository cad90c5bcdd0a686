"""Bytes to text for files of unknown provenance (legacy encodings, UTF-16 exports, binaries).

Order: BOMs (UTF-8, UTF-16), UTF-16 without BOM when NUL bytes sit at alternate
positions, then binary (a document: any NUL byte; a record stream: many control bytes,
since a NUL in one record rejects only that record), strict UTF-8, then
charset-normalizer's guess. Decoded text with many control characters is binary too.
"""
from __future__ import annotations

import codecs
import io
import re
import zlib

import charset_normalizer

from .model import BINARY, UNDECODABLE, Rejected

SAMPLE_BYTES = 65_536  # enough to judge an encoding without reading a whole stream
_MAX_CONTROL_SHARE = 0.05  # real prose has ~0 control characters; binary data far more
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")  # C0/C1 minus \t \n \v \f \r
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1f\x7f]")  # the C0 ones, as bytes
_ESCAPED_BYTES = re.compile(r"[\udc80-\udcff]")  # what errors="surrogateescape" leaves
_UTF16_NUL_SHARE = 0.3  # ASCII-heavy UTF-16 has a NUL in nearly every other byte...
_UTF16_STRAY_NUL_SHARE = 0.05  # ...and few in the other half (U+0100, U+3000, ...)
# Short Latin-1/cp1252 texts ("café") decode identically under several code pages and
# charset-normalizer then picks one arbitrarily; Western health text is most often cp1252.
_PREFERRED_LEGACY_ENCODING = "cp1252"


def decode_document(data: bytes) -> str:
    """Decode a whole file into text with "\\n" newlines, or raise Rejected."""
    encoding = _unicode_encoding(data)
    if encoding is None:
        if b"\0" in data:
            raise Rejected(BINARY, "contains NUL bytes")
        encoding = _byte_encoding(data, complete=True)
    try:
        text = data.decode(encoding, errors=_STRAY_BYTES_AS_CP1252 if encoding == "utf-8" else "strict")
    except UnicodeDecodeError as error:
        raise Rejected(UNDECODABLE, f"invalid {encoding} at byte {error.start}") from None
    reject_if_binary(text)
    return normalize_newlines(text)


def open_text_stream(binary: io.BufferedIOBase, newline: str) -> io.TextIOWrapper:
    """Sniff the encoding from the stream's head, then stream-decode the whole stream.

    Bytes that turn out undecodable later are kept as surrogate escapes, and NUL bytes are
    kept too, so that one bad record can be rejected (see has_undecodable_bytes and
    has_nul_bytes) without losing the rest; only a head that is mostly control bytes makes
    the stream binary.
    """
    head, damage = _read_head(binary)
    encoding = _unicode_encoding(head)
    if encoding is None:
        _reject_if_binary_bytes(head)
        encoding = _byte_encoding(head, complete=len(head) < SAMPLE_BYTES and damage is None)
    reject_if_binary(head.decode(encoding, errors="replace"))
    replayed = io.BufferedReader(_HeadThenRest(head, binary, damage))
    return io.TextIOWrapper(replayed, encoding=encoding, errors="surrogateescape", newline=newline)


_HEAD_CHUNK = 8_192
# What a damaged compressed stream raises (gzip.BadGzipFile is an OSError).
_STREAM_DAMAGE = (EOFError, OSError, zlib.error)


def _read_head(binary: io.BufferedIOBase) -> tuple[bytes, Exception | None]:
    """Up to SAMPLE_BYTES, in small reads so that a stream damaged within its first 64 KiB
    (a truncated .gz) still yields the bytes before the damage; the error is kept and
    raised once those bytes have been served, so records before it are not lost."""
    chunks, size = [], 0
    while size < SAMPLE_BYTES:
        try:
            chunk = binary.read1(min(_HEAD_CHUNK, SAMPLE_BYTES - size))
        except _STREAM_DAMAGE as error:
            return b"".join(chunks), error
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks), None


def _unicode_encoding(data: bytes) -> str | None:
    """The codec a BOM or UTF-16's pattern of NUL bytes names; None for any other data."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return _bomless_utf16(data[:SAMPLE_BYTES])


def _byte_encoding(data: bytes, complete: bool) -> str:
    """UTF-8 or a legacy code page, for data that is not UTF-16; complete=False tolerates
    a character cut at the end.

    UTF-8 too when a few stray bytes sit in text that is otherwise UTF-8 (at least as many
    valid multi-byte characters as invalid bytes: a Windows quote pasted into a UTF-8 page).
    A legacy code page would turn every other non-ASCII character into mojibake ("40–80%"
    read as Mac Roman is "40‚Äì80%"), silently."""
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data, final=complete)
        return "utf-8"
    except UnicodeDecodeError:
        if _mostly_utf8(data if complete else data[:-3]):
            return "utf-8"
        return _guess_legacy_encoding(data)


def _mostly_utf8(data: bytes) -> bool:
    text = data.decode("utf-8", errors="surrogateescape")
    invalid = sum(1 for _ in _ESCAPED_BYTES.finditer(text))
    non_ascii = len(text) - len(text.encode("ascii", errors="ignore"))  # at C speed: files may be 50 MB
    return non_ascii - invalid >= invalid


def _stray_bytes_as_cp1252(error: UnicodeDecodeError) -> tuple[str, int]:
    """Decode error handler: the bytes UTF-8 rejects, read as cp1252 (Latin-1 where cp1252
    leaves a byte undefined), the way Windows text pasted into a UTF-8 file was meant."""
    stray = error.object[error.start : error.end]
    return "".join(bytes([byte]).decode("cp1252", errors="ignore") or chr(byte) for byte in stray), error.end


_STRAY_BYTES_AS_CP1252 = "symptom_claims.stray_bytes_as_cp1252"
codecs.register_error(_STRAY_BYTES_AS_CP1252, _stray_bytes_as_cp1252)


def _reject_if_binary_bytes(sample: bytes) -> None:
    """Judged before an encoding is guessed, so that a binary file is called binary, not
    undecodable. Once UTF-16 is ruled out, C0 control bytes (and DEL) are control
    characters in every encoding left: no UTF-8 or legacy multi-byte character uses them."""
    controls = len(_CONTROL_BYTES.findall(sample))
    if controls > _MAX_CONTROL_SHARE * len(sample):
        raise Rejected(BINARY, f"{controls} of the first {len(sample)} bytes are NUL or control bytes")


def reject_if_binary(text: str) -> None:
    sample = text[:SAMPLE_BYTES]
    controls = len(_CONTROL_CHARS.findall(sample))
    if controls > _MAX_CONTROL_SHARE * len(sample):
        raise Rejected(BINARY, f"{controls} control characters in the first {len(sample)}")


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def has_undecodable_bytes(text: str) -> bool:
    return _ESCAPED_BYTES.search(text) is not None


def has_nul_bytes(text: str) -> bool:
    return "\0" in text


def replace_lone_surrogates(text: str) -> str:
    """JSON escapes can smuggle in lone surrogates, which cannot be written as UTF-8."""
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def _bomless_utf16(sample: bytes) -> str | None:
    pairs = len(sample) // 2
    if pairs == 0:
        return None
    even_nuls = sample[0 : 2 * pairs : 2].count(0)
    odd_nuls = sample[1 : 2 * pairs : 2].count(0)
    if odd_nuls >= _UTF16_NUL_SHARE * pairs and even_nuls <= _UTF16_STRAY_NUL_SHARE * pairs:
        return "utf-16-le"
    if even_nuls >= _UTF16_NUL_SHARE * pairs and odd_nuls <= _UTF16_STRAY_NUL_SHARE * pairs:
        return "utf-16-be"
    return None


def _guess_legacy_encoding(data: bytes) -> str:
    # UTF-16 was ruled out above; charset-normalizer would otherwise offer it for
    # short even-length inputs.
    matches = [m for m in charset_normalizer.from_bytes(data) if not m.encoding.startswith(("utf_16", "utf_32"))]
    if not matches:
        raise Rejected(UNDECODABLE, "not UTF-8, UTF-16 or a recognisable legacy encoding")
    best = matches[0]
    for match in matches:
        tied = (match.chaos, match.coherence) == (best.chaos, best.coherence)
        if tied and _PREFERRED_LEGACY_ENCODING in match.could_be_from_charset:
            return _PREFERRED_LEGACY_ENCODING
    return best.encoding


class _HeadThenRest(io.RawIOBase):
    """Serves the bytes already read for sniffing, then the rest of the stream."""

    def __init__(self, head: bytes, rest: io.BufferedIOBase, damage: Exception | None = None):
        super().__init__()
        self._head = memoryview(head)
        self._rest = rest
        self._damage = damage  # raised after the head, instead of reading on

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if not self._head:
            if self._damage is not None:
                raise self._damage
            # one read of the stream at most: readinto() would go on reading to fill the buffer
            # and drop what it had read when a damaged .gz raises, losing whole records
            data = self._rest.read1(len(buffer))
            buffer[: len(data)] = data
            return len(data)
        n = min(len(buffer), len(self._head))
        buffer[:n] = self._head[:n]
        self._head = self._head[n:]
        return n
