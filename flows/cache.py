"""Per-document extraction cache: a rerun re-extracts only texts it has not extracted before.

The key is the text's SHA-256 alone, under the pipeline fingerprint (lexicon, rules,
options), so changing any of those invalidates everything at once. Not the document's id:
a file renamed or moved (its id is its path) or a record whose id changed has the same
text, and its extraction is served under the new id (the flow relabels every hit to the
document asking, :func:`flows.extraction_worker.relabeled_result`); documents with the same
text share one entry. Entries are pickles in one SQLite database per fingerprint,
``<output>/.cache/extractions/<fingerprint>.v<LAYOUT>.sqlite``.

One database rather than a file per document: creating and renaming 16,407 small files
took ~1.8 ms each here, 30 s of the run's main thread on MedQuAD. Each entry is its own
transaction, without fsync: an fsync per document cost ~4 ms, and a database a power loss
damages is deleted and rebuilt, which costs a re-extraction, never a wrong result. The flow
puts each result from its task threads as soon as it arrives from the extraction process,
so a killed run loses only the documents being extracted at that moment; one connection
serves all threads, one statement at a time (a lock). A put costs ~0.12-0.17 ms with its
pickling (MedQuAD results, ~8 kB each); committing 32 at a time would save ~0.03 ms of it
(~0.5 s of CPU per whole MedQuAD run, within its noise), not worth holding results back.
A hit costs ~0.2 ms, mostly unpickling, as when the key held the id; relabeling it to
another id ~0.07 ms more (27 rows per MedQuAD answer), not the ~4 ms of CPU of extracting it.

Only damage deletes the database (SQLite's SQLITE_CORRUPT or SQLITE_NOTADB, met by a write:
:meth:`~ExtractionCache.put` or :meth:`~ExtractionCache.drop_unused`); any other error (disk
full, locked, I/O, read-only) may pass, so the database and its entries are kept and only the
result being stored is left out (the next run extracts that document again), counted in
``not_cached`` and said once through ``warn``. It used to delete the cache, and the next night
extracted everything again. A lookup's error is a miss and deletes nothing. A lock another
program holds makes each put wait SQLite's busy timeout (5 s) before it fails, so after
BUSY_PUTS_BEFORE_GIVING_UP such failures in a row the run stops storing results (said once):
a lock held through a whole run costs ~15 s, not 5 s per document extracted.

A run that looked up every document of its input then drops the entries of texts it neither
asked for nor stored (:meth:`ExtractionCache.drop_unused`, ~50 ms over MedQuAD's 16,407): those
of documents deleted or changed since, which no later run over the same input can read.
"""
from __future__ import annotations

import logging
import pickle
import shutil
import sqlite3
import threading
from pathlib import Path
from typing import Callable

# The meaning of keys and entries; another one is a database of its own name, which drop_stale
# removes. 2: the key is the text's SHA-256 (1, in <fingerprint>.sqlite: it held the document id).
LAYOUT = 2
# The primary result codes that say the file itself is damaged. Any other error (disk full,
# locked, I/O, read-only, ...) may pass and leaves the database as it is.
DAMAGE_CODES = frozenset({sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB})
# The primary result codes of a lock held elsewhere: each costs the busy timeout to find out.
BUSY_CODES = frozenset({sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED})
BUSY_PUTS_BEFORE_GIVING_UP = 3
_INSERT = "INSERT OR REPLACE INTO entries (key, result) VALUES (?, ?)"


def is_damage(error: Exception) -> bool:
    """Whether ``error`` says the database file is damaged, so that only rebuilding it helps.
    SQLite's code may be an extended one (SQLITE_CORRUPT_INDEX = 779): its low byte is the
    primary code. Errors Python raises itself carry none and are not damage."""
    return _primary_code(error) in DAMAGE_CODES


