"""Figures as a reviewer reads them: "about 20%", "40-80%", "60-90 s", "1 per 25,000"."""
from __future__ import annotations

from claims.normalize import is_missing


def _number(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 or float(value).is_integer() else f"{value:.3g}"


def _percent(value: float) -> str:
    return f"{value * 100:.3g}%"


def _rate(value: float) -> str:
    return f"1 per {_number(1 / value)}" if value > 0 else "0"


_FORMAT_OF_UNIT = {"proportion": _percent, "per_person": _rate, "seconds": lambda v: f"{_number(v)} s",
                   "years": lambda v: f"{_number(v)} years", "persons": lambda v: f"{_number(v)} persons"}


def format_interval(low, high, unit: str) -> str:
    fmt = _FORMAT_OF_UNIT.get(unit or "", _number)
    if is_missing(low) and is_missing(high):
        return ""
    if is_missing(low) or is_missing(high) or low == high:
        return fmt(high if is_missing(low) else low)
    return f"{fmt(low)}-{fmt(high)}"


def format_figure(low, high, unit: str, qualifier: str = "", figure_text: str = "", frequency_class: str = "",
                  measure: str = "") -> str:
    """The figure with its qualifier, "a year" after an incidence; frequency words are quoted
    with the bin they mean."""
    figure = _figure(low, high, unit, qualifier, figure_text, frequency_class)
    return f"{figure} a year" if measure == "incidence" and figure else figure


def _figure(low, high, unit: str, qualifier: str, figure_text: str, frequency_class: str) -> str:
    if figure_text and unit in ("", None):
        span = format_interval(low, high, "proportion")
        detail = ", ".join(p for p in (frequency_class, span) if p)
        return f'"{figure_text}"' + (f" ({detail})" if detail else "")
    interval = format_interval(low, high, unit)
    if qualifier and qualifier not in ("up to", "at least", "more than", "less than", "at most"):
        return f"{qualifier} {interval}"
    if qualifier in ("up to", "at most", "less than"):
        return f"{qualifier} {format_interval(high, high, unit)}"
    if qualifier in ("at least", "more than"):
        return f"{qualifier} {format_interval(low, low, unit)}"
    return interval
