"""Per-document extraction cache: a rerun re-extracts only documents that changed.

The key is the document's id and text hash under the pipeline fingerprint (lexicon,
rules, options), so changing any of those invalidates everything at once. Entries are
pickles written atomically under ``<output>/.cache/extractions/<fingerprint>/``.
"""
from __future__ import annotations

import hashlib
import pickle
import shutil
from pathlib import Path

from claims.writers import atomic_write


class ExtractionCache:
    def __init__(self, root: Path, fingerprint: str):
        self.folder = root / fingerprint

    def drop_stale(self) -> None:
        """Remove entries of other fingerprints: they can never be read again."""
        if self.folder.parent.is_dir():
            for other in self.folder.parent.iterdir():
                if other != self.folder and other.is_dir():
                    shutil.rmtree(other, ignore_errors=True)

    def _path(self, doc_id: str, sha256: str) -> Path:
        key = hashlib.sha256(f"{doc_id}\x00{sha256}".encode()).hexdigest()
        return self.folder / key[:2] / f"{key}.pkl"

    def get(self, doc_id: str, sha256: str) -> dict | None:
        path = self._path(doc_id, sha256)
        try:
            with path.open("rb") as handle:
                return pickle.load(handle)
        except Exception:  # missing, truncated or corrupt (unpickling garbage raises many kinds): extract again
            return None

    def put(self, doc_id: str, sha256: str, result: dict) -> None:
        # Not durable: an fsync per document cost ~4 ms each (a minute on MedQuAD), and an entry
        # a power loss truncates fails to unpickle in get(), which then re-extracts it.
        atomic_write(self._path(doc_id, sha256), lambda tmp: tmp.write_bytes(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)), durable=False)
