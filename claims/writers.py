"""Atomic, deterministic writers for the output tables.

Each file is written to a temporary name in the output folder and renamed over the
target, so a crash leaves either the old table or the new one, never half of one.
CSV cells that a spreadsheet would execute are neutralized by the OWASP rule (prefix
``'`` to cells starting with ``= + - @``, tab or carriage return); Parquet keeps raw values.
"""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Callable

import pandas as pd

from claims.schema import TABLES

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# mkstemp creates 0600 files; outputs get the permissions a plain open() would give.
_UMASK = os.umask(0)
os.umask(_UMASK)
FILE_MODE = 0o666 & ~_UMASK


def restore_formula(value: object) -> object:
    """Undo the neutralizing of :func:`to_csv_frame` when reading our own CSV back."""
    if isinstance(value, str) and value.startswith("'") and value[1:2] and value[1] in "=+-@\t\r":
        return value[1:]
    return value


def remove_stale_temporaries(path: Path) -> None:
    """Delete ``.<name>.*.tmp`` left beside ``path`` by a writer that was killed mid-write.

    A SIGKILL or power loss skips the cleanup below; the next write of the same target
    sweeps the leftovers. One writer per output folder is assumed (concurrent runs into
    the same folder are not supported).
    """
    for stale in path.parent.glob(f".{glob_escape(path.name)}.*.tmp"):
        stale.unlink(missing_ok=True)


def glob_escape(name: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in name)


def atomic_write(path: Path, write: Callable[[Path], None], durable: bool = True) -> None:
    """Call ``write`` on a temporary file beside ``path``, then rename it into place.

    ``durable``: fsync before the rename, so a power loss cannot leave an empty file under
    the final name. Files that are checked when read and can be recomputed skip it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    try:
        os.chmod(temporary, FILE_MODE)
        write(Path(temporary))
        if durable:
            with open(temporary, "rb") as written:
                os.fsync(written.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def to_csv_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every string cell a spreadsheet would execute prefixed by ``'``
    (vectorized: a Python call per cell cost ~3 s on MedQuAD's tables)."""
    frame = frame.copy()
    for column in frame.columns:
        if str(frame[column].dtype) == "string":
            executable = frame[column].str.startswith(FORMULA_PREFIXES).fillna(False).astype(bool)
            if executable.any():
                frame.loc[executable, column] = "'" + frame.loc[executable, column]
    return frame


def write_tables(tables: dict[str, pd.DataFrame], output: Path, formats: tuple[str, ...] = ("csv",)) -> list[Path]:
    """Write every table in the schema's order; returns the paths written."""
    written = []
    for table in TABLES:
        frame = table.conform(tables[table.name])
        if "csv" in formats:
            path = output / table.file_name
            atomic_write(path, lambda tmp, f=frame: to_csv_frame(f).to_csv(tmp, index=False, encoding="utf-8", lineterminator="\n"))
            written.append(path)
        if "parquet" in formats:
            path = output / f"{table.name}.parquet"
            atomic_write(path, lambda tmp, f=frame: f.to_parquet(tmp, index=False))
            written.append(path)
    return written


def write_json(path: Path, payload: dict) -> None:
    atomic_write(path, lambda tmp: tmp.write_text(json.dumps(payload, indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8"))


def read_tables(output: Path) -> dict[str, pd.DataFrame]:
    """The CSV tables of a finished run, typed as the schema says (for review and re-rendering)."""
    tables = {}
    for table in TABLES:
        path = Path(output) / table.file_name
        if not path.exists():
            continue
        frame = pd.read_csv(path, dtype=str, keep_default_na=False).replace("", pd.NA)
        for column in table.columns:
            if column.dtype == "string" and column.name in frame.columns:
                frame[column.name] = frame[column.name].map(restore_formula, na_action="ignore")
            elif column.dtype == "boolean" and column.name in frame.columns:
                frame[column.name] = frame[column.name].map({"True": True, "False": False}, na_action="ignore")
            elif column.dtype in ("Int64", "Float64") and column.name in frame.columns:
                # astype parses each number exactly; pd.to_numeric turned 0.41666666666666663 into 0.4166666666666666
                frame[column.name] = frame[column.name].astype(column.dtype)
        tables[table.name] = table.conform(frame)
    return tables
