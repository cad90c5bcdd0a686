"""The options of one run, importable without Prefect (the CLI checks freshness before
starting it)."""
from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from pathlib import Path

from extractors.options import PipelineOptions
from flows.extraction_worker import DEFAULT_TIMEOUT_S
from ingest import IngestLimits


@dataclass
class RunOptions:
    """Everything a run needs; the flow's parameters are its plain-valued fields."""

    inputs: list[str]
    output: str
    text_field: str | None = None
    id_field: str | None = None
    title_field: str | None = None  # a record's title, written before its text (ingest.fields)
    formats: tuple[str, ...] = ("csv",)
    workers: int = 1
    batch_size: int = 256  # documents in the first and last extraction tasks; up to 4x as many between (flows.batching)
    decisions: str | None = None  # default: <output>/decisions.csv
    use_cache: bool = True
    ner_model: str | None = None
    curated_abbreviations: bool = True
    max_file_mb: int = IngestLimits().max_file_bytes // 1_000_000
    dask_address: str | None = None  # scheduler of an existing Dask cluster, e.g. tcp://10.0.0.5:8786
    max_record_chars: int = IngestLimits().max_record_chars
    max_decompressed_mb: int = IngestLimits().max_decompressed_bytes // 1_000_000
    max_compression_ratio: float = IngestLimits().max_compression_ratio
    max_documents: int | None = None  # accepted documents per run; the rest are rejected over_limit
    doc_timeout_s: float | None = DEFAULT_TIMEOUT_S  # hard limit per document; None: no limit
    force: bool = False  # rebuild even when the outputs are up to date (flows.manifest)
    max_input_drop: float = 0.5  # share of the last run's documents the input may lose, else the run is refused (flows.input_guard); 1: no guard
    lock_wait_s: float = 0  # how long to wait for another run holding the output folder (flows.output_lock); 0: stop at once
    run_timeout_s: float | None = None  # a run still going after this long fails (a hung read would hold back every later night); None: no limit

    def __post_init__(self) -> None:
        # Absolute, as the CLI gives them: a deployment's relative paths ("data/raw") named
        # other inputs than a CLI run's, so neither found the other's tables up to date.
        self.inputs = [os.path.abspath(path) for path in self.inputs]  # (links kept: an input is named after its link)
        self.output = str(Path(self.output).resolve())
        if self.decisions:
            self.decisions = os.path.abspath(self.decisions)
        # CSV always: it is the tables' contract, and `review` and `decide` read it
        self.formats = tuple(dict.fromkeys(("csv", *self.formats)))
        if len(self.formats) > 1:
            from claims.writers import FORMATS  # (pandas: only when another format is asked for)

            if unknown := [name for name in self.formats if name not in FORMATS]:
                raise ValueError(f"formats: {', '.join(map(repr, unknown))} unknown; known: {', '.join(FORMATS)}")
        if not self.lock_wait_s >= 0:
            raise ValueError(f"lock_wait_s must be 0 or more, got {self.lock_wait_s!r}")
        if self.run_timeout_s is not None and not self.run_timeout_s > 0:
            raise ValueError(f"run_timeout_s must be positive (or None for no limit), got {self.run_timeout_s!r}")
        for name in ("workers", "batch_size"):
            if not getattr(self, name) >= 1:
                raise ValueError(f"{name} must be at least 1, got {getattr(self, name)!r}")
        self.limits  # noqa: B018  (IngestLimits says which limit is not positive)
        if self.doc_timeout_s is not None and not self.doc_timeout_s > 0:
            raise ValueError(f"doc_timeout_s must be positive (or None for no limit), got {self.doc_timeout_s!r}")
        if not 0 <= self.max_input_drop <= 1:
            raise ValueError(f"max_input_drop must be a fraction from 0 to 1 (1: no guard), got {self.max_input_drop!r}")

    @property
    def decisions_path(self) -> Path:
        return Path(self.decisions) if self.decisions else Path(self.output) / "decisions.csv"

    @property
    def excluded(self) -> dict[str, str]:
        """What a run writes or reads besides its input, never read as input even inside an
        input folder (each run would read the last one's tables back): path -> what it is."""
        excluded = {self.output: "the output folder"}  # its tables, report, .cache and default decisions file
        if self.decisions:
            excluded[self.decisions] = "the decisions file"
        return excluded

    @property
    def pipeline(self) -> PipelineOptions:
        return PipelineOptions(ner_model=self.ner_model, curated_abbreviations=self.curated_abbreviations,
                               max_doc_chars=self.max_record_chars)

    @property
    def limits(self) -> IngestLimits:
        return IngestLimits(max_file_bytes=self.max_file_mb * 1_000_000, max_record_chars=self.max_record_chars,
                            max_decompressed_bytes=self.max_decompressed_mb * 1_000_000,
                            max_compression_ratio=self.max_compression_ratio, max_documents=self.max_documents)

    def parameters(self) -> dict:
        return {**asdict(self), "formats": list(self.formats)}
