"""The per-document extraction cache: hits, misses, damaged entries and databases, errors that are
not damage (disk full, locked), stale fingerprints, unused entries."""
import pickle
import sqlite3

import pytest

from flows.cache import BUSY_PUTS_BEFORE_GIVING_UP, ExtractionCache

RESULT = {"doc_id": "a.txt", "extraction": {"doc_id": "a.txt", "mentions": [{"text": "fatigue"}]}, "signature": [1, 2], "error": ""}


def test_an_entry_is_read_back_under_its_text_hash(tmp_path):
    """Whatever the document: a renamed file has the same text (the flow relabels the result)."""
    cache = ExtractionCache(tmp_path, "fp1")
    cache.put("hash1", RESULT)
    assert cache.get("hash1") == RESULT and cache.get("hash2") is None
    cache.close()
    assert ExtractionCache(tmp_path, "fp1").get("hash1") == RESULT  # the next run reads it


def test_an_entry_is_visible_to_another_process_before_the_run_closes_the_cache(tmp_path):
    """A killed run keeps what it cached: every entry is committed when it is put."""
    cache = ExtractionCache(tmp_path, "fp1")
    cache.put("hash1", RESULT)
    with sqlite3.connect(cache.path) as other:
        (blob,) = other.execute("SELECT result FROM entries").fetchone()
    assert pickle.loads(blob) == RESULT


