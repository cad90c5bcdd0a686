"""Value types shared by every part of ingestion, and the vocabulary of reject reasons."""
from __future__ import annotations

from dataclasses import dataclass

OK = "ok"
REJECTED = "rejected"

# Every reject reason starts with one of these keywords so callers can group rejects
# without parsing the free-text detail that may follow after ": ".
BINARY = "binary"
EMPTY = "empty"
UNDECODABLE = "undecodable"
TOO_LARGE = "too_large"
PARSE_ERROR = "parse_error"
UNREADABLE = "unreadable"
UNSUPPORTED_FORMAT = "unsupported_format"
OVER_LIMIT = "over_limit"  # past the documents-per-run limit (IngestLimits.max_documents)
# Given by the extraction stage (flows.extraction_worker), not by ingest:
TIMEOUT = "timeout"  # extraction of the document overran the per-document time limit
EXTRACTION_ERROR = "extraction_error"  # the extraction raised, or its process died


class UsageError(ValueError):
    """The caller asked for something impossible (e.g. a missing input path); nothing was read."""


@dataclass(frozen=True)
class SourceDocument:
    """One input document, or the record of why an input could not become one."""

    doc_id: str
    source: str
    text: str | None
    status: str
    reason: str
    sha256: str

    def row(self) -> dict:
        """Its row of documents.csv (before consolidation adds counts and duplicates): the text
        itself stays out, only its length, unknown when the text was not kept."""
        return {"doc_id": self.doc_id, "source": self.source, "sha256": self.sha256, "status": self.status,
                "reason": self.reason, "n_chars": len(self.text) if self.text is not None else None}


class Rejected(Exception):
    """Raised anywhere below the document level to turn the current input into a reject."""

    def __init__(self, keyword: str, detail: str = ""):
        self.reason = reject_reason(keyword, detail)
        super().__init__(self.reason)


def reject_reason(keyword: str, detail: str = "") -> str:
    """Build a one-line reason; details can quote file names that contain newlines."""
    if not detail:
        return keyword
    return f"{keyword}: {' '.join(detail.split())}"
