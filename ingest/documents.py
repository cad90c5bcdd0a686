"""The public entry point: walk the inputs, read each file, and account for every one of them."""
from __future__ import annotations

import errno
import gzip
import hashlib
import os
import stat
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import replace

from .decode import normalize_newlines, replace_lone_surrogates
from .fields import FieldSelector
from .ids import DocIdAllocator
from .limits import IngestLimits, check_file_size, check_run_size, check_text_length
from .model import (
    EMPTY, OK, PARSE_ERROR, REJECTED, UNDECODABLE, UNREADABLE, UNSUPPORTED_FORMAT,
    Rejected, SourceDocument, reject_reason,
)
from .readers import FileFormat, detect_format, open_binary, read_document_text, read_records
from .walk import InputFile, iter_input_files, validate_roots

_SYMLINK_PROBLEMS = {errno.ENOENT: "broken symlink", errno.ELOOP: "symlink loop"}


def iter_documents(
    paths: Sequence[str | os.PathLike],
    text_field: str | None = None,
    id_field: str | None = None,
    limits: IngestLimits = IngestLimits(),
    exclude: Mapping[str | os.PathLike, str] | None = None,
    title_field: str | None = None,
) -> Iterator[SourceDocument]:
    """Stream documents from files and folders; every input file yields at least one result.

    ``exclude`` maps paths never to read, e.g. a run's output folder inside its input
    folder, to what they are: folder walks pass over them, and naming one as an input is
    a UsageError. Raises UsageError right away (not on first iteration) when an input path
    is missing or excluded. ``title_field`` names the field of a record holding its title,
    which then opens the document's text (``FieldSelector.text_of``).
    """
    roots = validate_roots(paths, exclude)
    return _Ingestion(FieldSelector.from_options(text_field, id_field, title_field), limits).run(roots, exclude or ())


class _Ingestion:
    """State of one run: the limits, the field choice and the ids handed out so far."""

    def __init__(self, selector: FieldSelector, limits: IngestLimits):
        self._selector = selector
        self._limits = limits
        self._ids = DocIdAllocator()
        self._accepted = 0

    def run(self, roots, exclude) -> Iterator[SourceDocument]:
        for input_file in iter_input_files(roots, exclude):
            for document in self._documents_of(input_file):
                yield self._within_run_limit(document)

    def _within_run_limit(self, document: SourceDocument) -> SourceDocument:
        """Accepted documents past ``max_documents`` become rejects (they are read, to be listed).

        Rejects keep their own reason and do not count."""
        if document.status != OK:
            return document
        try:
            check_run_size(self._accepted, self._limits)
        except Rejected as over:
            return replace(document, text=None, status=REJECTED, reason=over.reason, sha256="")
        self._accepted += 1
        return document

    def _documents_of(self, input_file: InputFile) -> Iterator[SourceDocument]:
        relative = input_file.relative
        if input_file.problem:
            yield self._rejected(relative, relative, relative, input_file.problem)
            return
        try:
            file_size = _regular_file_size(input_file.path)
            file_format = detect_format(os.path.basename(input_file.path))
            if file_format is None:
                raise Rejected(UNSUPPORTED_FORMAT)
            check_file_size(file_size, self._limits)
            with open_binary(input_file.path, file_format, file_size, self._limits) as stream:
                if file_format.is_single_document:
                    yield self._document(relative, relative, relative, lambda: read_document_text(stream, file_format))
                else:
                    yield from self._records(stream, file_format, relative)
        except (Rejected, OSError, EOFError, zlib.error, UnicodeDecodeError) as error:
            # Records yielded before a mid-file failure (e.g. a truncated .gz) stay valid.
            yield self._rejected(relative, relative, relative, _file_reject_reason(error, input_file.path))

    def _records(self, stream, file_format: FileFormat, relative: str) -> Iterator[SourceDocument]:
        """One result per record; a file without any (a header-only CSV, a blank JSONL) is one
        reject, so that it shows in the outputs too."""
        found = False
        for record in read_records(stream, file_format, self._selector):
            found = True
            source = f"{relative}#{record.number}"
            if record.problem:
                # Its fields are unknown, so it is named by its place: a line number alone
                # could be another record's id and take it from that record.
                yield self._rejected(source, source, relative, record.problem)
            else:
                wanted_id = self._selector.id_of(record.fields) or str(record.number)
                yield self._document(wanted_id, source, relative, lambda: self._selector.text_of(record.fields))
        if not found:
            yield self._rejected(relative, relative, relative, reject_reason(EMPTY, "no records"))

    def _document(self, wanted_id: str, source: str, relative: str, read_text: Callable[[], str]) -> SourceDocument:
        """Build an accepted document, or a reject if the text cannot be had or is unusable."""
        try:
            text = normalize_newlines(read_text())
            if not text.strip():
                raise Rejected(EMPTY)
            check_text_length(text, self._limits)
        except Rejected as rejected:
            return self._rejected(wanted_id, source, relative, rejected.reason)
        try:
            encoded = text.encode("utf-8")
        except UnicodeEncodeError:
            text = replace_lone_surrogates(text)
            encoded = text.encode("utf-8")
        doc_id = self._ids.allocate(wanted_id, relative)
        return SourceDocument(doc_id, source, text, OK, "", hashlib.sha256(encoded).hexdigest())

    def _rejected(self, wanted_id: str, source: str, relative: str, reason: str) -> SourceDocument:
        doc_id = self._ids.allocate(wanted_id, relative)
        return SourceDocument(doc_id, source, None, REJECTED, reason, "")


def _regular_file_size(path: str) -> int:
    """Stat through symlinks; FIFOs and devices would block or never end, so refuse them."""
    status = os.stat(path)
    if not stat.S_ISREG(status.st_mode):
        raise Rejected(UNREADABLE, "not a regular file")
    return status.st_size


def _file_reject_reason(error: Exception, path: str) -> str:
    if isinstance(error, Rejected):
        return error.reason
    if isinstance(error, (EOFError, gzip.BadGzipFile, zlib.error)):  # BadGzipFile is an OSError
        return reject_reason(PARSE_ERROR, f"gzip: {error}")
    if isinstance(error, UnicodeDecodeError):
        return reject_reason(UNDECODABLE, str(error))
    if os.path.islink(path) and error.errno in _SYMLINK_PROBLEMS:
        return reject_reason(UNREADABLE, _SYMLINK_PROBLEMS[error.errno])
    return reject_reason(UNREADABLE, error.strerror or str(error))