def _primary_code(error: Exception) -> int | None:
    code = getattr(error, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


class ExtractionCache:
    def __init__(self, root: Path, fingerprint: str, warn: Callable[[str], None] = logging.getLogger(__name__).warning):
        """``warn`` gets one line when the cache rebuilds a damaged database, fails to store a
        result (the first time: later ones are only counted in ``not_cached``) or to drop unused
        entries: the flow passes its run logger's, so that the run's log says so."""
        self.root = Path(root)
        self.path = self.root / f"{fingerprint}.v{LAYOUT}.sqlite"
        self.not_cached = 0  # results put but not stored: an error that was not damage
        self._busy_in_a_row = 0  # puts that failed on a lock held elsewhere since the last stored one
        self._warn = warn
        self._db: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        self._used: set[str] = set()  # keys asked for or stored since this object was made

    @classmethod
    def of_output(cls, output: Path, fingerprint: str, **kwargs) -> "ExtractionCache":
        """The cache of a run's output folder."""
        return cls(Path(output) / ".cache" / "extractions", fingerprint, **kwargs)

    def drop_stale(self) -> None:
        """Remove entries of other fingerprints (and of older cache layouts): they can never be read again."""
        if self.root.is_dir():
            for other in self.root.iterdir():
                if other.name.startswith(self.path.name):  # the database and its -wal / -shm files
                    continue
                if other.is_dir():
                    shutil.rmtree(other, ignore_errors=True)
                else:
                    other.unlink(missing_ok=True)

    def _connection(self) -> sqlite3.Connection:
        """The open database; opening it again after a failure (it raises as any statement)."""
        if self._db is None:
            self.root.mkdir(parents=True, exist_ok=True)
            self._db = self._open()
        return self._db

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=OFF")
            db.execute("CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, result BLOB NOT NULL)")
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def _rebuilt_if_damaged(self, error: sqlite3.Error) -> bool:
        """Whether ``error`` was damage, now repaired by starting again empty: the cache costs
        re-extractions, never a wrong result, so deleting it is the whole repair."""
        if not is_damage(error):
            return False
        self._warn(f"extraction cache {self.path} is damaged ({error}): it starts again empty")
        self._rebuild()
        return True

    def _rebuild(self) -> None:
        """Delete the database (and its write-ahead log) and open it again, empty."""
        self._disconnect()
        for damaged in self.root.glob(f"{self.path.name}*"):
            damaged.unlink(missing_ok=True)
        self._db = self._open()

    def get(self, sha256: str) -> dict | None:
        """The result stored for the text of this SHA-256, or None: as extracted under the id of
        the document that stored it, which may not be the one asking. Any error is a miss and
        changes nothing: put and drop_unused, which write, rebuild a damaged database."""
        self._used.add(sha256)
        try:
            with self._lock:
                row = self._connection().execute("SELECT result FROM entries WHERE key = ?", (sha256,)).fetchone()
            return None if row is None else pickle.loads(row[0])
        except Exception:  # a damaged entry or page (unpickling garbage raises many kinds): extract again
            return None

    def put(self, sha256: str, result: dict) -> None:
        """Store ``result``. A damaged database is rebuilt and gets it; any other error (disk
        full, locked, ...) keeps the database as it is and only this result out of it: the next
        run extracts that document again, and the run goes on."""
        with self._lock:
            self._used.add(sha256)
            if self._busy_in_a_row >= BUSY_PUTS_BEFORE_GIVING_UP:
                self.not_cached += 1
                return
            row = (sha256, pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
            try:
                try:
                    self._connection().execute(_INSERT, row)
                except sqlite3.Error as error:
                    if not self._rebuilt_if_damaged(error):
                        raise
                    self._db.execute(_INSERT, row)
                self._busy_in_a_row = 0
            except (sqlite3.Error, OSError) as error:
                self._not_stored(error)

    def _not_stored(self, error: Exception) -> None:
        """Count a result left out; say the first error, and say it when a lock held elsewhere
        makes the run stop trying."""
        self.not_cached += 1
        if self.not_cached == 1:
            self._warn(f"a result could not be cached ({type(error).__name__}: {error}); the cache is kept "
                       "and the run goes on (the next run extracts such documents again)")
        self._busy_in_a_row = self._busy_in_a_row + 1 if _primary_code(error) in BUSY_CODES else 0
        if self._busy_in_a_row == BUSY_PUTS_BEFORE_GIVING_UP:
            self._warn(f"the extraction cache {self.path} stayed locked by another program through "
                       f"{BUSY_PUTS_BEFORE_GIVING_UP} results in a row: this run stores no more results in it")

    def drop_unused(self) -> int:
        """Delete the entries not asked for or stored through this object, and return how many:
        called by a run that looked up every input document, so that the cache does not keep
        growing with the texts it no longer has. Their pages are reused by later entries."""
        with self._lock:
            try:
                try:
                    db = self._connection()
                    unused = [(key,) for (key,) in db.execute("SELECT key FROM entries").fetchall() if key not in self._used]
                    with db:  # one transaction: all of them or, on an error, none
                        db.execute("BEGIN")
                        db.executemany("DELETE FROM entries WHERE key = ?", unused)
                except sqlite3.Error as error:
                    if not self._rebuilt_if_damaged(error):
                        raise
                    return 0
            except (sqlite3.Error, OSError) as error:
                self._warn(f"unused extraction cache entries not dropped ({type(error).__name__}: {error}); the cache is kept")
                return 0
        return len(unused)

    def close(self) -> None:
        """Checkpoint the write-ahead log into the database and close it."""
        with self._lock:
            self._disconnect()

    def _disconnect(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
