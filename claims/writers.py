"""Atomic, deterministic writers for the output tables.

A run's outputs are replaced as one set (:class:`StagedWrite`): every file is first written
to a complete, fsynced temporary beside its target, and only then are they all renamed into
place, one after another. A crash before the renames leaves the old set untouched; one
during them (a fraction of a millisecond) can leave some files new and the rest old, which
the file renamed last lets a reader detect (a run's run.json holds the digest of every
other output). CSV cells that a spreadsheet would execute are neutralized by the OWASP
rule (prefix ``'`` to cells starting with ``= + - @``, tab or carriage return); Parquet
keeps raw values.
"""
from __future__ import annotations

import json
import os
import tempfile
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator, Self

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from claims.rows import ROWS_PER_CHUNK
from claims.schema import TABLES, Table

if TYPE_CHECKING:
    from claims.spool import SpooledMentions

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
    sweeps the leftovers. One writer per output folder is assumed: the run and ``decide``
    hold the folder's lock (:mod:`flows.output_lock`).
    """
    for stale in path.parent.glob(f".{glob_escape(path.name)}.*.tmp"):
        stale.unlink(missing_ok=True)


def glob_escape(name: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in name)


def write_temporary(path: Path, write: Callable[[Path], None]) -> Path:
    """Call ``write`` on a new temporary beside ``path`` and return it complete and fsynced
    (a power loss cannot leave an empty file under the final name), for the caller to
    rename over ``path``; removed if ``write`` fails."""
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    try:
        os.chmod(temporary, FILE_MODE)
        write(Path(temporary))
        with open(temporary, "rb") as written:
            os.fsync(written.fileno())
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return Path(temporary)


def atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Replace one file: a crash leaves either the old file or the new one, never half of one."""
    with StagedWrite() as staged:
        staged.write(path, write)
        staged.commit()


class StagedWrite:
    """Files replaced together: each is staged in a complete temporary, and :meth:`commit`
    renames them all into place, in the order staged, only once every one is written.

    Used as a context manager, it discards its temporaries when the block raises, so that
    a failed write leaves the old files as they were and nothing beside them."""

    def __init__(self) -> None:
        self.files: dict[Path, Path] = {}  # target -> its complete temporary
        self.removed: list[Path] = []

    def write(self, path: Path, write: Callable[[Path], None]) -> None:
        self.add(path, write_temporary(path, write))

    def add(self, path: Path, temporary: Path) -> None:
        """Stage a temporary written elsewhere (the report's side process)."""
        self.files[path] = temporary

    def remove(self, path: Path) -> None:
        """Delete ``path`` at the commit: an output this write no longer produces would be stale
        beside the new ones. Its temporaries left by a killed write go now."""
        remove_stale_temporaries(path)
        self.removed.append(path)

    def commit(self) -> None:
        """Delete the removed files and rename every temporary over its target, then fsync the
        folders so that this survives a power loss.

        The old files are linked aside first and deleted only after: freeing their blocks
        inside the renames made them take ~110 ms instead of ~0.2 ms for MedQuAD's ~110 MB of
        outputs (``benchmarks/commit_window.py``)."""
        targets = [*self.removed, *self.files]
        old = [aside for aside in map(_link_aside, targets) if aside is not None]
        try:
            for path in self.removed:
                path.unlink(missing_ok=True)
            for path, temporary in self.files.items():
                os.replace(temporary, path)
            for folder in {path.parent for path in targets}:
                _fsync_folder(folder)
        finally:
            for aside in old:
                aside.unlink(missing_ok=True)
        self.files, self.removed = {}, []

    def discard(self) -> None:
        for temporary in self.files.values():
            temporary.unlink(missing_ok=True)
        self.files, self.removed = {}, []

    def __enter__(self) -> Self:
        return self

    def __exit__(self, error_type, error, traceback) -> None:
        if error_type is not None:
            self.discard()


def _link_aside(path: Path) -> Path | None:
    """A second name for ``path``, shaped like its temporaries so that the next write sweeps
    it if this one is killed; None if there is no such file or the file system has no hard
    links (its old blocks are then freed during the renames)."""
    aside = path.with_name(f".{path.name}.{os.urandom(6).hex()}.old.tmp")
    try:
        os.link(path, aside)
    except OSError:
        return None
    return aside


