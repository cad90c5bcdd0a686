"""The guard against an input that vanished: a run whose input holds far fewer documents than
the previous run's is refused before it changes anything.

An unmounted network share, a half-synced folder or files made unreadable leave an input
folder that is present but (nearly) empty, and a run over it was valid: it replaced the
tables with (nearly) empty ones and dropped the cache entries of every missing document, so
the team lost its tables and the next good night extracted everything again. The flow
counts the documents its input held once it has read it, and before the cache drops
anything or a table is written asks :func:`input_drop_refusal` whether it may go on. No
Prefect.
"""
from __future__ import annotations

from collections.abc import Iterable

from ingest.model import EXTRACTION_ERROR, OK, OVER_LIMIT, TIMEOUT

# Rejects whose document was read whole: past the run's --max-documents, or failed in
# extraction (and retried by the next run). They are in the input; the guard watches the
# input, not what a run's options or a broken pipeline made of it.
READ_BUT_REJECTED = (OVER_LIMIT, TIMEOUT, EXTRACTION_ERROR)


class InputDropped(Exception):
    """The run was refused: its input lost more documents than ``max_input_drop`` allows."""


def documents_read(rows: Iterable[dict]) -> int:
    """How many of ``rows`` (with a ``status`` or a reject ``reason``) are documents that
    could be read."""
    return sum(row.get("status") == OK or str(row.get("reason", "")).startswith(READ_BUT_REJECTED) for row in rows)


def input_drop_refusal(previous: dict | None, read: int, max_input_drop: float) -> str | None:
    """Why a run whose input holds ``read`` documents that could be read must not replace the
    outputs of ``previous`` (the run.json in its output folder; None when there is none or it
    cannot be read), or None when it may.

    With P documents read by the previous run, the run is refused when ``read`` < (1 -
    ``max_input_drop``) x P, computed as the drop (P - read) / P > ``max_input_drop`` so that
    a drop of exactly the limit passes (``(1 - 0.42) * 50`` is 29.000000000000004: 29 of 50
    documents were refused under 0.42). A first run, or a previous run that read nothing, is
    never refused; 1 never refuses."""
    if previous is None:
        return None
    before = documents_read(previous.get("inputs") or ()) + documents_read(previous.get("rejects") or ())
    if not before or (drop := (before - read) / before) <= max_input_drop:
        return None
    return (f"the input holds {read:,} documents that could be read against {before:,} in the run of "
            f"{previous.get('finished_at', '?')} (a drop of {drop:.0%}, more than --max-input-drop {max_input_drop:g} allows): "
            "is a share unmounted or a folder half-synced? Nothing was written; rerun with --max-input-drop 1 "
            "(flow parameter max_input_drop) to accept the smaller input")
