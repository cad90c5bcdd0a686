"""Extraction results spilled to Parquet shards while a run goes on.

The flow hands every document's extraction to the spool as it arrives; the spool keeps
at most ``docs_per_shard`` of them as Python rows and writes the rest to disk, so the
run's memory stays flat while documents stream through (a whole-corpus list of row
dicts was the largest thing the flow held). Consolidation reads the evidence and aliases
back as frames (:class:`claims.consolidate.ExtractionFrames`, the same frames an in-memory
list gives); the mentions stay in their shards (:class:`SpooledMentions`), since no claim
or conflict needs them whole and they are the largest table.
"""
from __future__ import annotations

import heapq
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Iterator

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
from pandas.api.types import union_categoricals

from claims import schema
from claims.consolidate import ExtractionFrames, extraction_frames
from claims.rows import ROWS_PER_CHUNK

DOCS_PER_SHARD = 2_000
# Rows a shard's reader converts at a time, at least: the readers of all shards together hold
# about one chunk up to ROWS_PER_CHUNK / MIN_ROWS_READ shards (40,000 documents), then
# MIN_ROWS_READ rows per shard (four times MedQuAD: 34 shards, 34,000 rows)
MIN_ROWS_READ = 1_000
# Rows per row group of a mentions shard. Parquet decodes a whole row group even when its rows
# are asked for a few at a time: with one group per shard, each reader held its whole shard
# (28,000-49,000 rows at four times MedQuAD), and writing the mentions table took ~220 MB
# more there, against ~70 MB with groups this small.
MENTION_ROW_GROUP_ROWS = 2 * MIN_ROWS_READ


def _dictionary(values: pd.Series) -> pd.Series:
    """A column read dictionary-encoded, as it is; one Parquet did not encode (a shard whose
    values are all missing) as a categorical of the same kind, which the shards' union takes."""
    return values if isinstance(values.dtype, pd.CategoricalDtype) else values.astype("str").astype("category")


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
            # in document order, so that a document's mentions are one run of rows (SpooledMentions.chunks)
            "mentions": batch.mentions.sort_values("doc_id", kind="mergesort") if len(batch.mentions) else batch.mentions,
            "evidence": batch.evidence,
            "aliases": batch.aliases,
            "documents": pd.DataFrame({
                "doc_id": list(batch.sentences),
                "n_sentences": list(batch.sentences.values()),
                "n_mentions": [len(extraction["mentions"]) for extraction, _ in self._pending],
                "signature": [None if s is None else np.asarray(s, dtype="<u8").tobytes() for _, s in self._pending],
            }),
        }
        for name, frame in frames.items():
            if len(frame.columns):
                frame.to_parquet(self.folder / f"{name}-{self._shards:05d}.parquet", index=False,
                                 row_group_size=MENTION_ROW_GROUP_ROWS if name == "mentions" else None)
        self._shards += 1
        self._pending.clear()

    def _read(self, name: str, columns: list[str] | None = None, categorical: tuple[str, ...] = ()) -> pd.DataFrame:
        """The ``name`` shards as one frame, the ``categorical`` columns read dictionary-encoded
        (each shard's dictionary merged into one: concatenated, categoricals that differ would
        become strings again)."""
        shards = [pd.read_parquet(path, columns=columns, read_dictionary=list(categorical))
                  for path in sorted(self.folder.glob(f"{name}-*.parquet"))]
        shards = [shard for shard in shards if len(shard)]
        if not shards:
            return pd.DataFrame()
        encoded = {column: union_categoricals([_dictionary(shard[column]) for shard in shards]) for column in categorical}
        return pd.concat([shard.drop(columns=list(categorical)) for shard in shards], ignore_index=True).assign(**encoded)

    def frames(self) -> tuple[ExtractionFrames, Mapping[str, np.ndarray]]:
        """Everything added, as frames (the mentions as :class:`SpooledMentions`, which read
        the shards, so the spool must stay until they are written) plus the MinHash
        signature (a uint64 array) of each document that has one, read when first used
        (:class:`SpooledSignatures`)."""
        self.flush()
        documents = self._read("documents", ["doc_id", "n_sentences"])
        if documents.empty:
            return extraction_frames([]), {}
        # in the evidence table's order, which consolidation takes it in: its sort and the
        # conforming then share these columns instead of sorting a copy beside them
        evidence = schema.EVIDENCE.sorted(self._read("evidence", categorical=schema.EVIDENCE.categorical)).reset_index(drop=True)
        frames = ExtractionFrames(SpooledMentions(self.folder), evidence, self._read("aliases"),
                                  dict(zip(documents["doc_id"], documents["n_sentences"].astype(int))))
        return frames, SpooledSignatures(self.folder)

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