def test_a_truncated_or_corrupt_entry_is_a_miss(tmp_path):
    cache = ExtractionCache(tmp_path, "fp1")
    cache.put("hash1", RESULT)
    data = pickle.dumps(RESULT)
    for damaged in (data[: len(data) // 2], b"", b"\x80\x05garbage", b"not a pickle"):
        cache._connection().execute("UPDATE entries SET result = ?", (damaged,))
        assert cache.get("hash1") is None


def test_a_damaged_database_is_rebuilt_empty(tmp_path):
    cache = ExtractionCache(tmp_path, "fp1")
    cache.put("hash1", RESULT)
    cache.close()
    cache.path.write_bytes(b"this is not a database" * 100)
    warnings = []
    reopened = ExtractionCache(tmp_path, "fp1", warn=warnings.append)
    assert reopened.get("hash1") is None
    assert cache.path.read_bytes() == b"this is not a database" * 100  # a miss deletes nothing
    reopened.put("hash1", RESULT)
    assert reopened.get("hash1") == RESULT and reopened.not_cached == 0
    assert len(warnings) == 1 and "file is not a database" in warnings[0]


def test_entries_of_other_fingerprints_and_layouts_are_dropped(tmp_path):
    """Layout 1 (``<fingerprint>.sqlite``) keyed entries by document id and text: read with
    today's keys, its entries would be misses at best, so it goes with the other fingerprints."""
    ExtractionCache(tmp_path, "old").put("hash1", RESULT)
    with sqlite3.connect(tmp_path / "new.sqlite") as layout1:
        layout1.execute("CREATE TABLE entries (key TEXT PRIMARY KEY, result BLOB NOT NULL)")
    (tmp_path / "0123abcd" / "ab").mkdir(parents=True)  # the per-document pickles of earlier versions
    (tmp_path / "0123abcd" / "ab" / "ab12.pkl").write_bytes(b"x")
    current = ExtractionCache(tmp_path, "new")
    current.put("hash1", RESULT)
    current.drop_stale()
    assert current.path.name == "new.v2.sqlite"
    assert {p.name for p in tmp_path.iterdir()} <= {"new.v2.sqlite", "new.v2.sqlite-wal", "new.v2.sqlite-shm"}
    assert current.get("hash1") == RESULT


def test_entries_neither_asked_for_nor_stored_since_opening_are_dropped(tmp_path):
    """What a run that looked up all its input documents calls: the rest are of texts it no
    longer has (a document deleted, or changed: its old text)."""
    first = ExtractionCache(tmp_path, "fp1")
    for text_hash in ("kept", "shared", "changed-before", "deleted"):
        first.put(text_hash, RESULT)
    first.close()
    cache = ExtractionCache(tmp_path, "fp1")
    assert cache.get("kept") == RESULT
    assert cache.get("shared") == RESULT and cache.get("shared") == RESULT  # two documents, one text
    assert cache.get("changed-after") is None
    cache.put("changed-after", RESULT)
    assert cache.drop_unused() == 2
    cache.close()
    reopened = ExtractionCache(tmp_path, "fp1")
    assert [reopened.get(h) is not None for h in ("kept", "shared", "changed-after", "changed-before", "deleted")] == [True, True, True, False, False]


def damage_pages(cache: ExtractionCache) -> None:
    """Garbage over every page of the database but the first, as the open connection reads it."""
    db = cache._connection()
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # every entry into the database file
    db.execute("PRAGMA cache_size = 0")  # else the connection reads its cached pages
    (page_size,) = db.execute("PRAGMA page_size").fetchone()
    size = cache.path.stat().st_size
    assert size > page_size
    with open(cache.path, "r+b") as file:
        file.seek(page_size)
        file.write(b"garbage!" * ((size - page_size) // 8))


def run_cache(tmp_path, warnings: list[str]) -> ExtractionCache:
    """A cache opened by a run that asked for hash1, after a previous run stored hash1 and hash0 (a text no longer in the input)."""
    previous = ExtractionCache(tmp_path, "fp1")
    previous.put("hash1", RESULT)
    previous.put("hash0", RESULT)
    previous.close()
    cache = ExtractionCache(tmp_path, "fp1", warn=warnings.append)
    assert cache.get("hash1") == RESULT
    return cache


@pytest.mark.parametrize("found_by", ["put", "drop_unused"])
def test_a_database_damaged_during_a_run_is_rebuilt_and_the_run_goes_on(tmp_path, found_by):
    warnings = []
    cache = run_cache(tmp_path, warnings)
    damage_pages(cache)
    assert cache.get("hash1") is None and not warnings  # a miss, and nothing deleted
    if found_by == "put":
        cache.put("hash2", RESULT)
        assert cache.get("hash2") == RESULT  # in the new database
    else:
        assert cache.drop_unused() == 0
    assert cache.get("hash1") is None and cache.get("hash0") is None
    assert cache.not_cached == 0 and len(warnings) == 1 and "is damaged (database disk image is malformed)" in warnings[0]
    cache.put("hash3", RESULT)
    assert cache.get("hash3") == RESULT


def test_a_full_disk_keeps_the_database_and_only_the_results_that_did_not_fit_out_of_it(tmp_path):
    warnings = []
    cache = run_cache(tmp_path, warnings)
    db = cache._connection()
    (pages,) = db.execute("PRAGMA page_count").fetchone()
    db.execute(f"PRAGMA max_page_count = {pages}")  # SQLITE_FULL as soon as the file would grow
    large = {**RESULT, "signature": list(range(100_000))}
    cache.put("hash2", large)
    cache.put("hash3", large)
    assert cache.not_cached == 2 and len(warnings) == 1  # said once, then counted
    assert "OperationalError: database or disk is full" in warnings[0] and "the cache is kept" in warnings[0]
    assert cache.get("hash1") == RESULT and cache.get("hash2") is None
    cache.put("hash4", RESULT)  # what still fits is cached
    assert cache.get("hash4") == RESULT
    cache.close()
    reopened = ExtractionCache(tmp_path, "fp1")
    assert reopened.get("hash1") == RESULT and reopened.get("hash0") == RESULT


def test_a_locked_database_is_kept_and_drops_nothing_and_the_run_goes_on(tmp_path):
    warnings = []
    cache = run_cache(tmp_path, warnings)
    cache._connection().execute("PRAGMA busy_timeout = 50")  # instead of 5 s
    holder = sqlite3.connect(cache.path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    cache.put("hash2", RESULT)
    assert cache.drop_unused() == 0
    assert cache.get("hash1") == RESULT  # readers pass a writer's lock (write-ahead log)
    holder.execute("ROLLBACK")
    holder.close()
    assert cache.not_cached == 1 and len(warnings) == 2
    assert all("database is locked" in warning for warning in warnings) and "not dropped" in warnings[1]
    cache.put("hash2", RESULT)  # the lock is gone: caching goes on
    assert cache.get("hash2") == RESULT and cache.drop_unused() == 1  # hash0, kept until now


def test_a_lock_held_through_the_run_stops_the_storing_after_a_few_results(tmp_path):
    """Each put on a locked database waits the busy timeout (5 s): a run whose cache another
    program keeps locked gives up after a few, instead of losing 5 s per document."""
    warnings = []
    cache = run_cache(tmp_path, warnings)
    cache._connection().execute("PRAGMA busy_timeout = 50")
    holder = sqlite3.connect(cache.path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    for number in range(BUSY_PUTS_BEFORE_GIVING_UP):
        cache.put(f"locked{number}", RESULT)
    holder.execute("ROLLBACK")
    holder.close()
    cache.put("after", RESULT)  # the lock is gone, but the run no longer tries
    assert cache.not_cached == BUSY_PUTS_BEFORE_GIVING_UP + 1 and cache.get("after") is None
    assert len(warnings) == 2 and "stores no more results" in warnings[1]


def test_failures_that_are_not_a_lock_never_stop_the_storing(tmp_path):
    cache = run_cache(tmp_path, [])
    db = cache._connection()
    (pages,) = db.execute("PRAGMA page_count").fetchone()
    db.execute(f"PRAGMA max_page_count = {pages}")
    for number in range(BUSY_PUTS_BEFORE_GIVING_UP + 1):
        cache.put(f"large{number}", {**RESULT, "signature": list(range(100_000))})
    cache.put("small", RESULT)
    assert cache.get("small") == RESULT
