"""Claim identity: the normalized tuple that decides whether two statements are one claim.

Identity = (symptom concept, condition concept, measure, polarity, population, value
interval, unit). Values are rounded to two significant digits, so that figures that
differ only by rounding ("20%" and "about 20 percent", "20.4%") are one claim; the
qualifier is not part of the identity (the claim keeps the most frequent one).
"""
from __future__ import annotations

import hashlib
import math

import pandas as pd

GENERAL_POPULATION = "people"
SIGNIFICANT_DIGITS = 2


def is_missing(value: object) -> bool:
    """Whether a cell is empty, however pandas spelled it: None, NaN (pandas 3's ``str`` columns,
    and object columns concatenated from Parquet shards) or pd.NA."""
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _text(value: object) -> str:
    return "" if is_missing(value) else value


def round_significant(value: float | None, digits: int = SIGNIFICANT_DIGITS) -> float | None:
    if is_missing(value):
        return None
    if value == 0:
        return 0.0
    return round(value, digits - 1 - int(math.floor(math.log10(abs(value)))))


def population_key(population: str | None) -> str:
    """Unstated population means the people with the condition in general."""
    return _text(population) or GENERAL_POPULATION


def stable_hash(*parts: object, prefix: str = "", length: int = 12) -> str:
    text = "\x1f".join("" if p is None else str(p) for p in parts)
    return prefix + hashlib.sha1(text.encode("utf-8")).hexdigest()[:length]


def claim_key(row: dict) -> tuple:
    """A concept by its id, else by its name: a missing id must read as missing (a NaN taken
    for an id once merged every id-less condition's figures into one claim)."""
    return (
        _text(row.get("symptom_id")) or _text(row.get("symptom")).lower(),
        _text(row.get("condition_id")) or _text(row.get("condition")).lower(),
        row["measure"],
        row["polarity"],
        population_key(row.get("population")),
        round_significant(row.get("value_low")),
        round_significant(row.get("value_high")),
        _text(row.get("unit")),
    )


def claim_id(row: dict) -> str:
    return stable_hash(*claim_key(row), prefix="CL")
