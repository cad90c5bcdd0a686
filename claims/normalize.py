"""Claim identity: the normalized tuple that decides whether two statements are one claim.

Identity = (symptom concept, condition concept, measure, polarity, population, value
interval, unit). Values are rounded to two significant digits, so that figures that
differ only by rounding ("20%" and "about 20 percent", "20.4%") are one claim; the
qualifier is not part of the identity (the claim keeps the most frequent one).
"""
from __future__ import annotations

import hashlib
import math

GENERAL_POPULATION = "people"
SIGNIFICANT_DIGITS = 2


def round_significant(value: float | None, digits: int = SIGNIFICANT_DIGITS) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if value == 0:
        return 0.0
    return round(value, digits - 1 - int(math.floor(math.log10(abs(value)))))


def population_key(population: str | None) -> str:
    """Unstated population means the people with the condition in general."""
    return population or GENERAL_POPULATION


def stable_hash(*parts: object, prefix: str = "", length: int = 12) -> str:
    text = "\x1f".join("" if p is None else str(p) for p in parts)
    return prefix + hashlib.sha1(text.encode("utf-8")).hexdigest()[:length]


def claim_key(row: dict) -> tuple:
    return (
        row.get("symptom_id") or (row.get("symptom") or "").lower(),
        row.get("condition_id") or (row.get("condition") or "").lower(),
        row["measure"],
        row["polarity"],
        population_key(row.get("population")),
        round_significant(row.get("value_low")),
        round_significant(row.get("value_high")),
        row.get("unit") or "",
    )


def claim_id(row: dict) -> str:
    return stable_hash(*claim_key(row), prefix="CL")
