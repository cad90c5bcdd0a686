"""The per-document extraction cache: hits, misses, damaged entries, stale fingerprints."""
from flows.cache import ExtractionCache

RESULT = {"doc_id": "a.txt", "extraction": {"doc_id": "a.txt", "mentions": [{"text": "fatigue"}]}, "signature": [1, 2], "error": ""}


def test_an_entry_is_read_back_under_its_document_and_text_hash(tmp_path):
    cache = ExtractionCache(tmp_path, "fp1")
    cache.put("a.txt", "hash1", RESULT)
    assert cache.get("a.txt", "hash1") == RESULT
    assert cache.get("a.txt", "hash2") is None and cache.get("b.txt", "hash1") is None
    assert not list(tmp_path.rglob("*.tmp"))


def test_a_truncated_or_corrupt_entry_is_a_miss(tmp_path):
    cache = ExtractionCache(tmp_path, "fp1")
    cache.put("a.txt", "hash1", RESULT)
    (entry,) = tmp_path.rglob("*.pkl")
    data = entry.read_bytes()
    for damaged in (data[: len(data) // 2], b"", b"\x80\x05garbage", b"not a pickle"):
        entry.write_bytes(damaged)
        assert cache.get("a.txt", "hash1") is None


def test_entries_of_other_fingerprints_are_dropped(tmp_path):
    ExtractionCache(tmp_path, "old").put("a.txt", "hash1", RESULT)
    current = ExtractionCache(tmp_path, "new")
    current.put("a.txt", "hash1", RESULT)
    current.drop_stale()
    assert [p.name for p in tmp_path.iterdir()] == ["new"] and current.get("a.txt", "hash1") == RESULT