class SpooledSignatures(Mapping):
    """doc_id -> MinHash signature (a uint64 array) of each spooled document that has one,
    read from the shards when first used.

    Only the near-duplicate search needs them (~1 KB a document), and in a large run it runs
    in the flow's side process: pickled, this is its shards' paths, so the signatures are read
    there instead of in the flow's process and sent through a pipe.
    """

    def __init__(self, folder: Path):
        # listed now: read after the spool is gone, they raise instead of being no signatures
        self._shards = sorted(Path(folder).resolve().glob("documents-*.parquet"))
        self._signatures: dict[str, np.ndarray] | None = None

    def _loaded(self) -> dict[str, np.ndarray]:
        if self._signatures is None:
            self._signatures = {}
            for path in self._shards:
                shard = pd.read_parquet(path, columns=["doc_id", "signature"])
                self._signatures.update((doc_id, np.frombuffer(raw, dtype="<u8"))
                                        for doc_id, raw in zip(shard["doc_id"], shard["signature"]) if raw is not None)
        return self._signatures

    def __getitem__(self, doc_id: str) -> np.ndarray:
        return self._loaded()[doc_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._loaded())

    def __len__(self) -> int:
        return len(self._loaded())

    def __getstate__(self) -> dict:
        return {"_shards": self._shards, "_signatures": None}


class SpooledMentions:
    """The mentions table of a run, left in the spool's shards and read a chunk at a time.

    On MedQuAD the table is 243,000 rows, eight times the evidence; built whole and
    conformed, it added ~100 MB to the flow's peak memory, and more with every document a
    corpus grows by. Each shard holds its documents'
    mentions in document order, so the table's order (by doc_id first) is a merge of the
    shards by doc_id: a chunk is the next documents in that order, each shard giving the
    run of rows of its documents among them.
    """

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self._shards = sorted(self.folder.glob("documents-*.parquet"))
        # per shard, its documents in the order of its mentions file
        self._counts = [pd.read_parquet(path, columns=["doc_id", "n_mentions"]).sort_values("doc_id", kind="mergesort")
                        for path in self._shards]

    def _mentions_file(self, shard: int) -> Path:
        return self._shards[shard].with_name(self._shards[shard].name.replace("documents-", "mentions-", 1))

    def __len__(self) -> int:
        return int(sum(counts["n_mentions"].sum() for counts in self._counts))

    def counts(self) -> pd.Series:
        """Rows per doc_id."""
        if not self._counts:
            return pd.Series(dtype=int)
        counts = pd.concat(self._counts, ignore_index=True)
        return counts.groupby("doc_id")["n_mentions"].sum()

    def columns_by_shard(self, columns: list[str]) -> Iterator[pd.DataFrame]:
        """``columns`` of the mentions, one frame per shard (in no table order)."""
        for shard in range(len(self._shards)):
            if self._mentions_file(shard).exists():
                yield pd.read_parquet(self._mentions_file(shard), columns=columns)

    def rows_with(self, column: str, values: set[str]) -> pd.DataFrame:
        """The rows whose ``column`` is one of ``values``, conformed."""
        found = [pd.read_parquet(self._mentions_file(shard), filters=[(column, "in", sorted(values))])
                 for shard in range(len(self._shards)) if values and self._mentions_file(shard).exists()]
        found = [frame for frame in found if len(frame)]
        return schema.MENTIONS.conform(pd.concat(found, ignore_index=True) if found else pd.DataFrame())

    def chunks(self, rows: int = ROWS_PER_CHUNK) -> Iterator[pd.DataFrame]:
        """The whole table in order, as conformed frames of about ``rows`` rows (at least one frame)."""
        batch_rows = max(MIN_ROWS_READ, rows // max(1, len(self._shards)))
        readers = [_RowReader(self._mentions_file(shard), batch_rows) for shard in range(len(self._shards))]
        order = heapq.merge(*(zip(counts["doc_id"], counts["n_mentions"], [shard] * len(counts))
                              for shard, counts in enumerate(self._counts)))
        wanted = [0] * len(readers)
        pending, yielded = 0, False
        for _, n_mentions, shard in order:  # (doc ids are unique in a run)
            if pending >= rows:  # cut between documents: a document's rows stay in one chunk
                yield self._chunk(readers, wanted)
                wanted, pending, yielded = [0] * len(readers), 0, True
            wanted[shard] += int(n_mentions)
            pending += int(n_mentions)
        if pending or not yielded:
            yield self._chunk(readers, wanted)

    @staticmethod
    def _chunk(readers: list["_RowReader"], wanted: list[int]) -> pd.DataFrame:
        pieces = [reader.take(n) for reader, n in zip(readers, wanted) if n]
        return schema.MENTIONS.conform(pd.concat(pieces, ignore_index=True) if pieces else pd.DataFrame())


class _RowReader:
    """The rows of one Parquet file, handed out in order, a few at a time."""

    def __init__(self, path: Path, batch_rows: int):
        self._batches = pq.ParquetFile(path).iter_batches(batch_size=batch_rows) if path.exists() else iter(())
        self._buffer: pd.DataFrame | None = None

    def take(self, n: int) -> pd.DataFrame:
        pieces = []
        while n:
            if self._buffer is None or self._buffer.empty:
                self._buffer = next(self._batches).to_pandas()
            pieces.append(self._buffer.iloc[:n])
            n -= len(pieces[-1])
            self._buffer = self._buffer.iloc[len(pieces[-1]):]
        return pd.concat(pieces, ignore_index=True)
