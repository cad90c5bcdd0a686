"""Extraction results spilled to Parquet shards while a run goes on.

The flow hands every document's extraction to the spool as it arrives; the spool keeps
at most ``docs_per_shard`` of them as Python rows and writes the rest to disk, so the
run's memory stays flat while documents stream through (a whole-corpus list of row
dicts was the largest thing the flow held). Consolidation reads the columns back as
:class:`claims.consolidate.ExtractionFrames`, the same frames an in-memory list gives.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd

from claims.consolidate import ExtractionFrames, extraction_frames

DOCS_PER_SHARD = 2_000


class ExtractionSpool:
    def __init__(self, folder: Path, docs_per_shard: int = DOCS_PER_SHARD):
        """An empty spool in ``folder``; whatever an interrupted run left there is removed."""
        self.folder = Path(folder)
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        self.docs_per_shard = docs_per_shard
        self._pending: list[tuple[dict, list[int] | None]] = []
        self._shards = 0

    def add(self, extraction: dict, signature: list[int] | None) -> None:
        self._pending.append((extraction, signature))
        if len(self._pending) >= self.docs_per_shard:
            self.flush()

    def flush(self) -> None:
        if not self._pending:
            return
        batch = extraction_frames(extraction for extraction, _ in self._pending)
        frames = {
            "mentions": batch.mentions,
            "evidence": batch.evidence,
            "aliases": batch.aliases,
            "documents": pd.DataFrame({
                "doc_id": list(batch.sentences),
                "n_sentences": list(batch.sentences.values()),
                "signature": [None if s is None else np.asarray(s, dtype="<u8").tobytes() for _, s in self._pending],
            }),
        }
        for name, frame in frames.items():
            if len(frame.columns):
                frame.to_parquet(self.folder / f"{name}-{self._shards:05d}.parquet", index=False)
        self._shards += 1
        self._pending.clear()

    def _read(self, name: str) -> pd.DataFrame:
        shards = [pd.read_parquet(path) for path in sorted(self.folder.glob(f"{name}-*.parquet"))]
        shards = [shard for shard in shards if len(shard)]
        return pd.concat(shards, ignore_index=True) if shards else pd.DataFrame()

    def frames(self) -> tuple[ExtractionFrames, dict[str, np.ndarray]]:
        """Everything added, as frames plus the MinHash signature (a uint64 array) of each
        document that has one."""
        self.flush()
        documents = self._read("documents")
        if documents.empty:
            return extraction_frames([]), {}
        signatures = {doc_id: np.frombuffer(raw, dtype="<u8")
                      for doc_id, raw in zip(documents["doc_id"], documents["signature"]) if raw is not None}
        frames = ExtractionFrames(self._read("mentions"), self._read("evidence"), self._read("aliases"),
                                  dict(zip(documents["doc_id"], documents["n_sentences"].astype(int))))
        return frames, signatures

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
