"""Ingestion: files and folders of raw health texts in, a stream of SourceDocuments out.

Pure Python (no Prefect, no spaCy). Every input file is accounted for: it yields
accepted documents, rejects with a reason, or both. See docs/input.md.
"""
from .documents import iter_documents
from .limits import IngestLimits
from .model import SourceDocument, UsageError

__all__ = ["iter_documents", "SourceDocument", "IngestLimits", "UsageError"]
