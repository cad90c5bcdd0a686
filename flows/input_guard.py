"""The guard against an input that vanished: a run whose input holds far fewer documents than
the previous run's is refused before it changes anything.

An unmounted network share, a half-synced folder or files made unreadable leave an input
folder that is present but (nearly) empty, and a run over it was valid: it replaced the
tables with (nearly) empty ones and dropped the cache entries of every missing document, so
the team lost its tables and the next good night extracted everything again. The flow
counts the documents its input held once it has read it, and before the cache drops
anything or a table is written asks :func:`input_drop_refusal` whether it may go on. No
Prefect.

The count is compared with the largest of the last GUARD_WINDOW runs' (``input_history`` in
run.json), not with the last run's alone: a share losing a third every night passed a
comparison with the night before, and emptied the tables within a week.
"""
from __future__ import annotations

from collections.abc import Iterable

from ingest.model import EXTRACTION_ERROR, OK, OVER_LIMIT, TIMEOUT

# Rejects whose document was read whole: past the run's --max-documents, or failed in
# extraction (and retried by the next run). They are in the input; the guard watches the
# input, not what a run's options or a broken pipeline made of it.
READ_BUT_REJECTED = (OVER_LIMIT, TIMEOUT, EXTRACTION_ERROR)
# The runs whose counts the guard remembers, this one included: a week of nightly runs.
GUARD_WINDOW = 7
# How a refusal ends: what happened, and the remedy when the new input is meant.
_REMEDY = "Nothing was written; rerun with --max-input-drop 1 (flow parameter max_input_drop) to accept the {} input"


class InputDropped(Exception):
    """The run was refused: its input lost more documents than ``max_input_drop`` allows."""


def documents_read(rows: Iterable[dict]) -> int:
    """How many of ``rows`` (with a ``status`` or a reject ``reason``) are documents that
    could be read."""
    return sum(row.get("status") == OK or str(row.get("reason", "")).startswith(READ_BUT_REJECTED) for row in rows)


def _input_history(previous: dict | None) -> list[dict]:
    """The counts of the runs before (``finished_at``, ``documents_read``), the latest last:
    the previous run.json's ``input_history``, or the previous run's own count (a run.json
    written before the history was kept); empty without a previous run."""
    if previous is None:
        return []
    if "input_history" in previous:
        return previous["input_history"]
    read = documents_read(previous.get("inputs") or ()) + documents_read(previous.get("rejects") or ())
    return [{"finished_at": previous.get("finished_at", "?"), "documents_read": read}]


def input_history(previous: dict | None, read: int, finished_at: str, max_input_drop: float) -> list[dict]:
    """The ``input_history`` a run records: the last GUARD_WINDOW counts, its own last. A run
    with ``max_input_drop`` 1 (the guard off: a deliberately smaller input) starts it again,
    or every later run would be compared with the larger input it replaced."""
    runs = [] if max_input_drop >= 1 else _input_history(previous)
    return [*runs, {"finished_at": finished_at, "documents_read": read}][-GUARD_WINDOW:]


def input_drop_refusal(previous: dict | None, read: int, max_input_drop: float) -> str | None:
    """Why a run whose input holds ``read`` documents that could be read must not replace the
    outputs of ``previous`` (the run.json in its output folder; None when there is none or it
    cannot be read), or None when it may.

    With P the most documents read by one of the remembered runs (:func:`input_history`),
    the run is refused when ``read`` < (1 - ``max_input_drop``) x P, computed as the drop
    (P - read) / P > ``max_input_drop`` so that a drop of exactly the limit passes
    (``(1 - 0.42) * 50`` is 29.000000000000004: 29 of 50 documents were refused under 0.42).
    A first run, or previous runs that read nothing, are never refused; 1 never refuses."""
    runs = _input_history(previous)
    if not runs:
        return None
    largest = max(runs, key=lambda run: run["documents_read"])
    before = largest["documents_read"]
    if not before or (drop := (before - read) / before) <= max_input_drop:
        return None
    return (f"the input holds {read:,} documents that could be read against {before:,} in the run of "
            f"{largest.get('finished_at', '?')} (a drop of {drop:.0%}, more than --max-input-drop {max_input_drop:g} allows): "
            "is a share unmounted or a folder half-synced? " + _REMEDY.format("smaller"))


def input_replaced_refusal(previous: dict | None, documents: list[dict], max_input_drop: float) -> str | None:
    """Why a run must not replace the outputs of ``previous`` when more than ``max_input_drop``
    of the documents it read are gone from the input (``documents``, this run's rows), though
    others may have taken their place: neither their path (id) nor their text (SHA-256) is
    there. A count cannot see a folder mounted over another or a sync that swapped them; a
    moved corpus keeps its texts and an edited one its paths, and both pass. None when it may."""
    before = [d for d in (previous or {}).get("inputs") or () if d.get("status") == OK]
    if not before:
        return None
    ids = {d["doc_id"] for d in documents}
    texts = {d["sha256"] for d in documents if d.get("sha256")}
    gone = sum(d["doc_id"] not in ids and d.get("sha256") not in texts for d in before)
    if gone / len(before) <= max_input_drop:
        return None
    return (f"{gone:,} of the {len(before):,} documents read by the run of {previous.get('finished_at', '?')} are no longer in "
            f"the input, neither by path nor by text ({gone / len(before):.0%}, more than --max-input-drop {max_input_drop:g} "
            "allows): were the files replaced, or another folder mounted in their place? " + _REMEDY.format("new"))
