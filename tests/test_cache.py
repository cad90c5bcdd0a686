"""The per-document extraction cache: hits, misses, damaged entries and databases, stale fingerprints, unused entries."""
import pickle
import sqlite3

from flows.cache import ExtractionCache

RESULT = {"doc_id": "a.txt", "extraction": {"doc_id": "a.txt", "mentions": [{"text": "fatigue"}]}, "signature": [1, 2], "error": ""}


def test_an_entry_is_read_back_under_its_document_and_text_hash(tmp_path):
    cache = ExtractionCache(tmp_path, "fp1")
    cache.put("a.txt", "hash1", RESULT)
    assert cache.get("a.txt", "hash1") == RESULT
    assert cache.get("a.txt", "hash2") is None and cache.get("b.txt", "hash1") is None
    cache.close()
    assert ExtractionCache(tmp_path, "fp1").get("a.txt", "hash1") == RESULT  # the next run reads it


def test_an_entry_is_visible_to_another_process_before_the_run_closes_the_cache(tmp_path):
    """A killed run keeps what it cached: every entry is committed when it is put."""
    cache = ExtractionCache(tmp_path, "fp1")
    cache.put("a.txt", "hash1", RESULT)
    with sqlite3.connect(cache.path) as other:
        (blob,) = other.execute("SELECT result FROM entries").fetchone()
    assert pickle.loads(blob) == RESULT


def test_a_truncated_or_corrupt_entry_is_a_miss(tmp_path):
    cache = ExtractionCache(tmp_path, "fp1")
    cache.put("a.txt", "hash1", RESULT)
    data = pickle.dumps(RESULT)
    for damaged in (data[: len(data) // 2], b"", b"\x80\x05garbage", b"not a pickle"):
        cache._connection().execute("UPDATE entries SET result = ?", (damaged,))
        assert cache.get("a.txt", "hash1") is None


def test_a_damaged_database_is_rebuilt_empty(tmp_path):
    cache = ExtractionCache(tmp_path, "fp1")
    cache.put("a.txt", "hash1", RESULT)
    cache.close()
    cache.path.write_bytes(b"this is not a database" * 100)
    reopened = ExtractionCache(tmp_path, "fp1")
    assert reopened.get("a.txt", "hash1") is None
    reopened.put("a.txt", "hash1", RESULT)
    assert reopened.get("a.txt", "hash1") == RESULT


def test_entries_of_other_fingerprints_and_layouts_are_dropped(tmp_path):
    ExtractionCache(tmp_path, "old").put("a.txt", "hash1", RESULT)
    (tmp_path / "0123abcd" / "ab").mkdir(parents=True)  # the per-document pickles of earlier versions
    (tmp_path / "0123abcd" / "ab" / "ab12.pkl").write_bytes(b"x")
    current = ExtractionCache(tmp_path, "new")
    current.put("a.txt", "hash1", RESULT)
    current.drop_stale()
    assert {p.name for p in tmp_path.iterdir()} <= {"new.sqlite", "new.sqlite-wal", "new.sqlite-shm"}
    assert current.get("a.txt", "hash1") == RESULT


def test_entries_neither_read_nor_written_since_opening_are_dropped(tmp_path):
    """What a run that looked up all its input documents calls: the rest are of documents it no longer has."""
    first = ExtractionCache(tmp_path, "fp1")
    for doc_id in ("kept.txt", "changed.txt", "deleted.txt"):
        first.put(doc_id, "hash1", RESULT)
    first.close()
    cache = ExtractionCache(tmp_path, "fp1")
    assert cache.get("kept.txt", "hash1") == RESULT and cache.get("changed.txt", "hash2") is None
    cache.put("changed.txt", "hash2", RESULT)
    assert cache.drop_unused() == 2
    cache.close()
    reopened = ExtractionCache(tmp_path, "fp1")
    assert reopened.get("kept.txt", "hash1") == RESULT and reopened.get("changed.txt", "hash2") == RESULT
    assert reopened.get("changed.txt", "hash1") is None and reopened.get("deleted.txt", "hash1") is None


def test_a_database_damaged_during_a_run_is_rebuilt_and_the_run_goes_on(tmp_path):
    class Damaged:
        def execute(self, *args):
            raise sqlite3.DatabaseError("database disk image is malformed")

        def close(self):
            pass

    cache = ExtractionCache(tmp_path, "fp1")
    cache.put("a.txt", "hash1", RESULT)
    cache._db = Damaged()
    assert cache.get("a.txt", "hash1") is None
    cache.put("b.txt", "hash2", RESULT)
    assert cache.get("b.txt", "hash2") == RESULT and cache.get("a.txt", "hash1") is None
    cache._db = Damaged()
    assert cache.drop_unused() == 0  # found damaged when the run drops unused entries
    cache.put("c.txt", "hash3", RESULT)
    assert cache.get("c.txt", "hash3") == RESULT
