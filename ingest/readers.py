"""Format detection and the per-format readers that turn a byte stream into records."""
from __future__ import annotations

import csv
import functools
import gzip
import io
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

from .decode import decode_document, has_nul_bytes, has_undecodable_bytes, open_text_stream
from .fields import FieldSelector
from .html_text import html_to_text
from .limits import IngestLimits, InflationGuard
from .model import BINARY, EMPTY, PARSE_ERROR, UNDECODABLE, UNSUPPORTED_FORMAT, Rejected, reject_reason

SINGLE_DOCUMENT_EXTENSIONS = frozenset({".txt", ".md", ".html", ".htm"})
RECORD_EXTENSIONS = frozenset({".jsonl", ".csv", ".parquet"})
_CSV_FIELD_LIMIT = 2**31 - 1  # csv's 128 KiB default truncates long answers; our own limits apply
_PARQUET_BATCH_ROWS = 1024


@dataclass(frozen=True)
class FileFormat:
    extension: str  # lower case, without ".gz", e.g. ".jsonl"
    gzipped: bool

    @property
    def is_single_document(self) -> bool:
        return self.extension in SINGLE_DOCUMENT_EXTENSIONS


@dataclass(frozen=True)
class RawRecord:
    """One record as found in the file, before its text and id are picked."""

    number: int  # 1-based line (JSONL, CSV) or row (Parquet) where the record starts
    fields: Mapping[str, object]
    problem: str = ""  # reject reason for this record alone


def detect_format(file_name: str) -> FileFormat | None:
    name = file_name.lower()
    gzipped = name.endswith(".gz")
    extension = os.path.splitext(name[:-3] if gzipped else name)[1]
    if extension in SINGLE_DOCUMENT_EXTENSIONS | RECORD_EXTENSIONS:
        return FileFormat(extension, gzipped)
    return None


@contextmanager
def open_binary(path: str, file_format: FileFormat, file_size: int, limits: IngestLimits) -> Iterator[io.BufferedIOBase]:
    """Open a file, transparently inflating .gz under the decompression limits."""
    with open(path, "rb") as raw:
        if not file_format.gzipped:
            yield raw
            return
        with gzip.GzipFile(fileobj=raw) as inflating:
            yield io.BufferedReader(InflationGuard(inflating, file_size, limits))


def read_document_text(stream: io.BufferedIOBase, file_format: FileFormat) -> str:
    text = decode_document(stream.read())
    return html_to_text(text) if file_format.extension in (".html", ".htm") else text


def read_records(stream: io.BufferedIOBase, file_format: FileFormat, selector: FieldSelector) -> Iterator[RawRecord]:
    readers = {".jsonl": _read_jsonl, ".csv": _read_csv, ".parquet": _read_parquet}
    return readers[file_format.extension](stream, selector)


def _read_jsonl(stream: io.BufferedIOBase, selector: FieldSelector) -> Iterator[RawRecord]:
    """One JSON object per line; a broken line is rejected on its own, blank lines are skipped."""
    for number, line in enumerate(open_text_stream(stream, newline="\n"), start=1):
        if line.strip():
            yield _parse_json_line(number, line)


def _bad_bytes(number: int, texts: Iterable[str]) -> str:
    """The reject reason of a record whose raw text holds bytes no text has, else "";
    judged per record (JSONL line, CSV row) so that the file's other records are kept."""
    for text in texts:
        if has_undecodable_bytes(text):
            return reject_reason(UNDECODABLE, f"line {number}")
        if has_nul_bytes(text):
            return reject_reason(BINARY, f"line {number}: contains NUL bytes")
    return ""


def _parse_json_line(number: int, line: str) -> RawRecord:
    problem = _bad_bytes(number, [line])
    if problem:
        return RawRecord(number, {}, problem)
    try:
        value = json.loads(line)
    except json.JSONDecodeError as error:
        return RawRecord(number, {}, reject_reason(PARSE_ERROR, f"line {number}: {error.msg} (column {error.colno})"))
    except RecursionError:
        return RawRecord(number, {}, reject_reason(PARSE_ERROR, f"line {number}: nested too deeply"))
    except ValueError as error:  # an integer of more digits than int() converts (sys.set_int_max_str_digits)
        return RawRecord(number, {}, reject_reason(PARSE_ERROR, f"line {number}: {error}"))
    if not isinstance(value, dict):
        return RawRecord(number, {}, reject_reason(PARSE_ERROR, f"line {number}: expected an object, got {type(value).__name__}"))
    return RawRecord(number, value)


def _read_csv(stream: io.BufferedIOBase, selector: FieldSelector) -> Iterator[RawRecord]:
    """A header row, then one record per row; quoted fields may hold newlines and quotes."""
    csv.field_size_limit(max(csv.field_size_limit(), _CSV_FIELD_LIMIT))
    # strict: a quote left open would otherwise swallow the rest of the file into one record
    rows = csv.reader(open_text_stream(stream, newline=""), strict=True)
    try:
        header = [name.strip() for name in next((row for row in rows if row), [])]
        if not header:
            raise Rejected(EMPTY, "no header row")
        selector.require_text_column(header)
        last_line = rows.line_num
        for row in rows:
            first_line, last_line = last_line + 1, rows.line_num
            problem = _bad_bytes(first_line, row)
            if problem:
                yield RawRecord(first_line, {}, problem)
            elif row:
                yield RawRecord(first_line, dict(zip(header, row)))
    except csv.Error as error:
        raise Rejected(PARSE_ERROR, f"line {rows.line_num}: {error}") from None


def _read_parquet(stream: io.BufferedIOBase, selector: FieldSelector) -> Iterator[RawRecord]:
    """Row by row in batches, reading only the columns that can hold a text or an id."""
    parquet, arrow_error = _load_pyarrow()
    with _seekable(stream) as seekable:
        try:
            parquet_file = parquet.ParquetFile(seekable)
            columns = [name for name in parquet_file.schema_arrow.names if name in selector.wanted]
            selector.require_text_column(columns)
            number = 0
            for batch in parquet_file.iter_batches(batch_size=_PARQUET_BATCH_ROWS, columns=columns):
                for row in batch.to_pylist():
                    number += 1
                    yield RawRecord(number, row)
        except arrow_error as error:
            raise Rejected(PARSE_ERROR, f"parquet: {error}") from None
        except OSError as error:
            if error.errno is not None:
                raise  # a failed read (unreadable), not a damaged file
            raise Rejected(PARSE_ERROR, f"parquet: {error}") from None  # pyarrow's own: "Couldn't deserialize thrift ..."


@functools.cache
def _load_pyarrow_or_reason():
    """Imported lazily and once: pyarrow is slow to import and may be broken in the env."""
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError as error:
        return None, f"parquet needs a working pyarrow ({error})"
    return (pyarrow.parquet, pyarrow.ArrowException), ""


def _load_pyarrow():
    modules, reason = _load_pyarrow_or_reason()
    if modules is None:
        raise Rejected(UNSUPPORTED_FORMAT, reason)
    return modules


@contextmanager
def _seekable(stream: io.BufferedIOBase) -> Iterator[io.BufferedIOBase]:
    """Parquet keeps its index at the end, so inflated streams are spooled to disk first."""
    if stream.seekable():
        yield stream
        return
    with tempfile.TemporaryFile() as spooled:
        shutil.copyfileobj(stream, spooled)
        spooled.seek(0)
        yield spooled