def _fsync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def to_csv_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every string cell a spreadsheet would execute prefixed by ``'``
    (vectorized: a Python call per cell cost ~3 s on MedQuAD's tables). Only a column with such
    cells is copied; the caller's frame is never written to (a column is replaced, not set in place).
    A categorical column (:attr:`Table.categorical`) is refused, not passed through unchecked:
    the writers decode it first (:meth:`Table.decoded`)."""
    frame = frame.copy(deep=False)
    for column in frame.columns:
        if isinstance(frame[column].dtype, pd.CategoricalDtype):
            raise TypeError(f"column {column!r} is categorical: decode it (Table.decoded) before making it spreadsheet-safe")
        if str(frame[column].dtype) == "string":
            executable = frame[column].str.startswith(FORMULA_PREFIXES).fillna(False).astype(bool)
            if executable.any():
                frame[column] = frame[column].mask(executable, "'" + frame[column])
    return frame


Chunks = Callable[[], Iterator[pd.DataFrame]]  # a table's conformed rows, in order, one frame at a time


def _write_csv(chunks: Chunks, path: Path) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        for number, chunk in enumerate(chunks()):
            handle.write(csv_text(to_csv_frame(chunk), header=number == 0))


_TEXT = pa.large_string()  # pandas' arrow-backed strings are large_string; arrow's joins take one type
_QUOTE, _COMMA, _NEWLINE, _NOTHING = (pa.scalar(mark, _TEXT) for mark in ('"', ",", "\n", ""))
_NEEDS_QUOTES = '[,"\r\n]'


def csv_text(frame: pd.DataFrame, header: bool = True) -> str:
    """The frame's rows as CSV, exactly as pandas' ``to_csv(index=False, lineterminator="\\n")``
    writes them (the tables' bytes did not change), formatted a column at a time by arrow's
    kernels: pandas formats and quotes cell by cell in Python, ~2 s for MedQuAD's 249,415
    mentions, ~0.9 s here. Arrow's own CSV writer would quote every string. One difference: a
    cell holding a carriage return is quoted (RFC 4180); Python 3.11's csv module left it bare,
    for a reader to take as a line break. Columns are of the schema's dtypes (``string``,
    ``Int64``, ``Float64``, ``boolean``); a missing cell is empty, and so is an empty string but
    in a frame of one column, where the csv module writes it ``""`` (an empty line is no row)."""
    head = ",".join(frame.columns) + "\n" if header else ""
    if not len(frame):
        return head
    cells = [_csv_cells(frame[name]) for name in frame.columns]
    if len(cells) == 1:
        cells[0] = pc.if_else(pc.equal(cells[0], _NOTHING), pa.scalar('""', _TEXT), cells[0])
    rows = pc.binary_join_element_wise(*cells, _COMMA)
    lines = pc.binary_join_element_wise(rows, _NEWLINE, _NOTHING)
    return head + pc.binary_join(pa.LargeListArray.from_arrays([0, len(lines)], lines), _NOTHING)[0].as_py()


def _csv_cells(values: pd.Series) -> pa.Array:
    """One column's cells as CSV text: a string quoted where it holds a comma, quote or line
    break (its quotes doubled), booleans ``True``/``False``, floats as Python's ``repr`` (the
    shortest text that reads back the same number, "1e-05", "30.0"), missing as empty."""
    dtype = str(values.dtype)
    if isinstance(values.dtype, pd.StringDtype):  # "string", and pandas 3's default "str"
        cells = pc.cast(_arrow(values), _TEXT)
        needs_quotes = pc.match_substring_regex(cells, _NEEDS_QUOTES)
        if pc.any(needs_quotes).as_py():
            quoted = pc.binary_join_element_wise(_QUOTE, pc.replace_substring(cells, '"', '""'), _QUOTE, _NOTHING)
            cells = pc.if_else(needs_quotes, quoted, cells)
    elif dtype == "boolean":
        cells = pc.if_else(_arrow(values), pa.scalar("True", _TEXT), pa.scalar("False", _TEXT))
    elif dtype == "Int64":
        cells = pc.cast(_arrow(values), _TEXT)
    elif dtype == "Float64":  # arrow's cast writes 1.0 as "1" and 1e-05 as "0.00001"
        present = values.notna().to_numpy()
        texts = np.full(len(values), None, dtype=object)
        texts[present] = [repr(number) for number in values.to_numpy(dtype="float64", na_value=np.nan)[present].tolist()]
        cells = pa.array(texts, type=_TEXT)
    else:
        raise TypeError(f"column {values.name!r} is {dtype}, not a dtype of the schema")
    return pc.fill_null(cells, _NOTHING)


def _arrow(values: pd.Series) -> pa.Array:
    """The column as one arrow array: a concatenated frame's is held in chunks, and the rows'
    join takes one array."""
    array = pa.array(values.array)
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array


def _write_parquet(chunks: Chunks, path: Path) -> None:
    writer = None
    try:
        for chunk in chunks():
            rows = pa.Table.from_pandas(chunk, preserve_index=False, schema=writer.schema if writer else None)
            writer = writer or pq.ParquetWriter(path, rows.schema)
            writer.write_table(rows)
    finally:
        if writer is not None:
            writer.close()


FORMATS = {"csv": _write_csv, "parquet": _write_parquet}  # a table's file is <table>.<format>


def _chunks_of(table: Table, rows: pd.DataFrame | SpooledMentions) -> Chunks:
    """The rows as the writers take them, at most ROWS_PER_CHUNK at a time, so that what a
    writer copies (a column with cells made spreadsheet-safe, a categorical column decoded to
    its declared type) is a chunk, not the table: a frame is conformed once and sliced; a
    spooled table gives its conformed chunks each time it is read. An empty table is one empty
    chunk (the CSV's header)."""
    if not isinstance(rows, pd.DataFrame):
        return lambda: map(table.decoded, rows.chunks())
    frame = table.conform(rows)
    return lambda: (table.decoded(frame.iloc[start:start + ROWS_PER_CHUNK]) for start in range(0, max(len(frame), 1), ROWS_PER_CHUNK))


def stage_tables(staged: StagedWrite, tables: dict[str, pd.DataFrame], output: Path, formats: tuple[str, ...] = ("csv",)) -> None:
    """Stage every table in each of ``formats``, in the schema's order, and the removal of
    its files in the other formats: a format dropped since an earlier run would otherwise
    keep that run's tables beside the new ones."""
    for table in TABLES:
        stage_table(staged, table, tables[table.name], output, formats)


def stage_table(staged: StagedWrite, table: Table, rows: pd.DataFrame | SpooledMentions, output: Path, formats: tuple[str, ...]) -> None:
    """Stage one table in each of ``formats`` and the removal of its files in the others."""
    chunks = _chunks_of(table, rows)
    for name, write in FORMATS.items():
        path = output / f"{table.name}.{name}"
        if name in formats:
            staged.write(path, partial(write, chunks))
        else:
            staged.remove(path)


def stage_json(staged: StagedWrite, path: Path, payload: dict) -> None:
    staged.write(path, lambda tmp: tmp.write_text(json.dumps(payload, indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8"))


def write_parquet_tables(tables: dict[str, pd.DataFrame], folder: Path) -> None:
    """Every table as ``folder/<table>.parquet``, written in place: no temporaries, no fsync,
    for files a run reads back itself (:func:`claims.report.hand_over`)."""
    for table in TABLES:
        _write_parquet(_chunks_of(table, tables[table.name]), Path(folder) / f"{table.name}.parquet")


def read_tables(output: Path, file_format: str = "csv") -> dict[str, pd.DataFrame]:
    """The tables of a finished run in ``file_format`` (one of FORMATS), typed as the schema
    says (for review and re-rendering), conformed: a table's :attr:`Table.categorical`
    columns are categoricals (``.astype("string")`` gives the declared dtype). Parquet keeps
    every dtype and value; CSV is parsed back to them."""
    if file_format not in FORMATS:
        raise ValueError(f"no such table format: {file_format!r} (one of {', '.join(FORMATS)})")
    tables = {}
    for table in TABLES:
        path = Path(output) / f"{table.name}.{file_format}"
        if not path.exists():
            continue
        if file_format == "parquet":
            tables[table.name] = table.conform(pd.read_parquet(path))
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
