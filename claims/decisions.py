"""Reviewer decisions: recorded once, kept across runs, reopened when the evidence changes.

Decisions are appended to a CSV (``DIR/decisions.csv`` by default); the latest row for a
conflict is in force. A decision stores the conflict's evidence hash at the time it was
made: if a later run finds different evidence behind the same conflict, the conflict
reopens with the note "evidence changed since <status> by <reviewer> at <time>: <note>"
instead of silently keeping an outdated verdict.
A reviewer may also reopen a conflict (status ``open``) to take back a decision.
Cells a spreadsheet would execute are neutralized as in the output tables
(:func:`claims.writers.to_csv_frame`) and restored when read back.
"""
from __future__ import annotations

import csv
import getpass
import os
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from claims.writers import restore_formula, to_csv_frame

DECISION_COLUMNS = ["conflict_id", "status", "note", "decided_by", "decided_at", "evidence_hash"]
DECISION_STATUSES = ("confirmed", "dismissed", "open")
EVIDENCE_CHANGED = "evidence changed"


def read_decisions(path: Path) -> pd.DataFrame:
    """Latest decision per conflict; empty when the file does not exist.

    The file is the reviewers' own and may be edited by hand: a row that ``decide`` would not
    have written (an unknown status, a cut-off row without its evidence hash) stops the run with
    the file and line, since applying it would hide or reopen a conflict on a guess. Statuses
    are read in any case ("Dismissed")."""
    if not path.exists():
        return pd.DataFrame(columns=DECISION_COLUMNS)
    try:
        decisions = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, UnicodeDecodeError) as error:
        raise ValueError(f"decisions file {path}: {' '.join(str(error).split())}") from None
    missing = set(DECISION_COLUMNS) - set(decisions.columns)
    if missing:
        raise ValueError(f"{path}: not a decisions file (missing columns: {', '.join(sorted(missing))})")
    decisions = decisions.map(restore_formula)
    decisions["status"] = decisions["status"].str.strip().str.lower()
    for line, row in zip(range(2, len(decisions) + 2), decisions.itertuples(index=False)):
        if row.status not in DECISION_STATUSES or not row.conflict_id or not row.evidence_hash:
            raise ValueError(f"decisions file {path}, line {line}: a decision needs a conflict_id, an evidence_hash and a status "
                             f"among {', '.join(DECISION_STATUSES)} (found {row.conflict_id!r}, {row.evidence_hash!r}, {row.status!r})")
    return decisions.drop_duplicates("conflict_id", keep="last")


def record_decision(path: Path, conflict: dict, status: str, note: str, reviewer: str | None = None) -> dict:
    """Append one decision; the file is created with a header when new."""
    if status not in DECISION_STATUSES:
        raise ValueError(f"status must be one of {', '.join(DECISION_STATUSES)}, not {status!r}")
    row = {
        "conflict_id": conflict["conflict_id"],
        "status": status,
        "note": note,
        "decided_by": reviewer or os.environ.get("SYMPTOM_CLAIMS_REVIEWER") or getpass.getuser(),
        "decided_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "evidence_hash": conflict["evidence_hash"],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    new = not path.exists() or path.stat().st_size == 0
    unfinished = not new and not _ends_with_newline(path)  # a hand-edited file saved without one
    with path.open("a", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=DECISION_COLUMNS)
        if new:
            writer.writeheader()
        elif unfinished:
            handle.write("\r\n")  # so the new row does not join the last one
        writer.writerow(to_csv_frame(pd.DataFrame([row], dtype="string")).iloc[0].to_dict())
        handle.flush()
        os.fsync(handle.fileno())
    return row


def _ends_with_newline(path: Path) -> bool:
    with path.open("rb") as raw:
        raw.seek(-1, os.SEEK_END)
        return raw.read(1) in (b"\n", b"\r")


def apply_decisions(conflicts: pd.DataFrame, decisions: pd.DataFrame) -> pd.DataFrame:
    """Carry each decision onto its conflict, or reopen it when its evidence changed.

    A reopened conflict has no decision in force, so no decided_by / decided_at; its note
    keeps the outdated decision readable ("evidence changed since dismissed by ana at ...")."""
    if conflicts.empty or decisions.empty:
        return conflicts
    conflicts = conflicts.copy()
    by_id = decisions.set_index("conflict_id").to_dict("index")
    for index, conflict in conflicts.iterrows():
        decision = by_id.get(conflict["conflict_id"])
        if decision is None:
            continue
        if decision["evidence_hash"] == conflict["evidence_hash"]:
            conflicts.loc[index, ["status", "note", "decided_by", "decided_at"]] = [
                decision["status"], decision["note"], decision["decided_by"], decision["decided_at"]]
        else:
            conflicts.loc[index, ["status", "note", "decided_by", "decided_at"]] = ["open", _reopened_note(decision), pd.NA, pd.NA]
    return conflicts


def unmatched_decisions(conflicts: pd.DataFrame, decisions: pd.DataFrame) -> int:
    """How many decisions in force (a reopen, status ``open``, decides nothing) match no
    conflict of this run. They are kept: the conflict may come back (an input restored), and
    with the same evidence hash so does its decision. The flow logs the count so that a
    reviewer knows decisions are idle."""
    decided = decisions.loc[decisions["status"] != "open", "conflict_id"]
    return len(set(decided) - set(conflicts["conflict_id"]))


def _reopened_note(decision: dict) -> str:
    was = f'{EVIDENCE_CHANGED} since {decision["status"]} by {decision["decided_by"]} at {decision["decided_at"]}'
    return f'{was}: {decision["note"]}' if decision["note"] else was
